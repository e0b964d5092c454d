package io.eddy.learners.ff;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.dense.DeviceModel;
import io.eddy.learners.dense.PendingExamples;
import java.util.Map;
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
 * <p>On the stream: each event is answered at once with the class scores of the current weights, then
 * kept; every {@code batch} labelled events make one training step of all layers on the compute
 * backend. Predictions of a batch therefore use the weights from before it, and the boundaries are
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
public final class FfLearner implements OnlineLearner<DenseExample> {
    private static final int BOOKKEEPING = 8;
    private static final int LEARNED_HIGH = 0;
    private static final int LEARNED_LOW = 1;
    private static final int PENDING = 2;
    private static final int INITIALIZED = 3;
    private static final long SPLIT = 1L << 20;
    private static final float EPSILON = 1e-8f;
    private static final double MIN_PROBABILITY = 1e-7;

    private final FfConfig config;
    private final int classes;
    private final int hidden;
    private final int fanIn0;
    private final int[] layerAt;
    private final int headAt;
    private final int features;
    private final int count;
    private final int books;
    private final DenseParameters parameters;
    private final float[] values;
    private final PendingExamples pending;
    private final DeviceModel model;
    private final ComputeBackend backend;
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
    private final double[] scores;
    private final float[] lastOutput;
    private final float labelScale;
    private double learningRate;

    public FfLearner(final FfConfig config, final ComputeBackend backend) {
        this.config = config;
        this.backend = backend;
        this.classes = config.classes();
        this.hidden = config.hidden();
        this.fanIn0 = config.fanIn(0, true);
        this.layerAt = new int[config.layers()];
        int at = 0;
        for (int l = 0; l < config.layers(); l++) {
            layerAt[l] = at;
            at += (config.fanIn(l, true) + 1) * hidden;
        }
        this.features = (config.layers() - config.firstScoringLayer()) * hidden;
        this.headAt = at;
        this.count = at + (config.goodnessClassifier() ? 0 : classes * (features + 1));
        this.books = 3 * count;
        final int pendingAt = books + BOOKKEEPING;
        this.parameters = new DenseParameters(pendingAt + PendingExamples.floats(config.inputs(), config.batch()),
                1024);
        this.values = parameters.values();
        this.pending = new PendingExamples(parameters, books + PENDING, pendingAt, config.inputs(), config.batch());
        this.rows = Math.max(2 * config.batch(), classes);
        this.model = new DeviceModel(backend, parameters, count, rows);
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
        this.scores = new double[classes];
        this.lastOutput = new float[classes];
        this.labelScale = (float) config.labelScale();
        this.learningRate = config.learningRate();
        initializeIfBlank();
    }

    private void initializeIfBlank() {
        if (values[books + INITIALIZED] != 0f) {
            return;
        }
        java.util.Arrays.fill(values, 0f);
        final SplittableRandom random = new SplittableRandom(config.seed());
        for (int l = 0; l < config.layers(); l++) {
            final int fanIn = config.fanIn(l, true);
            final double scale = config.initScale() / Math.sqrt(fanIn);
            for (int i = 0; i < hidden * fanIn; i++) {
                values[layerAt[l] + i] = (float) (scale * (2 * random.nextDouble() - 1));
            }
        }
        values[books + INITIALIZED] = 1f;
        parameters.markAllChanged();
    }

    /** Labelled events learned so far, pending ones included. */
    public long learned() {
        return (long) values[books + LEARNED_HIGH] * SPLIT + (long) values[books + LEARNED_LOW];
    }

    @Override
    public int outputSize() {
        return classes;
    }

    @Override
    public String validate(final DenseExample example) {
        if (example.inputSize() != config.inputs()) {
            return "'x' has " + example.inputSize() + " values, the model takes " + config.inputs();
        }
        if (example.hasTarget()) {
            return "an ff model takes 'label', not 'y'";
        }
        if (example.label() >= classes) {
            return "'label' " + example.label() + " is outside [0, " + classes + ")";
        }
        return null;
    }

    @Override
    public float loss(final DenseExample example, final float[] prediction) {
        return (float) -Math.log(Math.max(MIN_PROBABILITY, prediction[example.label()]));
    }

