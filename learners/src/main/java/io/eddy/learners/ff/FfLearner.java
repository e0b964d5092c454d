package io.eddy.learners.ff;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.Footprint;
import java.util.SplittableRandom;

/**
 * Hinton's forward-forward algorithm, online. Every layer learns on its own: from positive data (the
 * input with its true label appended, one-hot) it learns to make its goodness, the mean squared
 * activation, exceed the threshold θ; from negative data (the same input with a wrong label) to keep
 * it below, with the logistic loss {@code softplus(±(θ − g))}; or, with {@code loss} {@code symba}
 * (Lee and Song's SymBa), from each positive and negative pair at once, {@code softplus(−α·(g⁺ − g⁻))},
 * which needs no threshold and keeps pushing the two apart. The label is appended to the input as
 * a one-hot vector of height {@code labelScale} (ten label inputs beside hundreds of pixels need the
 * weight). A layer's input is the previous layer's
 * activity normalised to unit length, so that goodness cannot pass from one layer to the next, and no
 * gradient crosses a layer.
 *
 * <p>On the stream: each event is answered with the class scores of the current weights (the events of
 * a group in one pass, see {@link MicroBatchClassifier}), then kept; every {@code batch} labelled events
 * make one training step of all layers on the compute backend. Predictions of a batch therefore use the
 * weights from before it, and the boundaries are
 * fixed by the count of labelled events, persisted with the pending examples in {@link #parameters()}.
 *
 * <p>Classification: by goodness (the label whose embedding makes the layers' summed goodness
 * highest; one pass with a row per class), or by a softmax head trained on the normalised activations
 * of a pass with a neutral label ({@code labelScale/classes} for every class). All layers score:
 * Hinton leaves out the first, which sees the label directly, but in online runs on Fashion-MNIST the
 * deeper layers, whose inputs are length-normalised, separated positive from negative data far less
 * than the first, and scoring without it lost accuracy. The scores are a softmax either
 * way, and the loss is their cross-entropy.
 */
public final class FfLearner extends MicroBatchClassifier {
    private static final float EPSILON = 1e-8f;

    private final int hidden;
    private final int fanIn0;
    private final int[] layerAt;
    private final int headAt;
    private final int features;
    private final int rows;
    private final DeviceFloats input;
    private final DeviceFloats[] activity;
    private final DeviceFloats[] normalised;
    private final DeviceFloats goodness;
    private final DeviceFloats coefficients;
    private final DeviceFloats dz;
    private final DeviceFloats logits;
    private final DeviceFloats delta;
    private final float[] inputHost;
    private final float[] goodnessHost;
    private final float[] coefficientsHost;
    private final float[] logitsHost;
    private final float[] deltaHost;
    private final float[] activityHost;
    private final double[] scores;
    /** Per training row, the goodness summed over the layers (collaborative layer loss). */
    private final float[] summedGoodness;
    private final float labelScale;

    public FfLearner(final FfConfig config, final ComputeBackend backend) {
        super(FfType.NAME, config, backend, Math.toIntExact((long) weights(config)), rows(config),
                rowsPerAnswer(config));
        this.hidden = config.hidden();
        this.fanIn0 = config.fanIn(0, true);
        this.layerAt = new int[config.layers()];
        for (int l = 1; l < config.layers(); l++) {
            layerAt[l] = layerAt[l - 1] + (config.fanIn(l - 1, true) + 1) * hidden;
        }
        this.headAt = layerAt[config.layers() - 1] + (config.fanIn(config.layers() - 1, true) + 1) * hidden;
        this.features = (config.layers() - config.firstScoringLayer()) * hidden;
        this.rows = rows(config);
        this.input = backend.allocateFloats(rows * fanIn0);
        this.activity = new DeviceFloats[config.layers()];
        this.normalised = new DeviceFloats[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            activity[l] = backend.allocateFloats(rows * hidden);
            normalised[l] = backend.allocateFloats(rows * hidden);
        }
        this.goodness = backend.allocateFloats(config.layers() * rows);
        this.coefficients = backend.allocateFloats(config.layers() * rows);
        this.dz = backend.allocateFloats(rows * hidden);
        this.logits = backend.allocateFloats(rows * classes);
        this.delta = backend.allocateFloats(rows * classes);
        this.inputHost = new float[rows * fanIn0];
        this.goodnessHost = new float[config.layers() * rows];
        this.coefficientsHost = new float[config.layers() * rows];
        this.logitsHost = new float[rows * classes];
        this.deltaHost = new float[rows * classes];
        this.activityHost = new float[rows * hidden];
        this.scores = new double[classes];
        this.summedGoodness = new float[rows];
        this.labelScale = (float) config.labelScale();
        initializeIfBlank();
    }

