package io.eddy.learners.api;

import io.eddy.kernels.api.ComputeBackend;
import java.util.List;
import java.util.Map;

/**
 * A registered kind of learner ("ftrl", ...). Admin commands name a type and its parameters, never
 * code; the type says which parameters exist and builds learners from validated values.
 *
 * @param <E> the example type its learners consume
 */
public interface LearnerType<E> {

    /** The name used in admin commands, e.g. {@code "ftrl"}. */
    String name();

    /** Every parameter the type accepts, with default, range and whether it may change later. */
    List<HyperParameter> hyperParameters();

    /** A fresh example holder for {@link OnlineLearner#predict} and {@link OnlineLearner#learn}. */
    E newExample();

    /**
     * Builds a learner with zeroed state from values returned by
     * {@code HyperParameters.resolve(hyperParameters(), given)}.
     */
    OnlineLearner<E> create(Map<String, Double> resolved);

    /**
     * Refuses, when a model is created, settings each in range that do not work together (checks that a
     * model stored before them must not fail at its start). Types without such rules keep the default.
     *
     * @throws InvalidConfigException naming the settings
     */
    default void checkNewModel(final Map<String, Double> resolved) {
    }

    /**
     * What a learner with these resolved hyper-parameters would allocate, counted without building it,
     * so that a model too large to build is refused when it is created rather than failing in every task.
     * Types whose memory stays small whatever their parameters keep the default.
     */
    default Footprint footprint(final Map<String, Double> resolved) {
        return Footprint.NONE;
    }

    /**
     * Whether an event of this type may get its label later, in a separate record: true for types without
     * per-key state, for which learning from an event later is learning from the same example.
     */
    default boolean takesLateLabels() {
        return false;
    }

    /** Whether the type's learners name {@link OnlineLearner#replicaSpans} for replicas to average. */
    default boolean mergesReplicas() {
        return false;
    }

    /**
     * Whether a learner with these resolved hyper-parameters does dense math on a {@link ComputeBackend};
     * the engine opens one only for those.
     */
    default boolean usesComputeBackend(final Map<String, Double> resolved) {
        return false;
    }

    /**
     * Builds a learner that computes on {@code backend}, which the caller owns and closes after the
     * learner. Types that do not {@link #usesComputeBackend use one} ignore it.
     */
    default OnlineLearner<E> create(final Map<String, Double> resolved, final ComputeBackend backend) {
        return create(resolved);
    }
}
