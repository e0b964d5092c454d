package io.eddy.learners.rtrl;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.OptimizerSettings;
import java.util.List;
import java.util.Map;

/**
 * The {@code "rtrl"} learner type: recurrent nets with element-wise recurrence trained online with
 * exact real-time recurrent learning, one hidden state per entity key. See {@link RtrlLearner}.
 */
public final class RtrlType implements LearnerType<DenseExample> {
    /** The name admin commands use. */
    public static final String NAME = "rtrl";

    static final String CELL = "cell";
    static final String TASK = "task";
    static final String INPUTS = "inputs";
    static final String OUTPUTS = "outputs";
    static final String HIDDEN = "hidden";
    static final String STAGES = "stages";
    static final String STAGE_EVENTS = "stageEvents";
    static final String OPTIMIZER = "optimizer";
    static final String LEARNING_RATE = "learningRate";
    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String GRADIENT_CLIP = "gradientClip";
    static final String BATCH = "batch";
    static final String INIT_SCALE = "initScale";
    static final String SEED = "seed";
    static final String IDLE_SECONDS = "idleSeconds";
    static final String KEY_CACHE_MB = "keyCacheMB";

    private static final List<HyperParameter> PARAMETERS = List.of(
            HyperParameter.choice(CELL, "elstm", List.of("diagonal", "elstm", "mingru"), false,
                    "The recurrent cell: diagonal (h = tanh(W u + r h' + b)), elstm (element-wise LSTM, Irie et "
                            + "al.) or mingru (gates from the input only). All keep exact RTRL cheap."),
            HyperParameter.choice(TASK, "classification", List.of("regression", "classification"), false,
                    "regression: events carry \"y\" (outputs floats), loss is the mean squared error; "
                            + "classification: events carry \"label\" (0..outputs-1), softmax and cross-entropy."),
            HyperParameter.whole(INPUTS, 1, 1, 100_000, false, "Length of every event's \"x\"."),
            HyperParameter.whole(OUTPUTS, 2, 1, 100_000, false,
                    "Regression targets' length, or the number of classes."),
            HyperParameter.whole(HIDDEN, 64, 1, 4096, false,
                    "Recurrent units per stage; each is an independent column with its own state."),
            HyperParameter.whole(STAGES, 1, 1, 64, false,
                    "Stages of a constructive net (Javed et al.): stage s also sees the features of stages "
                            + "below it; one stage learns at a time, earlier ones are frozen."),
            HyperParameter.whole(STAGE_EVENTS, 100_000, 1, 1_000_000_000, false,
                    "Learned events per stage before it is frozen and the next one grows."),
            HyperParameter.choice(OPTIMIZER, "adam", List.of("sgd", "adam"), false,
                    "How the shared parameters move: plain SGD or Adam with bias correction."),
            HyperParameter.real(LEARNING_RATE, 0.01, 1e-7, 0.1, true, "Step size of the optimiser."),
            HyperParameter.real(BETA1, 0.9, 0, 0.9999, false, "Adam's decay of the mean gradient."),
            HyperParameter.real(BETA2, 0.999, 0.9, 0.999999, false,
                    "Adam's decay of the mean squared gradient (with beta1² < √beta2)."),
            HyperParameter.real(GRADIENT_CLIP, 1.0, 0, 1e6, true,
                    "Each gradient element is clipped to [-clip, clip]; 0 turns clipping off."),
            HyperParameter.whole(BATCH, 1, 1, 4096, false,
                    "Labelled events whose gradients are averaged into one update; 1 updates on every event."),
            HyperParameter.real(INIT_SCALE, 1.0, 0, 100, false,
                    "Input weights start uniform in +-initScale / sqrt(fan-in)."),
            HyperParameter.whole(SEED, 1, 0, Integer.MAX_VALUE, false, "Seed of the initial weights."),
            HyperParameter.whole(IDLE_SECONDS, 86_400, 0, 1_000_000_000, true,
                    "A key's state is evicted after this many seconds of event time without an event for it "
                            + "(0: never); the key then starts afresh."),
            HyperParameter.whole(KEY_CACHE_MB, 256, 0, 1_000_000, true,
                    "Megabytes of key states each task keeps in memory, least recently used out; the others "
                            + "are read from RocksDB when their key comes back."));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<HyperParameter> hyperParameters() {
        return PARAMETERS;
    }

    @Override
    public DenseExample newExample() {
        return new DenseExample();
    }

    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved) {
        return new RtrlLearner(RtrlConfig.from(resolved));
    }

    @Override
    public void checkNewModel(final Map<String, Double> resolved) {
        final RtrlConfig config = RtrlConfig.from(resolved);
        OptimizerSettings.adamConverges(name(), config.adam(), config.beta1(), config.beta2());
    }

    @Override
    public Footprint footprint(final Map<String, Double> resolved) {
        return RtrlLearner.footprint(RtrlConfig.from(resolved));
    }

    /** A net that averages gradients over batches steps its groups of keys on a compute backend. */
    @Override
    public boolean usesComputeBackend(final Map<String, Double> resolved) {
        return resolved.get(BATCH).intValue() > 1;
    }

    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved, final ComputeBackend backend) {
        return new RtrlLearner(RtrlConfig.from(resolved), backend);
    }

    @Override
    public boolean mergesReplicas() {
        return true;
    }
}