    /** Rows of an event's answer: one per label when classifying by goodness, else one. */
    private static int rowsPerAnswer(final FfConfig config) {
        return config.goodnessClassifier() ? config.classes() : 1;
    }

    /** Most rows of the net's products: a training step's or an answer pass's. */
    private static int rows(final FfConfig config) {
        return Math.max(config.trainingRows(), answerRows(config, rowsPerAnswer(config)));
    }

    /** Floats of weights: each layer's W and bias, and the head's when it classifies. */
    private static double weights(final FfConfig config) {
        double count = 0;
        for (int l = 0; l < config.layers(); l++) {
            count += (config.fanIn(l, true) + 1.0) * config.hidden();
        }
        final double features = (double) (config.layers() - config.firstScoringLayer()) * config.hidden();
        return count + (config.goodnessClassifier() ? 0 : config.classes() * (features + 1));
    }

    /** What a net of {@code config} allocates, as the constructors here and in the base class do. */
    static Footprint footprint(final FfConfig config) {
        final double rows = rows(config);
        final double fanIn0 = config.fanIn(0, true);
        return MicroBatchClassifier.footprint(config, weights(config))
                .plus(Footprint.floats(rows * fanIn0, rows * fanIn0, rows * config.hidden()))
                .plus(Footprint.floats(rows * config.hidden()).times(2.0 * config.layers() + 1))
                .plus(Footprint.floats(rows * config.classes()).times(4))
                .plus(Footprint.floats(rows * config.layers()).times(4));
    }

    @Override
    protected void initializeWeights(final SplittableRandom random) {
        for (int l = 0; l < config.layers(); l++) {
            uniform(random, layerAt[l], hidden, config.fanIn(l, true));
        }
    }

    /** By goodness: a row per label, event e's label c at row e·classes + c; with the head: a neutral row. */
    @Override
    protected void stageAnswer(final int event, final float[] x) {
        if (config.goodnessClassifier()) {
            for (int c = 0; c < classes; c++) {
                embed(x, 0, c, labelScale, event * classes + c);
            }
        } else {
            embed(x, 0, -1, labelScale / classes, event);
        }
    }

    @Override
    protected void runAnswers(final int passRows) {
        forward(passRows);
        if (config.goodnessClassifier()) {
            backend.download(goodness, 0, goodnessHost, 0, config.layers() * rows);
        } else {
            head(passRows);
            backend.download(logits, 0, logitsHost, 0, passRows * classes);
        }
    }

    @Override
    protected void readAnswer(final int event, final float[] out) {
        if (config.goodnessClassifier()) {
            java.util.Arrays.fill(scores, 0.0);
            for (int l = config.firstScoringLayer(); l < config.layers(); l++) {
                for (int c = 0; c < classes; c++) {
                    scores[c] += goodnessHost[l * rows + event * classes + c] / hidden;
                }
            }
        } else {
            for (int c = 0; c < classes; c++) {
                scores[c] = logitsHost[event * classes + c];
            }
        }
        softmax(scores);
        for (int c = 0; c < classes; c++) {
            out[c] = (float) scores[c];
        }
    }

