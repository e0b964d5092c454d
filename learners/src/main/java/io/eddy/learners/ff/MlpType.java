package io.eddy.learners.ff;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.OptimizerSettings;
import java.util.List;
import java.util.Map;

/**
 * The {@code "mlp"} learner type: the backprop baseline of the same shape as an {@code ff} net, with
 * the same shape and training parameters. See {@link BackpropMlpLearner}.
 */
public final class MlpType implements LearnerType<DenseExample> {
    /** The name admin commands use. */
    public static final String NAME = "mlp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<HyperParameter> hyperParameters() {
        return FfType.SHAPE_AND_TRAINING;
    }

    @Override
    public DenseExample newExample() {
        return new DenseExample();
    }

    /** Without a backend given, on a CPU backend of the calling thread alone (it holds no threads to close). */
    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved) {
        return new BackpropMlpLearner(FfConfig.from(resolved), new CpuBackend(1, CpuBackend.vectorApiAvailable()));
    }

    @Override
    public void checkNewModel(final Map<String, Double> resolved) {
        final FfConfig config = FfConfig.from(resolved);
        OptimizerSettings.adamConverges(name(), config.adam(), config.beta1(), config.beta2());
    }

    @Override
    public Footprint footprint(final Map<String, Double> resolved) {
        return BackpropMlpLearner.footprint(FfConfig.from(resolved));
    }

    @Override
    public boolean usesComputeBackend(final Map<String, Double> resolved) {
        return true;
    }

    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved, final ComputeBackend backend) {
        return new BackpropMlpLearner(FfConfig.from(resolved), backend);
    }

    @Override
    public boolean mergesReplicas() {
        return true;
    }

    @Override
    public boolean takesLateLabels() {
        return true;
    }
}
