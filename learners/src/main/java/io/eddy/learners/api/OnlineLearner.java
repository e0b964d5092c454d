package io.eddy.learners.api;

/**
 * Learns one model from a stream of examples, test-then-train.
 *
 * <p>Order of use: {@link LearnerType#create} once; then any mix of {@link #predict} and
 * {@link #learn}; {@link #reconfigure} between events when an operator updates hyper-parameters.
 * One thread calls a learner; it is not thread-safe.
 *
 * <p>State comes in two kinds. Model state is the dense parameters in {@link #parameters()}, shared
 * by every key the learner sees; the engine persists changed blocks before each commit. Per-key
 * state is {@link #keyStateSize()} floats per entity (a recurrent hidden state, for example) that
 * the engine loads before and stores after each call; learners without it return 0 and ignore the
 * {@code keyState} argument.
 *
 * @param <E> the decoded example type, a mutable holder reused across events
 */
public interface OnlineLearner<E> {

    /** Number of floats {@link #predict} writes. */
    int outputSize();

    /** Floats of per-key state; 0 when the learner keeps none. */
    default int keyStateSize() {
        return 0;
    }

    /**
     * Scores the example into {@code out[0, outputSize())}. Leaves model state unchanged.
     * Allocates nothing.
     */
    void predict(E example, float[] keyState, float[] out);

    /**
     * Learns from one labelled example and returns the loss of the prediction made before the
     * update. Allocates nothing.
     *
     * @throws NonFiniteUpdateException if the update would put a non-finite number into state;
     *     state is then left exactly as it was
     */
    float learn(E example, float[] keyState);

    /** The dense model state; the same instance for the learner's lifetime. */
    ParameterState parameters();

    /**
     * Applies new hyper-parameter values, already validated by {@link HyperParameters#resolve}.
     * Only parameters marked {@link HyperParameter#updatable()} may differ from the current ones.
     */
    void reconfigure(java.util.Map<String, Double> resolved);
}
