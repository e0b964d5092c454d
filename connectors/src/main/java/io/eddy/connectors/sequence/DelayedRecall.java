package io.eddy.connectors.sequence;

import java.util.SplittableRandom;

/**
 * Delayed recall: remember a token for K steps and name it when asked. A classification task whose
 * difficulty is the delay K alone: a model without memory can only guess (accuracy 1/vocab).
 *
 * <p>Definition. One entity's sequence is a series of episodes of K + 1 steps, back to back. The
 * input vector has vocab + 2 parts: {@code [token one-hot (vocab), store flag, recall flag]}.
 * <ul>
 *   <li>Step 0: a token t drawn uniformly from [0, vocab), shown one-hot, and the store flag on.
 *   <li>Steps 1 .. K - 1: blank: flags off, token part zero, or, with {@link Builder#noise(double)}
 *       above 0, Gaussian noise of that standard deviation on the token part (default off).
 *   <li>Step K: the recall flag on, token part zero; the event's label is t, the token shown K steps
 *       earlier.
 * </ul>
 * Only the recall step is labelled; the others carry no target, so a model only advances its state
 * on them. {@code outputs() == vocab}; vocab defaults to 4. K must be given (we evaluate 5, 20, 50).
 * Noise values are rounded to 4 decimals, so the JSON carries them exactly.
 *
 * <p>With {@link Builder#keys(int)} above 1 the stream interleaves that many independent entities
 * round-robin: event i belongs to entity {@code i % keys}, keyed {@code "0"}, {@code "1"}, ...; one
 * entity (key {@code "0"}) by default.
 *
 * <p>Deterministic for a seed. {@link #next()} allocates nothing; {@link SequenceEvent#toJson()}
 * only the returned bytes. Not thread-safe.
 */
public final class DelayedRecall extends AbstractSequenceStream {
    private final int delay;
    private final int vocab;
    private final double noise;
    private final String[] keys;
    private final int[] token;
    private final int[] phase;
    private final SplittableRandom random;

    private DelayedRecall(final Builder builder) {
        super("delayed-recall", builder.vocab + 2, builder.vocab, true, builder.events);
        this.delay = builder.delay;
        this.vocab = builder.vocab;
        this.noise = builder.noise;
        this.keys = keys("", builder.keys, false);
        this.token = new int[builder.keys];
        this.phase = new int[builder.keys];
        this.random = new SplittableRandom(builder.seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** A builder for delay K (at least 1), with defaults: seed 42, no end, vocab 4, no noise, one key. */
    public static Builder builder(final int delay) {
        return new Builder(delay);
    }

    @Override
    protected void fill(final SequenceEvent event, final long index) {
        final int entity = (int) (index % keys.length);
        event.begin(keys[entity], index);
        final float[] x = event.x();
        final int step = phase[entity];
        if (step == 0) {
            final int t = random.nextInt(vocab);
            token[entity] = t;
            x[t] = 1;
            x[vocab] = 1;
        } else if (step < delay) {
            if (noise > 0) {
                for (int i = 0; i < vocab; i++) {
                    x[i] = (float) (Math.rint(noise * random.nextGaussian() * 1e4) / 1e4) + 0f; // no -0
                }
            }
        } else {
            x[vocab + 1] = 1;
            event.setLabel(token[entity]);
        }
        phase[entity] = step == delay ? 0 : step + 1;
    }

    /** The delay K: steps from the token to its recall. */
    public int delay() {
        return delay;
    }

    /** Number of distinct tokens, also the number of classes. */
    public int vocab() {
        return vocab;
    }

    /** Settings of a {@link DelayedRecall}; each but the delay has a default. */
    public static final class Builder extends SequenceBuilder<Builder> {
        private final int delay;
        private int vocab = 4;
        private double noise;

        private Builder(final int delay) {
            super(1);
            if (delay < 1) {
                throw new IllegalArgumentException("delay must be >= 1, got " + delay);
            }
            this.delay = delay;
        }

        /** Number of distinct tokens, at least 2; default 4. */
        public Builder vocab(final int vocab) {
            if (vocab < 2) {
                throw new IllegalArgumentException("vocab must be >= 2, got " + vocab);
            }
            this.vocab = vocab;
            return this;
        }

        /** Standard deviation of the noise on the token part of blank steps; default 0, none. */
        public Builder noise(final double noise) {
            this.noise = magnitude("noise", noise, true);
            return this;
        }

        public DelayedRecall build() {
            return new DelayedRecall(this);
        }
    }
}
