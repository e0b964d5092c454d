package io.eddy.connectors.sequence;

/**
 * The settings every sequence task's builder shares: the seed, how many events, how many keys.
 *
 * @param <B> the task's own builder, returned by each setter so that calls chain
 */
public abstract class SequenceBuilder<B extends SequenceBuilder<B>> {
    /**
     * Largest signal or noise a task takes: inputs are floats, and even a value this large plus noise
     * of this deviation stays far inside their range (3.4e38).
     */
    static final double MAX_MAGNITUDE = 1e30;

    long seed = 42;
    long events = Long.MAX_VALUE;
    int keys;

    SequenceBuilder(final int defaultKeys) {
        this.keys = defaultKeys;
    }

    /** Seed of everything random in the task. */
    public B seed(final long seed) {
        this.seed = seed;
        return self();
    }

    /** Number of events to produce, over all keys; default no end. */
    public B events(final long events) {
        if (events < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + events);
        }
        this.events = events;
        return self();
    }

    /** {@code value} when it is finite, at most {@link #MAX_MAGNITUDE} in size and, if asked, not negative. */
    static double magnitude(final String name, final double value, final boolean nonNegative) {
        if (!(Math.abs(value) <= MAX_MAGNITUDE) || nonNegative && value < 0) {
            throw new IllegalArgumentException(name + " must be in [" + (nonNegative ? "0" : "-1e30") + ", 1e30], got "
                    + value);
        }
        return value;
    }

    /** Number of independent entities, at least 1; each task states its default. */
    public B keys(final int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        }
        this.keys = keys;
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
