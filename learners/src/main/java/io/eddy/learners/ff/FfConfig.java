package io.eddy.learners.ff;

import io.eddy.kernels.api.Activation;
import io.eddy.learners.api.OptimizerSettings;
import java.util.Map;

/**
 * The shape and training settings of a forward-forward net (and of the backprop net of the same shape
 * it is compared with), read from resolved hyper-parameters.
 *
 * <p>The backprop net reads the shared parameters only; forward-forward's own default to 0 for it.
 *
 * @param layers hidden layers, each of {@code hidden} units
 * @param symmetricLoss forward-forward's loss is SymBa's, on each positive and negative pair (else the threshold's)
 * @param alpha SymBa's sharpness
 * @param labelScale height of the one-hot label appended to forward-forward's input
 * @param hardNegatives negative labels are the current hardest wrong label (else uniformly random)
 * @param allNegatives every wrong label is negative data, each weighted by its softmax share of the goodness
 * @param goodnessClassifier classify by the label with the highest goodness (else a linear head)
 * @param collaborative each layer's loss reads the goodness summed over the layers (else its own)
 * @param replacementRate continual backprop: fraction of each layer's mature units replaced per step (0: off)
 * @param maturity steps a new unit is kept before it may be replaced
 * @param utilityDecay decay per step of a unit's running utility
 * @param answerAverage decay per step of the running average of the weights that answers use (0: none)
 */
public record FfConfig(int inputs, int classes, int layers, int hidden, Activation activation, double threshold,
                       boolean symmetricLoss, double alpha, double labelScale, boolean adam, double learningRate,
                       double beta1, double beta2, int batch, boolean hardNegatives, boolean allNegatives,
                       boolean goodnessClassifier, boolean collaborative,
                       double initScale, long seed, double replacementRate, int maturity,
                       double utilityDecay, double answerAverage) {

    public FfConfig {
        if (inputs < 1 || classes < 2 || layers < 1 || hidden < 1 || batch < 1) {
            throw new IllegalArgumentException("sizes must be positive and classes at least 2");
        }
        OptimizerSettings.check("ff", adam, learningRate, beta1, beta2);
        OptimizerSettings.atLeast("ff", "threshold", threshold, 0);
        OptimizerSettings.atLeast("ff", "alpha", alpha, 0);
        OptimizerSettings.atLeast("ff", "labelScale", labelScale, 0);
        OptimizerSettings.atLeast("ff", "initScale", initScale, 0);
        OptimizerSettings.fraction("ff", "replacementRate", replacementRate, true);
        OptimizerSettings.fraction("ff", "utilityDecay", utilityDecay, false);
        OptimizerSettings.fraction("ff", "answerAverage", answerAverage, false);
    }

    /** Reads a config from the map {@code HyperParameters.resolve(FfType.hyperParameters(), ...)} returns. */
    public static FfConfig from(final Map<String, Double> p) {
        return new FfConfig(p.get(FfType.INPUTS).intValue(), p.get(FfType.OUTPUTS).intValue(),
                p.get(FfType.LAYERS).intValue(), p.get(FfType.HIDDEN).intValue(),
                ACTIVATIONS[p.get(FfType.ACTIVATION).intValue()], p.getOrDefault(FfType.THRESHOLD, 0.0),
                p.getOrDefault(FfType.LOSS, 0.0).intValue() == 1, p.getOrDefault(FfType.ALPHA, 0.0),
                p.getOrDefault(FfType.LABEL_SCALE, 0.0), p.get(FfType.OPTIMIZER).intValue() == 1,
                p.get(FfType.LEARNING_RATE), p.get(FfType.BETA1), p.get(FfType.BETA2), p.get(FfType.BATCH).intValue(),
                p.getOrDefault(FfType.NEGATIVES, 1.0).intValue() == 1,
                p.getOrDefault(FfType.NEGATIVES, 1.0).intValue() == 2,
                p.getOrDefault(FfType.CLASSIFIER, 0.0).intValue() == 0,
                p.getOrDefault(FfType.LAYER_LOSS, 0.0).intValue() == 1, p.get(FfType.INIT_SCALE),
                p.get(FfType.SEED).longValue(), p.get(FfType.REPLACEMENT_RATE), p.get(FfType.MATURITY).intValue(),
                p.get(FfType.UTILITY_DECAY), p.get(FfType.ANSWER_AVERAGE));
    }

    /** The activations by the index of their name in {@link FfType}'s choice. */
    static final Activation[] ACTIVATIONS = {Activation.RELU, Activation.TANH, Activation.SIGMOID};

    /** Rows of a training step: positive and negative data of every event of a full micro-batch. */
    int trainingRows() {
        return trainingRows(batch);
    }

    /** Rows of a training step on {@code events} events: a positive row and one negative or every wrong label. */
    int trainingRows(final int events) {
        return (allNegatives ? classes : 2) * events;
    }

    /** Inputs of layer {@code l}: the first sees the event's inputs and, for forward-forward, a label. */
    int fanIn(final int layer, final boolean withLabel) {
        return layer == 0 ? inputs + (withLabel ? classes : 0) : hidden;
    }

    /** The first layer whose goodness or activations classify (see {@link FfLearner}): the first one. */
    int firstScoringLayer() {
        return 0;
    }
}