    @Override
    public void predict(final DenseExample example, final float[] keyState, final float[] out) {
        initializeIfBlank();
        model.refresh();
        final float[] x = example.input();
        if (config.goodnessClassifier()) {
            for (int c = 0; c < classes; c++) {
                embed(x, 0, c, labelScale, c);
            }
            forward(classes);
            backend.download(goodness, 0, goodnessHost, 0, config.layers() * rows);
            java.util.Arrays.fill(scores, 0.0);
            for (int l = config.firstScoringLayer(); l < config.layers(); l++) {
                for (int c = 0; c < classes; c++) {
                    scores[c] += goodnessHost[l * rows + c] / hidden;
                }
            }
        } else {
            embed(x, 0, -1, labelScale / classes, 0);
            forward(1);
            head(1);
            backend.download(logits, 0, logitsHost, 0, classes);
            for (int c = 0; c < classes; c++) {
                scores[c] = logitsHost[c];
            }
        }
        softmax(scores);
        for (int c = 0; c < classes; c++) {
            out[c] = (float) scores[c];
        }
        System.arraycopy(out, 0, lastOutput, 0, classes);
    }

    /**
     * Keeps the event for its micro-batch and, when that fills up, trains every layer on it. Uses the
     * scores {@link #predict} has just given for the same event (the hardest wrong label).
     */
    @Override
    public float learn(final DenseExample example, final float[] keyState) {
        if (!example.labelled()) {
            throw new IllegalArgumentException("ff: cannot learn from an event without 'label'");
        }
        final int label = example.label();
        pending.add(example.input(), label, negativeFor(label));
        if (pending.isFull()) {
            try {
                train();
            } catch (final RuntimeException e) {
                pending.dropLast();
                throw e;
            }
            pending.clear();
        }
        final long learned = learned() + 1;
        values[books + LEARNED_HIGH] = learned / SPLIT;
        values[books + LEARNED_LOW] = learned % SPLIT;
        parameters.markChanged(books);
        return loss(example, lastOutput);
    }

    private int negativeFor(final int label) {
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
            backend.rowSumOfSquares(n, hidden, activity[l], 0, goodness, l * rows);
            backend.rowNormalize(n, hidden, EPSILON, activity[l], 0, normalised[l], 0);
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
    private void train() {
        final int b = pending.size();
        for (int i = 0; i < b; i++) {
            embed(values, pending.input(i), pending.label(i), labelScale, i);
            embed(values, pending.input(i), pending.negative(i), labelScale, b + i);
        }
        forward(2 * b);
        backend.download(goodness, 0, goodnessHost, 0, config.layers() * rows);
        // d loss / d z = dL/dg · 2h/n · f'(h), averaged over the 2b rows; the row factor goes in here
        final double theta = config.threshold();
        final double alpha = config.alpha();
        for (int l = 0; l < config.layers(); l++) {
            for (int r = 0; r < 2 * b; r++) {
                final double g = goodnessHost[l * rows + r] / hidden;
                final double dg;
                if (config.symmetricLoss()) {
                    // softplus(−α·(g⁺ − g⁻)) of the pair: pushes the two apart, whatever their level
                    final int pair = r < b ? r : r - b;
                    final double gap = (goodnessHost[l * rows + pair] - goodnessHost[l * rows + b + pair]) / hidden;
                    final double weight = alpha * sigmoid(-alpha * gap);
                    dg = r < b ? -weight : weight;
                } else {
                    dg = r < b ? -sigmoid(theta - g) : sigmoid(g - theta);
                }
                coefficientsHost[l * rows + r] = (float) (dg * 2.0 / hidden / (2 * b));
            }
        }
        backend.upload(coefficientsHost, 0, coefficients, 0, config.layers() * rows);
        for (int l = 0; l < config.layers(); l++) {
            backend.activationBackward(config.activation(), 2 * b * hidden, activity[l], 0, activity[l], 0, dz, 0);
            backend.scaleRows(2 * b, hidden, coefficients, l * rows, dz, 0);
            final DeviceFloats in = l == 0 ? input : normalised[l - 1];
            model.layerGradient(2 * b, config.fanIn(l, true), hidden, layerAt[l], dz, in, 0);
        }
        if (!config.goodnessClassifier()) {
            trainHead(b);
        }
        final long steps = learned() / config.batch() + 1;
        model.step(config.adam(), (float) learningRate, (float) config.beta1(), (float) config.beta2(),
                (int) Math.min(Integer.MAX_VALUE, steps));
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

    private static double sigmoid(final double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static void softmax(final double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (final double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= sum;
        }
    }

    @Override
    public ParameterState parameters() {
        return parameters;
    }

    @Override
    public void reconfigure(final Map<String, Double> resolved) {
        learningRate = FfConfig.from(resolved).learningRate();
    }
}