    @Override
    protected int negativeFor(final int label) {
        if (config.hardNegatives()) {
            int best = label == 0 ? 1 : 0;
            for (int c = 0; c < classes; c++) {
                if (c != label && lastOutput[c] > lastOutput[best]) {
                    best = c;
                }
            }
            return best;
        }
        // seeded by the event's position in the stream, so that a replay draws the same labels
        final int drawn = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + learned())
                .nextInt(classes - 1);
        return drawn >= label ? drawn + 1 : drawn;
    }

    /** Writes row {@code row} of the input: x, then the label's one-hot ({@code label} < 0: all {@code fill}). */
    private void embed(final float[] x, final int xOffset, final int label, final float fill, final int row) {
        final int at = row * fanIn0;
        System.arraycopy(x, xOffset, inputHost, at, config.inputs());
        for (int c = 0; c < classes; c++) {
            inputHost[at + config.inputs() + c] = label < 0 ? fill : (c == label ? fill : 0f);
        }
    }

    /** All layers for the first {@code n} input rows: activity, goodness and normalised activity. */
    private void forward(final int n) {
        backend.upload(inputHost, 0, input, 0, n * fanIn0);
        for (int l = 0; l < config.layers(); l++) {
            final DeviceFloats in = l == 0 ? input : normalised[l - 1];
            model.layer(n, config.fanIn(l, true), hidden, layerAt[l], config.activation(), in, 0, activity[l]);
            backend.rowSumOfSquaresAndNormalize(n, hidden, EPSILON, activity[l], 0, goodness, l * rows,
                    normalised[l], 0);
        }
    }

    /** The head's logits of the first {@code n} rows from the scoring layers' normalised activity. */
    private void head(final int n) {
        final int first = config.firstScoringLayer();
        for (int l = first; l < config.layers(); l++) {
            backend.gemm(false, true, n, classes, hidden, 1f, normalised[l], 0, hidden, model.weights(),
                    headAt + (l - first) * hidden, features, l == first ? 0f : 1f, logits, 0, classes, 1, 0, 0, 0);
        }
        model.addBias(n, classes, headAt + classes * features, logits);
    }

    /** One step of every layer (and the head) on the pending micro-batch. */
    @Override
    protected void train() {
        final int b = pending.size();
        // rows: with one negative per event, the b positive rows and then the b negative ones; with all,
        // a row per label of every event (event i's label c at row i·classes + c)
        final boolean all = config.allNegatives();
        final int n = config.trainingRows(b);
        for (int i = 0; i < b; i++) {
            if (all) {
                for (int c = 0; c < classes; c++) {
                    embed(values, pending.input(i), c, labelScale, i * classes + c);
                }
            } else {
                embed(values, pending.input(i), pending.label(i), labelScale, i);
                embed(values, pending.input(i), pending.negative(i), labelScale, b + i);
            }
        }
        forward(n);
        backend.download(goodness, 0, goodnessHost, 0, config.layers() * rows);
        if (units.active()) {
            measureContributions(b, n);
        }
        if (config.collaborative()) {
            java.util.Arrays.fill(summedGoodness, 0, n, 0f);
            for (int l = 0; l < config.layers(); l++) {
                for (int r = 0; r < n; r++) {
                    summedGoodness[r] += goodnessHost[l * rows + r];
                }
            }
        }
        for (int l = 0; l < config.layers(); l++) {
            if (all) {
                allLabelCoefficients(l, b);
            } else {
                pairCoefficients(l, b);
            }
        }
        backend.upload(coefficientsHost, 0, coefficients, 0, config.layers() * rows);
        for (int l = 0; l < config.layers(); l++) {
            backend.activationBackward(config.activation(), n * hidden, activity[l], 0, activity[l], 0, dz, 0);
            backend.scaleRows(n, hidden, coefficients, l * rows, dz, 0);
            final DeviceFloats in = l == 0 ? input : normalised[l - 1];
            model.layerGradient(n, config.fanIn(l, true), hidden, layerAt[l], dz, in, 0);
        }
        if (!config.goodnessClassifier()) {
            trainHead(b);
        }
        step();
    }

    /**
     * Layer l's row factors, d loss / d z = dL/dg · 2h/n · f'(h), of one negative per event, averaged
     * over the 2b rows; the row factor dL/dg · 2/n goes in here.
     */
    private void pairCoefficients(final int l, final int b) {
        final double theta = threshold();
        final double alpha = config.alpha();
        for (int r = 0; r < 2 * b; r++) {
            final double g = goodness(l, r);
            final double dg;
            if (config.symmetricLoss()) {
                // softplus(−α·(g⁺ − g⁻)) of the pair: pushes the two apart, whatever their level
                final int pair = r < b ? r : r - b;
                final double gap = goodness(l, pair) - goodness(l, b + pair);
                final double weight = alpha * sigmoid(-alpha * gap);
                dg = r < b ? -weight : weight;
            } else {
                dg = thresholdSlope(g, theta, r < b);
            }
            coefficientsHost[l * rows + r] = (float) (dg * 2.0 / hidden / (2 * b));
        }
    }

    /**
     * Layer l's row factors with every label of each event: SymBa's loss over all labels at once, the
     * cross-entropy of softmax(α·g) against the true label (with two labels it is the pairwise loss);
     * or the threshold loss, each wrong label weighted 1/(classes − 1).
     */
    private void allLabelCoefficients(final int l, final int b) {
        final double theta = threshold();
        final double alpha = config.alpha();
        for (int i = 0; i < b; i++) {
            final int first = l * rows + i * classes;
            final int label = pending.label(i);
            if (config.symmetricLoss()) {
                for (int c = 0; c < classes; c++) {
                    scores[c] = alpha * goodness(l, i * classes + c);
                }
                softmax(scores);
                for (int c = 0; c < classes; c++) {
                    final double dg = alpha * (scores[c] - (c == label ? 1 : 0));
                    // scaled as the pairs' rows are, so that with two labels the two losses are one
                    coefficientsHost[first + c] = (float) (dg * 2.0 / hidden / (2 * b));
                }
            } else {
                for (int c = 0; c < classes; c++) {
                    final double g = goodness(l, i * classes + c);
                    final double dg = c == label ? thresholdSlope(g, theta, true)
                            : thresholdSlope(g, theta, false) / (classes - 1);
                    coefficientsHost[first + c] = (float) (dg * 2.0 / hidden / (2 * b));
                }
            }
        }
    }

    /**
     * Continual backprop's measure of a unit: how much it tells positive from negative data, the mean
     * over the batch's events of {@code |h⁺² − h⁻²|} (h⁻² averaged over the event's negative rows). A
     * dead unit, or one blind to the label, scores 0. The sign is left out: after the labels change,
     * the units that told the old labels apart score below 0 for a while, yet their features are what
     * the net relearns from.
     */
    private void measureContributions(final int b, final int n) {
        final boolean all = config.allNegatives();
        final int negatives = all ? classes - 1 : 1;
        for (int l = 0; l < config.layers(); l++) {
            backend.download(activity[l], 0, activityHost, 0, n * hidden);
            final float[] c = contribution[l];
            java.util.Arrays.fill(c, 0f);
            for (int i = 0; i < b; i++) {
                final int positive = all ? i * classes + pending.label(i) : i;
                for (int j = 0; j < hidden; j++) {
                    final float p = activityHost[positive * hidden + j];
                    float negative = 0f;
                    for (int k = 0; k < (all ? classes : 1); k++) {
                        final int row = all ? i * classes + k : b + i;
                        if (row != positive) {
                            final float h = activityHost[row * hidden + j];
                            negative += h * h;
                        }
                    }
                    c[j] += Math.abs(p * p - negative / negatives) / b;
                }
            }
        }
    }

    /**
     * Continual backprop: the unit's input weights anew, but none from the label, so that it adds the
     * same goodness for every label and leaves the answers of the first layer as they were (the
     * counterpart of a backprop unit's zero outgoing weights); its weights into the next layer and the
     * head zero.
     */
    @Override
    protected void resetUnit(final int layer, final int unit, final SplittableRandom random) {
        final int fanIn = config.fanIn(layer, true);
        freshInputs(layerAt[layer], hidden, fanIn, unit, random);
        if (layer == 0) {
            model.rewrite(layerAt[0] + unit * fanIn + config.inputs(), classes, 1, i -> 0);
        }
        if (layer + 1 < config.layers()) {
            zeroInput(layerAt[layer + 1], hidden, hidden, unit);
        }
        if (!config.goodnessClassifier() && layer >= config.firstScoringLayer()) {
            zeroInput(headAt, classes, features, (layer - config.firstScoringLayer()) * hidden + unit);
        }
    }

    private void trainHead(final int b) {
        for (int i = 0; i < b; i++) {
            embed(values, pending.input(i), -1, labelScale / classes, i);
        }
        forward(b);
        head(b);
        backend.download(logits, 0, logitsHost, 0, b * classes);
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < classes; c++) {
                scores[c] = logitsHost[i * classes + c];
            }
            softmax(scores);
            for (int c = 0; c < classes; c++) {
                deltaHost[i * classes + c] = (float) ((scores[c] - (c == pending.label(i) ? 1 : 0)) / b);
            }
        }
        backend.upload(deltaHost, 0, delta, 0, b * classes);
        final int first = config.firstScoringLayer();
        for (int l = first; l < config.layers(); l++) {
            backend.gemm(true, false, classes, hidden, b, 1f, delta, 0, classes, normalised[l], 0, hidden, 0f,
                    model.grads(), headAt + (l - first) * hidden, features, 1, 0, 0, 0);
        }
        model.columnSums(b, classes, delta, headAt + classes * features);
    }

    /**
     * The goodness that layer l's loss reads for training row r, the mean squared activation: its own,
     * or with a collaborative layer loss the sum over the layers (the others' held fixed: no gradient
     * reaches them through it).
     */
    private double goodness(final int l, final int r) {
        return (config.collaborative() ? summedGoodness[r] : goodnessHost[l * rows + r]) / hidden;
    }

    /** θ of the threshold loss for the goodness {@link #goodness} reads: per layer, or summed over the layers. */
    private double threshold() {
        return config.collaborative() ? config.threshold() * config.layers() : config.threshold();
    }

    /** d/dg of the threshold loss softplus(±(θ − g)): positive data pushed above θ, negative below. */
    private static double thresholdSlope(final double g, final double theta, final boolean positive) {
        return positive ? -sigmoid(theta - g) : sigmoid(g - theta);
    }

    private static double sigmoid(final double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
