package io.eddy.connectors.sequence;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Many entities, each a sticky hidden Markov chain seen through noise: a classification task where
 * one event says little and an entity's history says much, so a model must keep state per key.
 *
 * <p>Definition. There are {@code keys} entities (default 10,000), keyed {@code "k0000"} ...
 * {@code "k9999"} (zero-padded to the width of the largest). Each event picks an entity uniformly at
 * random and advances that entity's own chain by one step; chains advance only when picked. An
 * entity's hidden state is one of {@code states} (default 4): uniform at its first event; at each
 * later one it stays with probability {@code stay} (default 0.9) and otherwise moves to one of the
 * other states, uniformly. The event's input is {@code x = signal * one-hot(state) + noise * N(0, I)}
 * of size {@code states} (default signal 1, noise 1), rounded to 4 decimals; its label is the
 * entity's current state.
 *
 * <p>What can be learned: a stateless classifier sees one x, and the best it can do (uniform prior,
 * equal noise) is {@code argmax(x)}. A filter over the entity's earlier events (the HMM forward
 * algorithm) does much better. Measured with the defaults (seed 1): over 200,000 events (about 20
 * per entity, each entity's first events included) argmax(x) 0.552 and the exact forward filter 0.729
 * ({@code HiddenStateEntitiesTest}); over 2,000,000 events, 0.552 and 0.750, the filter's steady
 * state.
 *
 * <p>Deterministic for a seed. {@link #next()} allocates nothing; {@link SequenceEvent#toJson()}
 * only the returned bytes. Not thread-safe.
 */
public final class HiddenStateEntities extends AbstractSequenceStream {
    private final int states;
    private final double stay;
    private final double signal;
    private final double noise;
    private final String[] keys;
    private final int[] state;
    private final SplittableRandom random;

    private HiddenStateEntities(final Builder builder) {
        super("hidden-state", builder.states, builder.states, true, builder.events);
        this.states = builder.states;
        this.stay = builder.stay;
        this.signal = builder.signal;
        this.noise = builder.noise;
        this.keys = keys("k", builder.keys, true);
        this.state = new int[builder.keys];
        Arrays.fill(state, -1);
        this.random = new SplittableRandom(builder.seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** A builder with defaults: seed 42, no end, 10,000 keys, 4 states, stay 0.9, signal 1, noise 1. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void fill(final SequenceEvent event, final long index) {
        final int entity = random.nextInt(keys.length);
        event.begin(keys[entity], index);
        int s = state[entity];
        if (s < 0) {
            s = random.nextInt(states);
        } else if (random.nextDouble() >= stay) {
            final int other = random.nextInt(states - 1);
            s = other >= s ? other + 1 : other;
        }
        state[entity] = s;
        final float[] x = event.x();
        for (int i = 0; i < states; i++) {
            final double value = (i == s ? signal : 0) + noise * random.nextGaussian();
            x[i] = (float) (Math.rint(value * 1e4) / 1e4) + 0f; // + 0f turns -0 into 0
        }
        event.setLabel(s);
    }

    /** Number of hidden states, also the input size and the number of classes. */
    public int states() {
        return states;
    }

    /** Probability that an entity's state stays the same from one of its events to the next. */
    public double stay() {
        return stay;
    }

    /** Height of the one-hot part of x. */
    public double signal() {
        return signal;
    }

    /** Standard deviation of the Gaussian noise on each input. */
    public double noise() {
        return noise;
    }

    /** Number of entities. */
    public int keys() {
        return keys.length;
    }

    /** Settings of a {@link HiddenStateEntities}; each has a default (10,000 keys). */
    public static final class Builder extends SequenceBuilder<Builder> {
        private int states = 4;
        private double stay = 0.9;
        private double signal = 1;
        private double noise = 1;

        private Builder() {
            super(10_000);
        }

        /** Number of hidden states, at least 2; default 4. */
        public Builder states(final int states) {
            if (states < 2) {
                throw new IllegalArgumentException("states must be >= 2, got " + states);
            }
            this.states = states;
            return this;
        }

        /** Probability of keeping the state from one event of an entity to its next, in [0, 1]; default 0.9. */
        public Builder stay(final double stay) {
            if (!(stay >= 0 && stay <= 1)) {
                throw new IllegalArgumentException("stay must be in [0, 1], got " + stay);
            }
            this.stay = stay;
            return this;
        }

        /** Height of the one-hot part of x; default 1. */
        public Builder signal(final double signal) {
            this.signal = magnitude("signal", signal, false);
            return this;
        }

        /** Standard deviation of the noise on each input, >= 0; default 1. */
        public Builder noise(final double noise) {
            this.noise = magnitude("noise", noise, true);
            return this;
        }

        public HiddenStateEntities build() {
            return new HiddenStateEntities(this);
        }
    }
}
