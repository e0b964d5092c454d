package io.eddy.connectors.synthetic;

import io.eddy.connectors.Ascii;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A seeded stream of synthetic ad impressions whose clicks come from a known logistic model that
 * drifts, for testing and demonstrating click-through learners.
 *
 * <p>Each event is JSON in Eddy's input format, keyed by a user id:
 * <pre>{"id":"e0","features":{"country":"fr","device":"mobile","ad_id":"a17","site":"s3","hour":"14",
 * "price":3.5,"position":2,"user_age":34,"session_depth":3,"bid":0.42},"label":1}</pre>
 * A user keeps one country and age and mostly one device. The label is drawn from the true click
 * probability {@code sigmoid(bias + effects of the categoricals + linear terms of the numerics)}, so
 * a linear model over these features can learn it exactly; {@link #trueClickProbability()} exposes
 * it so tests can compare a learner with the best possible predictor.
 *
 * <p>Drift: from event index {@link #driftAt()} on, the model changes abruptly: mobile and desktop
 * swap roles, a third of the ads and a quarter of the countries flip the sign of their effect, and
 * the base rate rises. A learner's loss jumps there and recovers as it adapts.
 *
 * <p>Deterministic for a seed. Generation reuses one {@code StringBuilder}; {@link #next()}
 * allocates only the returned bytes. Not thread-safe.
 */
public final class ClickStream {
    static final String[] COUNTRIES = {
        "us", "gb", "de", "fr", "es", "it", "nl", "se", "pl", "br",
        "mx", "ca", "au", "jp", "kr", "in", "cn", "za", "ng", "ar"};
    static final String[] DEVICES = {"desktop", "mobile", "tablet", "tv"};
    static final int ADS = 500;
    static final int SITES = 100;
    private static final String[] HOURS = new String[24];

    // Ground truth before the drift (after it, see the constructor).
    private static final double BIAS = 0.3;
    private static final double[] DEVICE_EFFECT = {0.4, -0.4, 0.1, -0.7};
    private static final double[] DEVICE_EFFECT_AFTER = {-0.5, 0.6, 0.1, -0.7};
    private static final double BIAS_SHIFT_AFTER = 0.3;
    private static final double PRICE = -0.04;
    private static final double POSITION = -0.3;
    private static final double USER_AGE = -0.02;
    private static final double SESSION_DEPTH = 0.05;
    private static final double BID = 0.6;

    static {
        for (int h = 0; h < 24; h++) {
            HOURS[h] = Integer.toString(h);
        }
    }

    private final long totalEvents;
    private final long driftAt;
    private final int users;
    private final boolean withLabels;
    private final SplittableRandom random;

    private final double[] countryEffect = new double[COUNTRIES.length];
    private final double[] countryEffectAfter = new double[COUNTRIES.length];
    private final double[] adEffect = new double[ADS];
    private final double[] adEffectAfter = new double[ADS];
    private final String[] adNames = new String[ADS];
    private final double[] siteEffect = new double[SITES];
    private final String[] siteNames = new String[SITES];
    private final double[] hourEffect = new double[24];
    private final byte[] userCountry;
    private final byte[] userDevice;
    private final byte[] userAge;
    private final String[] userKeys;

    private final StringBuilder json = new StringBuilder(256);
    private long index = -1;
    private int user;
    private int label;
    private double probability;

    private ClickStream(final Builder builder) {
        this.totalEvents = builder.events;
        this.driftAt = builder.driftAt < 0 ? builder.events / 2 : builder.driftAt;
        this.users = builder.users;
        this.withLabels = builder.withLabels;
        // The model and the users come from their own generator, so the same seed gives the same
        // world however many events are drawn.
        final Random world = new Random(builder.seed);
        for (int c = 0; c < COUNTRIES.length; c++) {
            countryEffect[c] = 0.4 * world.nextGaussian();
            countryEffectAfter[c] = c % 4 == 0 ? -countryEffect[c] : countryEffect[c];
        }
        for (int a = 0; a < ADS; a++) {
            adEffect[a] = 0.8 * world.nextGaussian();
            adEffectAfter[a] = a % 3 == 0 ? -adEffect[a] : adEffect[a];
            adNames[a] = "a" + a;
        }
        for (int s = 0; s < SITES; s++) {
            siteEffect[s] = 0.5 * world.nextGaussian();
            siteNames[s] = "s" + s;
        }
        for (int h = 0; h < 24; h++) {
            hourEffect[h] = 0.3 * Math.sin(2 * Math.PI * (h - 9) / 24.0); // peaks in the afternoon
        }
        userCountry = new byte[users];
        userDevice = new byte[users];
        userAge = new byte[users];
        userKeys = new String[users];
        for (int u = 0; u < users; u++) {
            userCountry[u] = (byte) skewed(world.nextDouble(), COUNTRIES.length);
            userDevice[u] = (byte) world.nextInt(DEVICES.length);
            userAge[u] = (byte) (18 + world.nextInt(60));
        }
        this.random = new SplittableRandom(builder.seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** A builder with defaults: seed 42, 100,000 events, drift at half, 10,000 users, labelled. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@link #next()} has another event. */
    public boolean hasNext() {
        return index + 1 < totalEvents;
    }

    /**
     * Draws the next event, makes it current and returns its JSON (ASCII, so also UTF-8), with its
     * label unless the stream was built {@link Builder#withLabels(boolean) without labels}.
     *
     * @throws NoSuchElementException after {@link #totalEvents()} events
     */
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has produced all its " + totalEvents + " events");
        }
        index++;
        final SplittableRandom r = random;
        final boolean drifted = index >= driftAt;

        user = r.nextInt(users);
        final int country = userCountry[user];
        final int device = r.nextDouble() < 0.8 ? userDevice[user] : r.nextInt(DEVICES.length);
        final int ad = skewed(r.nextDouble(), ADS);
        final int site = skewed(r.nextDouble(), SITES);
        final int hour = r.nextInt(24);
        // Numerics are rounded before they enter the model, so the model sees what the JSON says.
        final double price = Math.round(100 * Math.exp(1.5 + 0.8 * r.nextGaussian())) / 100.0;
        final int position = 1 + (int) (8 * r.nextDouble() * r.nextDouble()); // mostly near the top
        final int age = userAge[user];
        final int sessionDepth = (int) (-6 * Math.log(1 - r.nextDouble()));
        final double bid = Math.round(100 * (0.05 + 1.5 * r.nextDouble())) / 100.0;

        final double logit = (drifted ? BIAS + BIAS_SHIFT_AFTER : BIAS)
                + (drifted ? countryEffectAfter : countryEffect)[country]
                + (drifted ? DEVICE_EFFECT_AFTER : DEVICE_EFFECT)[device]
                + (drifted ? adEffectAfter : adEffect)[ad]
                + siteEffect[site]
                + hourEffect[hour]
                + PRICE * price + POSITION * position + USER_AGE * age + SESSION_DEPTH * sessionDepth + BID * bid;
        probability = 1 / (1 + Math.exp(-logit));
        label = r.nextDouble() < probability ? 1 : 0;

        final StringBuilder sb = json;
        sb.setLength(0);
        sb.append("{\"id\":\"e").append(index).append("\",\"features\":{");
        sb.append("\"country\":\"").append(COUNTRIES[country]).append('"');
        sb.append(",\"device\":\"").append(DEVICES[device]).append('"');
        sb.append(",\"ad_id\":\"").append(adNames[ad]).append('"');
        sb.append(",\"site\":\"").append(siteNames[site]).append('"');
        sb.append(",\"hour\":\"").append(HOURS[hour]).append('"');
        sb.append(",\"price\":");
        appendCents(sb, price);
        sb.append(",\"position\":").append(position);
        sb.append(",\"user_age\":").append(age);
        sb.append(",\"session_depth\":").append(sessionDepth);
        sb.append(",\"bid\":");
        appendCents(sb, bid);
        sb.append('}');
        if (withLabels) {
            sb.append(",\"label\":").append(label);
        }
        sb.append('}');
        return Ascii.bytes(sb);
    }

    /** Index of the current event, from 0; -1 before the first {@link #next()}. */
    public long index() {
        return index;
    }

    /** Id of the current event: {@code "e" + index()}. */
    public String id() {
        requireCurrent();
        return "e" + index;
    }

    /** Record key of the current event: its user, {@code "u" + id} with id in [0, users). */
    public String key() {
        requireCurrent();
        String key = userKeys[user];
        if (key == null) {
            key = "u" + user;
            userKeys[user] = key; // built once per user, not per event
        }
        return key;
    }

    /** Label of the current event, 0 or 1, whether or not it was written into the JSON. */
    public int label() {
        requireCurrent();
        return label;
    }

    /** Click probability of the current event under the true model in force at its index. */
    public double trueClickProbability() {
        requireCurrent();
        return probability;
    }

    /** Whether the current event is at or after the drift. */
    public boolean drifted() {
        requireCurrent();
        return index >= driftAt;
    }

    /** Number of events the stream produces. */
    public long totalEvents() {
        return totalEvents;
    }

    /** Index of the first event drawn from the changed model. */
    public long driftAt() {
        return driftAt;
    }

    private void requireCurrent() {
        if (index < 0) {
            throw new IllegalStateException("no current event: call next() first");
        }
    }

    /** Maps a uniform draw to [0, n) with low values more likely, like popular ads and sites. */
    private static int skewed(final double uniform, final int n) {
        return Math.min(n - 1, (int) (n * uniform * uniform));
    }

    /** Appends a non-negative value rounded to cents as a plain JSON number, e.g. 3.5 -> 3.50. */
    private static void appendCents(final StringBuilder sb, final double value) {
        final long cents = Math.round(value * 100);
        sb.append(cents / 100).append('.');
        final long fraction = cents % 100;
        if (fraction < 10) {
            sb.append('0');
        }
        sb.append(fraction);
    }

    /** Settings of a {@link ClickStream}; each has a default. */
    public static final class Builder {
        private long seed = 42;
        private long events = 100_000;
        private long driftAt = -1;
        private int users = 10_000;
        private boolean withLabels = true;

        private Builder() {
        }

        /** Seed of the model, the users and the events. */
        public Builder seed(final long seed) {
            this.seed = seed;
            return this;
        }

        /** Number of events to produce; at least 0. */
        public Builder events(final long events) {
            if (events < 0) {
                throw new IllegalArgumentException("events must be >= 0, got " + events);
            }
            this.events = events;
            return this;
        }

        /**
         * Index of the first event from the changed model; default half the events. A value at or
         * beyond the number of events gives a stream without drift.
         */
        public Builder driftAt(final long driftAt) {
            if (driftAt < 0) {
                throw new IllegalArgumentException("driftAt must be >= 0, got " + driftAt);
            }
            this.driftAt = driftAt;
            return this;
        }

        /** Number of distinct users (record keys); at least 1. */
        public Builder users(final int users) {
            if (users < 1) {
                throw new IllegalArgumentException("users must be >= 1, got " + users);
            }
            this.users = users;
            return this;
        }

        /** Whether events carry their label; without, a learner can only predict. Default true. */
        public Builder withLabels(final boolean withLabels) {
            this.withLabels = withLabels;
            return this;
        }

        public ClickStream build() {
            return new ClickStream(this);
        }
    }
}
