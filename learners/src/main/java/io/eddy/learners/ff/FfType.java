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
 * The {@code "ff"} learner type: a net trained with Hinton's forward-forward algorithm from
 * micro-batches of the stream. See {@link FfLearner}.
 */
public final class FfType implements LearnerType<DenseExample> {
    /** The name admin commands use. */
    public static final String NAME = "ff";

    static final String INPUTS = "inputs";
    static final String OUTPUTS = "outputs";
    static final String LAYERS = "layers";
    static final String HIDDEN = "hidden";
    static final String ACTIVATION = "activation";
    static final String THRESHOLD = "threshold";
    static final String LABEL_SCALE = "labelScale";
    static final String LOSS = "loss";
    static final String ALPHA = "alpha";
    static final String OPTIMIZER = "optimizer";
    static final String LEARNING_RATE = "learningRate";
    static final String BETA1 = "beta1";
    static final String BETA2 = "beta2";
    static final String BATCH = "batch";
    static final String NEGATIVES = "negatives";
    static final String CLASSIFIER = "classifier";
    static final String LAYER_LOSS = "layerLoss";
    static final String INIT_SCALE = "initScale";
    static final String SEED = "seed";
    static final String REPLACEMENT_RATE = "replacementRate";
    static final String MATURITY = "maturity";
    static final String UTILITY_DECAY = "utilityDecay";
    static final String ANSWER_AVERAGE = "answerAverage";

    /** The parameters the forward-forward net and the backprop net of the same shape share. */
    static final List<HyperParameter> SHAPE_AND_TRAINING = List.of(
            HyperParameter.whole(INPUTS, 784, 1, 1_000_000, false, "Length of every event's \"x\"."),
            HyperParameter.whole(OUTPUTS, 10, 2, 10_000, false, "Number of classes; events carry \"label\"."),
            HyperParameter.whole(LAYERS, 2, 1, 64, false, "Hidden layers."),
            HyperParameter.whole(HIDDEN, 500, 1, 100_000, false, "Units per hidden layer."),
            HyperParameter.choice(ACTIVATION, "relu", List.of("relu", "tanh", "sigmoid"), false,
                    "The hidden units' activation."),
            HyperParameter.choice(OPTIMIZER, "adam", List.of("sgd", "adam"), false,
                    "How the weights move: plain SGD or Adam with bias correction."),
            HyperParameter.real(LEARNING_RATE, 0.001, 1e-7, 1, true, "Step size of the optimiser."),
            HyperParameter.real(BETA1, 0.9, 0, 0.9999, false, "Adam's decay of the mean gradient."),
            HyperParameter.real(BETA2, 0.999, 0.9, 0.999999, false,
                    "Adam's decay of the mean squared gradient (with beta1² < √beta2)."),
            HyperParameter.whole(BATCH, 8, 1, 4096, false,
                    "Labelled events per micro-batch: one training step each, on the compute backend. Every "
                            + "event is answered with the weights from before its batch, up to a batch's events "
                            + "in one pass of the net."),
            HyperParameter.real(INIT_SCALE, 1.0, 0, 100, false,
                    "Weights start uniform in +-initScale / sqrt(fan-in)."),
            HyperParameter.whole(SEED, 1, 0, Integer.MAX_VALUE, false, "Seed of the initial weights."),
            HyperParameter.real(REPLACEMENT_RATE, 0, 0, 1, true,
                    "Continual backprop: the fraction of each hidden layer's mature units replaced per training "
                            + "step, lowest utility first, with fresh input weights and zero outgoing ones (0: "
                            + "off). Keeps a net able to learn when the stream changes; 1e-4 is a usual value."),
            // a unit's age is counted in a float, exact up to 2^24
            HyperParameter.whole(MATURITY, 100, 0, (1 << 24) - 1, false,
                    "Continual backprop: training steps a new unit is left alone before it may be replaced."),
            HyperParameter.real(UTILITY_DECAY, 0.99, 0, 0.999999, false,
                    "Continual backprop: decay per step of a unit's running utility."),
            HyperParameter.real(ANSWER_AVERAGE, 0, 0, 0.999999, false,
                    "Answers come from a running average of the weights, decayed by this per training step "
                            + "(Polyak averaging: steadier answers from noisy steps, behind a change by about "
                            + "1/(1-answerAverage) steps); 0: from the current weights. Learning always uses "
                            + "the current weights."));

    private static final List<HyperParameter> PARAMETERS;

    static {
        final java.util.ArrayList<HyperParameter> all = new java.util.ArrayList<>(SHAPE_AND_TRAINING);
        all.add(HyperParameter.choice(LOSS, "symba", List.of("threshold", "symba"), false,
                "threshold: Hinton's, the mean squared activation above θ for positive data and below it for "
                        + "negative data; symba: softplus(-alpha (g+ - g-)) of each positive and negative pair."));
        all.add(HyperParameter.real(THRESHOLD, 1.0, 0, 1e6, false, "Goodness threshold θ of the threshold loss."));
        all.add(HyperParameter.real(ALPHA, 4.0, 0, 1e3, false, "Sharpness α of the symba loss."));
        all.add(HyperParameter.real(LABEL_SCALE, 10, 0, 1e6, false,
                "Height of the one-hot label appended to the input (the neutral label of the head's pass is "
                        + "labelScale/classes everywhere)."));
        all.add(HyperParameter.choice(NEGATIVES, "hardest", List.of("random", "hardest", "all"), false,
                "Negative data's label: a uniformly random wrong label, the wrong label the net currently "
                        + "scores highest, or all: every wrong label, each layer's loss the cross-entropy of a "
                        + "softmax of alpha times its goodness over the labels (symba; threshold: each wrong "
                        + "label's loss weighted 1/(classes-1))."));
        all.add(HyperParameter.choice(CLASSIFIER, "goodness", List.of("goodness", "head"), false,
                "goodness: the label whose embedding gives the most goodness (one pass per class); head: a "
                        + "softmax layer on the normalised activations of a pass with a neutral label."));
        all.add(HyperParameter.choice(LAYER_LOSS, "local", List.of("local", "collaborative"), false,
                "local: each layer's loss reads its own goodness (Hinton's); collaborative: the goodness summed "
                        + "over all layers, the others' held fixed, so that each layer learns what the sum that "
                        + "classifies still gets wrong (threshold: θ per layer, summed). No gradient crosses a "
                        + "layer either way."));
        PARAMETERS = List.copyOf(all);
    }

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

    /** Without a backend given, on a CPU backend of the calling thread alone (it holds no threads to close). */
    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved) {
        return new FfLearner(FfConfig.from(resolved), new CpuBackend(1, CpuBackend.vectorApiAvailable()));
    }

    @Override
    public void checkNewModel(final Map<String, Double> resolved) {
        final FfConfig config = FfConfig.from(resolved);
        OptimizerSettings.adamConverges(name(), config.adam(), config.beta1(), config.beta2());
    }

    @Override
    public Footprint footprint(final Map<String, Double> resolved) {
        return FfLearner.footprint(FfConfig.from(resolved));
    }

    @Override
    public boolean usesComputeBackend(final Map<String, Double> resolved) {
        return true;
    }

    @Override
    public OnlineLearner<DenseExample> create(final Map<String, Double> resolved, final ComputeBackend backend) {
        return new FfLearner(FfConfig.from(resolved), backend);
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
