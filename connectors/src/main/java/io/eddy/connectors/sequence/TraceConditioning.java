package io.eddy.connectors.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trace conditioning and trace patterning: the animal-learning prediction benchmarks of Rafiee et
 * al., "From Eye-blinks to State Construction: Diagnostic Benchmarks for Online Representation
 * Learning", as used by Javed et al., "Scalable Real-Time Recurrent Learning Using
 * Columnar-Constructive Networks". A regression task: at every step, predict how much
 * unconditioned stimulus is coming, which needs a memory of the cue across a silent gap.
 *
 * <p>Definition. One entity's sequence is a series of trials, back to back. A trial starts with the
 * conditioned stimulus (CS) on for one step; ISI steps later (the inter-stimulus interval, drawn
 * uniformly from [isiMin, isiMax], default [24, 36]) the unconditioned stimulus (US) is on for one
 * step, or stays off in an unreinforced trial; ITI steps after that (the inter-trial interval, drawn
 * uniformly from [itiMin, itiMax], default [80, 120]) the next trial's CS comes. Every other step is
 * silent. So a trial lasts ISI + ITI steps, with CS at its step 0 and US at its step ISI. The default
 * intervals are those of Javed et al.'s experiments.
 * <ul>
 *   <li>Trace conditioning ({@code trace-conditioning}): one CS bit, and every trial is reinforced.
 *   <li>Trace patterning ({@code trace-patterning}, {@link Builder#patterning(boolean)}): six CS
 *       bits; each trial turns on 3 of them, one of the 20 such patterns drawn uniformly. A fixed
 *       half of the patterns, 10 chosen by the seed ({@link #reinforcedPatterns()}), is reinforced
 *       (followed by the US), the other half never. The outcome is a function of the whole
 *       pattern, in general not a linear one of the CS bits, and must be remembered across the ISI.
 * </ul>
 * Input vector: {@code [CS bits (1 or 6), US bit, distractor bits]}. The distractors (default 4)
 * are each on with probability 0.1 at every step, independently of everything: noise to ignore.
 *
 * <p>Target: at step t, one float, the discounted sum of future US,
 * {@code G_t = sum over k >= 0 of gamma^k * US_{t+1+k}} with {@code gamma = 1 - 1/10} by default
 * (the US at step t itself does not count). The stream generates each entity's trials ahead of the
 * step it emits, so every event carries its target; the sum stops at the first k with
 * {@code gamma^k < 1e-12}, an absolute error below 1e-11, far below the float's precision.
 *
 * <p>Where this differs from the papers: their distractors differ in number and probability from
 * case to case, and Rafiee et al. also have stimuli lasting several steps. Set other intervals with
 * {@link Builder#isi(int, int)} and {@link Builder#iti(int, int)}. With {@link Builder#keys(int)}
 * above 1 the stream interleaves that many independent entities round-robin: event i belongs to
 * entity {@code i % keys}, keyed {@code "0"}, {@code "1"}, ...; one entity (key {@code "0"}) by
 * default.
 *
 * <p>Deterministic for a seed. {@link #next()} allocates nothing; {@link SequenceEvent#toJson()}
 * only the returned bytes. Not thread-safe.
 */
public final class TraceConditioning extends AbstractSequenceStream {
    /** CS bits in trace patterning, and how many of them a trial turns on. */
    static final int PATTERN_BITS = 6;
    static final int PATTERN_ON = 3;
    private static final int US_BIT = 1 << PATTERN_BITS;
    private static final double TRUNCATION = 1e-12;
    /** Most future steps a target sums: 16,777,216, so that its discounts take at most 128 MiB. */
    private static final int MAX_HORIZON = 1 << 24;

    private final int csBits;
    private final int isiMin;
    private final int isiSpan;
    private final int itiMin;
    private final int itiSpan;
    private final int distractors;
    private final double distractorProbability;
    private final double gamma;
    private final int[] patterns;
    private final boolean[] reinforced = new boolean[US_BIT];
    private final String[] keys;
    private final SplittableRandom random;

    // Each entity's upcoming steps, a ring of `capacity` bytes: CS bits in bits 0-5, the US in bit 6.
    private final double[] discount;
    private final int capacity;
    private final byte[] steps;
    private final long[] emitted;
    private final long[] generated;

    private TraceConditioning(final Builder builder) {
        super(builder.patterning ? "trace-patterning" : "trace-conditioning",
                (builder.patterning ? PATTERN_BITS : 1) + 1 + builder.distractors, 1, false, builder.events);
        this.csBits = builder.patterning ? PATTERN_BITS : 1;
        this.isiMin = builder.isiMin;
        this.isiSpan = builder.isiMax - builder.isiMin + 1;
        this.itiMin = builder.itiMin;
        this.itiSpan = builder.itiMax - builder.itiMin + 1;
        this.distractors = builder.distractors;
        this.distractorProbability = builder.distractorProbability;
        this.gamma = builder.gamma;
        this.keys = keys("", builder.keys, false);

        // The reinforced patterns come from their own generator, so the same seed gives the same task.
        if (builder.patterning) {
            final List<Integer> all = new ArrayList<>();
            for (int mask = 0; mask < US_BIT; mask++) {
                if (Integer.bitCount(mask) == PATTERN_ON) {
                    all.add(mask);
                }
            }
            Collections.shuffle(all, new Random(builder.seed));
            for (int i = 0; i < all.size() / 2; i++) {
                reinforced[all.get(i)] = true;
            }
            this.patterns = all.stream().mapToInt(Integer::intValue).sorted().toArray();
        } else {
            reinforced[1] = true;
            this.patterns = new int[] {1};
        }

        // gamma^h falls below TRUNCATION after about log(TRUNCATION) / log(gamma) steps: refuse before counting
        if (gamma > 0 && Math.log(TRUNCATION) / Math.log(gamma) > MAX_HORIZON) {
            throw new IllegalArgumentException("gamma " + gamma + " is too close to 1: its target would sum more than "
                    + MAX_HORIZON + " future steps");
        }
        int horizon = 1;
        while (Math.pow(gamma, horizon) >= TRUNCATION) {
            horizon++;
        }
        this.discount = new double[horizon];
        for (int k = 0; k < horizon; k++) {
            discount[k] = Math.pow(gamma, k);
        }
        final long needed = horizon + 1L + builder.isiMax + builder.itiMax;
        final long ring = Long.highestOneBit(needed - 1) << 1;
        if (ring * builder.keys > 1 << 30) {
            throw new IllegalArgumentException("gamma " + gamma + ", intervals and " + builder.keys
                    + " keys need a look-ahead of more than 1 GiB");
        }
        this.capacity = (int) ring;
        this.steps = new byte[capacity * builder.keys];
        this.emitted = new long[builder.keys];
        this.generated = new long[builder.keys];
        this.random = new SplittableRandom(builder.seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** A builder with defaults: trace conditioning, seed 42, no end, ISI 24..36, ITI 80..120, one key. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void fill(final SequenceEvent event, final long index) {
        final int entity = (int) (index % keys.length);
        event.begin(keys[entity], index);
        final long t = emitted[entity];
        while (generated[entity] < t + 1 + discount.length) {
            appendTrial(entity);
        }
        final int base = entity * capacity;
        final int mask = capacity - 1;
        final int step = steps[base + (int) (t & mask)];
        final float[] x = event.x();
        for (int i = 0; i < csBits; i++) {
            if ((step & (1 << i)) != 0) {
                x[i] = 1;
            }
        }
        if ((step & US_BIT) != 0) {
            x[csBits] = 1;
        }
        for (int j = 0; j < distractors; j++) {
            if (random.nextDouble() < distractorProbability) {
                x[csBits + 1 + j] = 1;
            }
        }
        double g = 0;
        for (int k = 0; k < discount.length; k++) {
            if ((steps[base + (int) ((t + 1 + k) & mask)] & US_BIT) != 0) {
                g += discount[k];
            }
        }
        event.y()[0] = (float) g;
        event.markTarget();
        emitted[entity] = t + 1;
    }

    /** Writes one trial of {@code entity} after its last generated step. */
    private void appendTrial(final int entity) {
        final int isi = isiMin + random.nextInt(isiSpan);
        final int iti = itiMin + random.nextInt(itiSpan);
        final int pattern = patterns[random.nextInt(patterns.length)];
        final int base = entity * capacity;
        final int mask = capacity - 1;
        final long start = generated[entity];
        for (int s = 0; s < isi + iti; s++) {
            steps[base + (int) ((start + s) & mask)] = 0;
        }
        steps[base + (int) (start & mask)] = (byte) pattern;
        if (reinforced[pattern]) {
            steps[base + (int) ((start + isi) & mask)] |= (byte) US_BIT;
        }
        generated[entity] = start + isi + iti;
    }

    /** Whether this is trace patterning (six CS bits, half the patterns reinforced). */
    public boolean patterning() {
        return csBits == PATTERN_BITS;
    }

    /** Number of CS bits at the start of the input: 1, or 6 in trace patterning. */
    public int csBits() {
        return csBits;
    }

    /** Position of the US bit in the input vector: {@link #csBits()}. */
    public int usIndex() {
        return csBits;
    }

    /** The discount of the target's sum of future US. */
    public double gamma() {
        return gamma;
    }

    /**
     * The CS patterns followed by the US, as bit masks over the CS inputs (bit i is CS input i),
     * ascending: {@code {1}} in trace conditioning, 10 of the 20 three-bit masks in trace patterning.
     */
    public int[] reinforcedPatterns() {
        int count = 0;
        for (final int pattern : patterns) {
            count += reinforced[pattern] ? 1 : 0;
        }
        final int[] result = new int[count];
        int i = 0;
        for (final int pattern : patterns) {
            if (reinforced[pattern]) {
                result[i++] = pattern;
            }
        }
        return result;
    }

    /** Settings of a {@link TraceConditioning}; each has a default. */
    public static final class Builder extends SequenceBuilder<Builder> {
        private boolean patterning;
        private int isiMin = 24;
        private int isiMax = 36;
        private int itiMin = 80;
        private int itiMax = 120;
        private int distractors = 4;
        private double distractorProbability = 0.1;
        private double gamma = 1 - 1 / 10.0;

        private Builder() {
            super(1);
        }

        /** Trace patterning (six CS bits, 3 on per trial, half the patterns reinforced); default false. */
        public Builder patterning(final boolean patterning) {
            this.patterning = patterning;
            return this;
        }

        /** Range of the inter-stimulus interval, CS step to US step, inclusive; default 24..36. */
        public Builder isi(final int min, final int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("need 1 <= isi min <= max, got " + min + ".." + max);
            }
            this.isiMin = min;
            this.isiMax = max;
            return this;
        }

        /** Range of the inter-trial interval, US step to the next CS step, inclusive; default 80..120. */
        public Builder iti(final int min, final int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("need 1 <= iti min <= max, got " + min + ".." + max);
            }
            this.itiMin = min;
            this.itiMax = max;
            return this;
        }

        /** Number of distractor inputs; default 4. */
        public Builder distractors(final int distractors) {
            if (distractors < 0) {
                throw new IllegalArgumentException("distractors must be >= 0, got " + distractors);
            }
            this.distractors = distractors;
            return this;
        }

        /** Probability that a distractor is on at a step; default 0.1. */
        public Builder distractorProbability(final double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("distractor probability must be in [0, 1], got " + probability);
            }
            this.distractorProbability = probability;
            return this;
        }

        /** Discount of the target, in [0, 1); default 0.9. */
        public Builder gamma(final double gamma) {
            if (!(gamma >= 0 && gamma < 1)) {
                throw new IllegalArgumentException("gamma must be in [0, 1), got " + gamma);
            }
            this.gamma = gamma;
            return this;
        }

        public TraceConditioning build() {
            return new TraceConditioning(this);
        }
    }
}
