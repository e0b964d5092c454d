package io.eddy.connectors.ratings;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded synthetic stream of user–item interactions with a known structure, for evaluating online
 * matrix factorisation (explicit ratings) and implicit top-k recommendation.
 *
 * <p>Ground truth: every user and item has a taste vector of {@link Config#dimension()} components,
 * each N(0, 1/√dimension), so the affinity {@code <user taste, item taste>} of a random pair has mean 0
 * and standard deviation 1; and a bias, N(0, 0.3). Each event:
 * <ol>
 * <li>with probability {@link Config#newItemProbability()} a new item joins the catalogue at a uniformly
 * random popularity rank (it can land near the top);</li>
 * <li>with probability {@link Config#newUserProbability()} the event is a new user's first, and the user
 * joins the pool at a random activity rank; otherwise the user is drawn by activity, Zipf with exponent
 * {@link Config#userZipfExponent()} over a fixed ranking of the users (some users are more active);</li>
 * <li>the user is shown {@link Config#candidates()} items drawn by popularity, Zipf with exponent
 * {@link Config#itemZipfExponent()} over a fixed ranking of the items (with replacement, so a hit can
 * be shown twice), and picks one with probability softmax(affinity / {@link Config#temperature()}):
 * popularity decides what a user sees, taste what the user picks;</li>
 * <li>the rating is {@code clip(3.5 + user bias + item bias + 0.8 (affinity − usual) + N(0, ratingNoise),
 * 1, 5)}, a float, not rounded to stars, where {@code usual} is the running mean of the picked items'
 * affinity: users pick what suits them, and rate it against what they usually pick, so ratings centre
 * on 3.5 at any temperature instead of piling up at 5.</li>
 * </ol>
 * At event {@link #driftAt()} every existing user's taste is replaced by a fresh draw (items keep
 * theirs), so what users pick and how they rate it changes at once while popularity does not.
 *
 * <p>Ids are dense in order of first appearance (see {@link Interaction}); {@link #users()} and
 * {@link #items()} count those seen so far. Timestamps start at {@value #START_TIMESTAMP} ms and advance
 * by exponential gaps of mean {@value #MEAN_GAP_MS} ms.
 *
 * <p>Deterministic for a config. The hot path allocates nothing: primitive arrays that double when
 * full, and Zipf draws in O(1) from alias tables (rebuilt in O(n) when the pool grows; past 1,024 ranks
 * a table is rebuilt only every n/1,024 arrivals, so the newest least-popular ranks can wait a little).
 * Not thread-safe.
 */
public final class RatingsGenerator {
    /** The first event's timestamp, ms since the epoch (2023-11-14). */
    public static final long START_TIMESTAMP = 1_700_000_000_000L;
    /** Mean gap between events, ms. */
    public static final double MEAN_GAP_MS = 1_000;
    static final double GLOBAL_MEAN = 3.5;
    /** Decay per event of the running mean of the picked items' affinity. */
    static final double USUAL_AFFINITY_DECAY = 0.999;
    static final double BIAS_STD = 0.3;
    /** Affinity of a random pair has std 1, so this is the latent part's std. */
    static final double LATENT_SCALE = 0.8;
    static final float MIN_RATING = 1f;
    static final float MAX_RATING = 5f;

    /**
     * Settings of a {@link RatingsGenerator}; {@link #defaults()} gives sensible ones and the
     * {@code with...} methods change one each.
     *
     * @param initialUsers users in the pool at the start
     * @param initialItems items in the catalogue at the start
     * @param dimension length of the true taste vectors
     * @param newUserProbability per event, that a brand-new user arrives (and makes the event)
     * @param newItemProbability per event, that a brand-new item joins the catalogue
     * @param itemZipfExponent popularity skew over item ranks (0: uniform)
     * @param userZipfExponent activity skew over user ranks (0: uniform)
     * @param candidates items drawn by popularity per event, of which the user picks one by taste
     * @param temperature of the softmax over the candidates' affinities; lower means taste decides more
     * @param driftAt event index at which users' tastes are redrawn; {@link #DRIFT_AT_HALF} for
     *        {@code events / 2}, {@code Long.MAX_VALUE} (or anything {@code >= events}) for never
     * @param events length of the stream; {@code Long.MAX_VALUE} for no end
     * @param ratingNoise std of the Gaussian noise on a rating
     * @param seed of everything random
     */
    public record Config(int initialUsers, int initialItems, int dimension, double newUserProbability,
                         double newItemProbability, double itemZipfExponent, double userZipfExponent,
                         int candidates, double temperature, long driftAt, long events, double ratingNoise,
                         long seed) {
        /** {@link #driftAt()} value meaning half of {@link #events()}. */
        public static final long DRIFT_AT_HALF = -1;

        /** Checks the ranges. */
        public Config {
            if (initialUsers < 1 || initialItems < 1 || dimension < 1 || candidates < 1) {
                throw new IllegalArgumentException("need initialUsers, initialItems, dimension and candidates >= 1, "
                        + "got " + initialUsers + ", " + initialItems + ", " + dimension + ", " + candidates);
            }
            if (!(newUserProbability >= 0 && newUserProbability < 1 && newItemProbability >= 0
                    && newItemProbability < 1)) {
                throw new IllegalArgumentException("new user and item probabilities must be in [0, 1), got "
                        + newUserProbability + " and " + newItemProbability);
            }
            if (!(itemZipfExponent >= 0 && userZipfExponent >= 0 && itemZipfExponent < Double.POSITIVE_INFINITY
                    && userZipfExponent < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("Zipf exponents must be finite and >= 0, got " + itemZipfExponent
                        + " and " + userZipfExponent);
            }
            if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
            }
            if (driftAt < DRIFT_AT_HALF || events < 0) {
                throw new IllegalArgumentException("need driftAt >= 0 (or -1 for half the events) and events >= 0, "
                        + "got " + driftAt + " and " + events);
            }
            if (!(ratingNoise >= 0 && ratingNoise < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("ratingNoise must be finite and >= 0, got " + ratingNoise);
            }
        }

        /**
         * 500 users, 1,000 items, 8 dimensions, new users 0.0005 and new items 0.001 per event, item
         * Zipf 0.8, user Zipf 0.5, 200 candidates, temperature 0.25, drift at half of 1,000,000 events,
         * rating noise 0.2, seed 42: popularity decides what a user is shown and taste, clearly, what
         * the user picks (with 20 candidates at temperature 0.5, the most popular items alone are
         * almost as good a guess as tastes learned online).
         */
        public static Config defaults() {
            return new Config(500, 1_000, 8, 0.0005, 0.001, 0.8, 0.5, 200, 0.25, DRIFT_AT_HALF, 1_000_000, 0.2, 42);
        }

        public Config withInitialUsers(final int value) {
            return new Config(value, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withInitialItems(final int value) {
            return new Config(initialUsers, value, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withDimension(final int value) {
            return new Config(initialUsers, initialItems, value, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withNewUserProbability(final double value) {
            return new Config(initialUsers, initialItems, dimension, value, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withNewItemProbability(final double value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, value,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withItemZipfExponent(final double value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    value, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withUserZipfExponent(final double value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, value, candidates, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withCandidates(final int value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, value, temperature, driftAt, events, ratingNoise, seed);
        }

        public Config withTemperature(final double value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, value, driftAt, events, ratingNoise, seed);
        }

        public Config withDriftAt(final long value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, value, events, ratingNoise, seed);
        }

        public Config withEvents(final long value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, value, ratingNoise, seed);
        }

        public Config withRatingNoise(final double value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, value, seed);
        }

        public Config withSeed(final long value) {
            return new Config(initialUsers, initialItems, dimension, newUserProbability, newItemProbability,
                    itemZipfExponent, userZipfExponent, candidates, temperature, driftAt, events, ratingNoise, value);
        }
    }

    private final Config config;
    private final long driftAt;
    private final int dimension;
    private final double tasteStd;
    private final double inverseTemperature;
    private final SplittableRandom random;

    // Users and items by internal id (order of creation); the external id is given at first appearance.
    private final Pool users;
    private final Pool items;

    private final int[] candidate;
    private final double[] candidateAffinity;
    private final double[] cumulative;

    private long index = -1;
    private double elapsedMs;
    /** Running mean of the picked items' affinity: what users usually pick, which rates at the mean. */
    private double usualAffinity = Double.NaN;

    public RatingsGenerator(final Config config) {
        this.config = config;
        this.driftAt = config.driftAt() == Config.DRIFT_AT_HALF ? config.events() / 2 : config.driftAt();
        this.dimension = config.dimension();
        this.tasteStd = Math.pow(dimension, -0.25);
        this.inverseTemperature = 1 / config.temperature();
        this.random = new SplittableRandom(config.seed());
        this.users = new Pool(config.userZipfExponent(), config.initialUsers(), dimension);
        this.items = new Pool(config.itemZipfExponent(), config.initialItems(), dimension);
        // The initial rankings are by creation order, which is random with respect to the iid tastes.
        for (int u = 0; u < config.initialUsers(); u++) {
            createMember(users, users.size);
        }
        for (int i = 0; i < config.initialItems(); i++) {
            createMember(items, items.size);
        }
        users.zipf.grow(users.size);
        items.zipf.grow(items.size);
        this.candidate = new int[config.candidates()];
        this.candidateAffinity = new double[config.candidates()];
        this.cumulative = new double[config.candidates()];
    }

    /** A generator with {@link Config#defaults()}. */
    public RatingsGenerator() {
        this(Config.defaults());
    }

    public Config config() {
        return config;
    }

    /** Index of the event at which users' tastes change; {@code >= events} when they never do. */
    public long driftAt() {
        return driftAt;
    }

    /** Distinct users seen in the stream so far: the next new user's id. */
    public int users() {
        return users.seen;
    }

    /** Distinct items seen in the stream so far: the next new item's id. */
    public int items() {
        return items.seen;
    }

    /** Events produced so far. */
    public long produced() {
        return index + 1;
    }

    /** Whether {@link #next} has another event. */
    public boolean hasNext() {
        return index + 1 < config.events();
    }

    /**
     * Draws the next event into {@code into}.
     *
     * @return false, leaving {@code into} alone, once {@link Config#events()} events have been produced
     */
    public boolean next(final Interaction into) {
        if (!hasNext()) {
            return false;
        }
        index++;
        if (index == driftAt) {
            for (int u = 0; u < users.size; u++) {
                drawTaste(users.taste, u);
            }
        }
        if (index > 0) {
            elapsedMs -= Math.log(1 - random.nextDouble()) * MEAN_GAP_MS;
        }
        if (random.nextDouble() < config.newItemProbability()) {
            arrive(items);
        }
        final int user = random.nextDouble() < config.newUserProbability() ? arrive(users) : users.draw(random);

        final int userAt = user * dimension;
        final float[] userTastes = users.taste;
        final float[] itemTastes = items.taste;
        double highest = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidate.length; c++) {
            final int item = items.draw(random);
            final double affinity = dot(userTastes, userAt, itemTastes, item * dimension);
            candidate[c] = item;
            candidateAffinity[c] = affinity;
            highest = Math.max(highest, affinity);
        }
        double total = 0;
        for (int c = 0; c < candidate.length; c++) {
            total += Math.exp((candidateAffinity[c] - highest) * inverseTemperature);
            cumulative[c] = total;
        }
        final double pick = random.nextDouble() * total;
        int chosen = 0;
        while (chosen < candidate.length - 1 && cumulative[chosen] <= pick) {
            chosen++;
        }
        final int item = candidate[chosen];
        usualAffinity = Double.isNaN(usualAffinity) ? candidateAffinity[chosen]
                : USUAL_AFFINITY_DECAY * usualAffinity + (1 - USUAL_AFFINITY_DECAY) * candidateAffinity[chosen];
        final double rating = GLOBAL_MEAN + users.bias[user] + items.bias[item]
                + LATENT_SCALE * (candidateAffinity[chosen] - usualAffinity)
                + config.ratingNoise() * random.nextGaussian();
        into.set(index, users.externalId(user), items.externalId(item),
                (float) Math.min(MAX_RATING, Math.max(MIN_RATING, rating)), START_TIMESTAMP + (long) elapsedMs);
        return true;
    }

    /** The true affinity {@code <user taste, item taste>} of a seen user and item, by their stream ids. */
    double affinity(final int user, final int item) {
        return dot(users.taste, users.internalId(user) * dimension, items.taste,
                items.internalId(item) * dimension);
    }

    /** A copy of a seen user's current taste vector. */
    float[] userTaste(final int user) {
        final int at = users.internalId(user) * dimension;
        return Arrays.copyOfRange(users.taste, at, at + dimension);
    }

    /** A copy of a seen item's taste vector. */
    float[] itemTaste(final int item) {
        final int at = items.internalId(item) * dimension;
        return Arrays.copyOfRange(items.taste, at, at + dimension);
    }

    /**
     * {@code <a[aAt..], b[bAt..]>} over the taste dimension, in float. Four partial sums: one chain of
     * dependent additions was a measurable share of the time per candidate.
     */
    private float dot(final float[] a, final int aAt, final float[] b, final int bAt) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < dimension; k += 4) {
            s0 += a[aAt + k] * b[bAt + k];
            s1 += a[aAt + k + 1] * b[bAt + k + 1];
            s2 += a[aAt + k + 2] * b[bAt + k + 2];
            s3 += a[aAt + k + 3] * b[bAt + k + 3];
        }
        for (; k < dimension; k++) {
            s0 += a[aAt + k] * b[bAt + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A new member at a uniformly random rank; returns its internal id. */
    private int arrive(final Pool pool) {
        final int member = pool.size;
        createMember(pool, random.nextInt(pool.size + 1));
        pool.zipf.grow(pool.size);
        return member;
    }

    private void createMember(final Pool pool, final int rank) {
        final int member = pool.add(rank);
        drawTaste(pool.taste, member);
        pool.bias[member] = (float) (BIAS_STD * random.nextGaussian());
    }

    private void drawTaste(final float[] tastes, final int member) {
        final int at = member * dimension;
        for (int k = 0; k < dimension; k++) {
            tastes[at + k] = (float) (tasteStd * random.nextGaussian());
        }
    }

    /** Users or items: tastes, biases, a ranking for Zipf draws and the ids given at first appearance. */
    private static final class Pool {
        private final int dimension;
        private final ZipfTable zipf;
        private float[] taste;
        private float[] bias;
        private int[] byRank;
        private int[] external;
        private int[] internal;
        private int size;
        private int seen;

        Pool(final double exponent, final int initial, final int dimension) {
            this.dimension = dimension;
            this.zipf = new ZipfTable(exponent);
            final int capacity = Math.max(16, initial + initial / 2);
            this.taste = new float[capacity * dimension];
            this.bias = new float[capacity];
            this.byRank = new int[capacity];
            this.external = new int[capacity];
            this.internal = new int[capacity];
        }

        /**
         * Adds a member at {@code rank}, pushing the ranks below it down by one; returns its internal id.
         * The caller grows the Zipf table.
         */
        int add(final int rank) {
            if (size == bias.length) {
                final int capacity = size * 2;
                taste = Arrays.copyOf(taste, capacity * dimension);
                bias = Arrays.copyOf(bias, capacity);
                byRank = Arrays.copyOf(byRank, capacity);
                external = Arrays.copyOf(external, capacity);
                internal = Arrays.copyOf(internal, capacity);
            }
            final int member = size++;
            System.arraycopy(byRank, rank, byRank, rank + 1, member - rank);
            byRank[rank] = member;
            external[member] = -1;
            return member;
        }

        int draw(final SplittableRandom random) {
            return byRank[zipf.sample(random.nextDouble())];
        }

        /** The member's id in the stream, given now if it is the member's first appearance. */
        int externalId(final int member) {
            int id = external[member];
            if (id < 0) {
                id = seen++;
                external[member] = id;
                internal[id] = member;
            }
            return id;
        }

        int internalId(final int externalId) {
            if (externalId < 0 || externalId >= seen) {
                throw new IllegalArgumentException("id " + externalId + " not seen yet; seen " + seen);
            }
            return internal[externalId];
        }
    }

    /**
     * Vose's alias table over ranks 0..n-1 with weights {@code (rank + 1)^-exponent}: one uniform draw
     * per sample. Depends only on n, so the members' ranking is kept apart from it.
     */
    static final class ZipfTable {
        /** Past this many ranks, rebuild only when the pool has grown by 1/REBUILD_SLACK. */
        private static final int REBUILD_SLACK = 1_024;

        private final double exponent;
        private double[] weight = new double[16];
        private double[] probability = new double[0];
        private int[] alias = new int[0];
        private int[] work = new int[0];
        private int ranks;

        ZipfTable(final double exponent) {
            this.exponent = exponent;
        }

        /** Ranks the table draws from (at most the pool's size). */
        int ranks() {
            return ranks;
        }

        void grow(final int size) {
            if (size >= ranks + Math.max(1, ranks / REBUILD_SLACK)) {
                rebuild(size);
            }
        }

        int sample(final double uniform) {
            final double scaled = uniform * ranks;
            final int rank = Math.min((int) scaled, ranks - 1);
            return scaled - rank < probability[rank] ? rank : alias[rank];
        }

        private void rebuild(final int size) {
            if (weight.length < size) {
                weight = Arrays.copyOf(weight, Math.max(size, weight.length * 2));
            }
            for (int r = ranks; r < size; r++) {
                weight[r] = Math.pow(r + 1, -exponent);
            }
            if (probability.length < size) {
                final int capacity = Math.max(size, probability.length * 2);
                probability = new double[capacity];
                alias = new int[capacity];
                work = new int[capacity];
            }
            double sum = 0;
            for (int r = 0; r < size; r++) {
                sum += weight[r];
            }
            // work holds two stacks: ranks under their share from the front, the others from the back.
            int small = 0;
            int large = size;
            for (int r = 0; r < size; r++) {
                probability[r] = weight[r] * size / sum;
                alias[r] = r;
                if (probability[r] < 1) {
                    work[small++] = r;
                } else {
                    work[--large] = r;
                }
            }
            while (small > 0 && large < size) {
                final int under = work[--small];
                final int over = work[large];
                alias[under] = over;
                probability[over] -= 1 - probability[under];
                if (probability[over] < 1) {
                    large++;
                    work[small++] = over;
                }
            }
            // What is left is 1 up to rounding.
            while (small > 0) {
                probability[work[--small]] = 1;
            }
            while (large < size) {
                probability[work[large++]] = 1;
            }
            ranks = size;
        }
    }
}
