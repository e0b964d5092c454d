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
 * {@code keyState} argument. A learner with per-key state advances it in {@link #predict} (each event
 * is one step of its entity's sequence); {@link #learn} then follows for a labelled event, with the
 * same example and the key state as {@code predict} left it, before any other call.
 *
 * <p>{@link #step} takes a group of events of distinct keys at once; its result is by contract that
 * of the one-by-one calls, so a learner may compute the group in one batched pass.
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
     * Why the decoded example cannot be used by this learner (wrong input size, label out of range,
     * ...), or {@code null} when it can. The engine sends refused events to the dead-letter topic.
     */
    default String validate(final E example) {
        return null;
    }

    /**
     * The loss of {@code prediction} (as written by {@link #predict}) against the example's label, the
     * same measure {@link #learn} returns; for prequential metrics when the model is not learning.
     */
    float loss(E example, float[] prediction);

    /**
     * Scores the example into {@code out[0, outputSize())}, advancing {@code keyState} for a learner
     * that keeps one. Leaves model state unchanged. Allocates nothing.
     *
     * @throws NonFiniteUpdateException if the step would put a non-finite number into the key state or
     *     the output; the key state is then left exactly as it was
     */
    void predict(E example, float[] keyState, float[] out);

    /**
     * Learns from one labelled example and returns the loss of the prediction made before the
     * update. Allocates nothing.
     *
     * @throws NonFiniteUpdateException if the update would put a non-finite number into state;
     *     state is then left exactly as it was, except that a learner that updates once per micro-batch
     *     drops the refused micro-batch's earlier events with it (the message says how many)
     */
    float learn(E example, float[] keyState);

    /**
     * Most events the engine gathers into one {@link #step}; 1 (the default) steps events one at a
     * time. A learner with per-key state gets events of distinct keys in a group.
     */
    default int groupCapacity() {
        return 1;
    }

    /**
     * Steps a group of events of distinct keys, with exactly the result of taking them in order, each
     * with {@link #predict} and then, when it is labelled and {@code learn} is set, {@link #learn}:
     * outputs, key states, losses (from {@link #loss} when not learning), and the reason for each
     * refused non-finite step or update. The default does just that.
     */
    default void step(final EventGroup<E> group, final boolean learn) {
        for (int slot = 0; slot < group.size(); slot++) {
            try {
                predict(group.example(slot), group.keyState(slot), group.output(slot));
            } catch (final NonFiniteUpdateException e) {
                group.notStepped(slot, e.getMessage());
                continue;
            }
            learnInGroup(group, slot, learn);
        }
    }

    /**
     * The part of {@link #step} after a slot's {@link #predict}, whose output is in the group: a labelled
     * event is learned from when {@code learn} is set (its outcome the loss {@link #learn} returns, or the
     * reason a non-finite update was refused), else only its {@link #loss} is recorded.
     */
    default void learnInGroup(final EventGroup<E> group, final int slot, final boolean learn) {
        if (!group.labelled(slot)) {
            return;
        }
        final E example = group.example(slot);
        if (!learn) {
            group.outcome(slot, loss(example, group.output(slot)), null);
            return;
        }
        try {
            group.outcome(slot, learn(example, group.keyState(slot)), null);
        } catch (final NonFiniteUpdateException e) {
            group.refused(slot, loss(example, group.output(slot)), e);
        }
    }

    /** The dense model state; the same instance for the learner's lifetime. */
    ParameterState parameters();

    /**
     * The spans of {@link #parameters()} that replicas of one model, each learning on its own share of the
     * stream, average between them: pairs of first float and length, the weights alone (not an optimiser's
     * moments, counters or pending examples). Empty (the default) for a learner whose replicas do not merge.
     */
    default int[] replicaSpans() {
        return new int[0];
    }

    /**
     * Called before a replica's weights are merged into {@link #parameters()}: a learner that seeds blank
     * parameters only at its next event (after a reset) seeds them now, so that it does not overwrite the merge
     * then. The default does nothing.
     */
    default void beforeReplicaMerge() {
    }

    /**
     * Applies new hyper-parameter values, already validated by {@link HyperParameters#resolve}.
     * Only parameters marked {@link HyperParameter#updatable()} may differ from the current ones.
     */
    void reconfigure(java.util.Map<String, Double> resolved);
}
