package io.eddy.learners.ff;

import io.eddy.kernels.api.Activation;
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
 * The baseline beside forward-forward: a plain multi-layer perceptron of the same hidden layers with a
 * softmax output, trained by backpropagation of the cross-entropy on the same micro-batches (every
 * {@code batch} labelled events one step; each event answered first with the weights from before its
 * batch), with the same optimiser.
 */
public final class BackpropMlpLearner implements OnlineLearner<DenseExample> {
    private static final int BOOKKEEPING = 8;
    private static final int LEARNED_HIGH = 0;
    private static final int LEARNED_LOW = 1;
    private static final int PENDING = 2;
    private static final int INITIALIZED = 3;
    private static final long SPLIT = 1L << 20;
    private static final double MIN_PROBABILITY = 1e-7;

    private final FfConfig config;
    private final int classes;
    private final int hidden;
    private final int[] layerAt;
    private final int outputAt;
    private final int books;
    private final DenseParameters parameters;
    private final float[] values;
    private final PendingExamples pending;
    private final DeviceModel model;
    private final ComputeBackend backend;
    private final DeviceFloats input;
    private final DeviceFloats[] activity;
    private final DeviceFloats logits;
    private final DeviceFloats upstream;
    private final DeviceFloats dz;
    private final float[] inputHost;
    private final float[] logitsHost;
    private final double[] probabilities;
    private double learningRate;

    public BackpropMlpLearner(final FfConfig config, final ComputeBackend backend) {
        this.config = config;
        this.backend = backend;
        this.classes = config.classes();
        this.hidden = config.hidden();
        this.layerAt = new int[config.layers()];
        int at = 0;
        for (int l = 0; l < config.layers(); l++) {
            layerAt[l] = at;
            at += (config.fanIn(l, false) + 1) * hidden;
        }
        this.outputAt = at;
        final int count = at + classes * (hidden + 1);
        this.books = 3 * count;
        final int pendingAt = books + BOOKKEEPING;
        this.parameters = new DenseParameters(pendingAt + PendingExamples.floats(config.inputs(), config.batch()),
                1024);
        this.values = parameters.values();
        this.pending = new PendingExamples(parameters, books + PENDING, pendingAt, config.inputs(), config.batch());
        final int rows = config.batch();
        this.model = new DeviceModel(backend, parameters, count, rows);
        this.input = backend.allocateFloats(rows * config.inputs());
        this.activity = new DeviceFloats[config.layers()];
        for (int l = 0; l < config.layers(); l++) {
            activity[l] = backend.allocateFloats(rows * hidden);
        }
        this.logits = backend.allocateFloats(rows * classes);
        this.upstream = backend.allocateFloats(rows * Math.max(hidden, classes));
        this.dz = backend.allocateFloats(rows * hidden);
        this.inputHost = new float[rows * config.inputs()];
        this.logitsHost = new float[rows * classes];
        this.probabilities = new double[classes];
        this.learningRate = config.learningRate();
        initializeIfBlank();
    }

    private void initializeIfBlank() {
        if (values[books + INITIALIZED] != 0f) {
            return;
        }
        java.util.Arrays.fill(values, 0f);
        final SplittableRandom random = new SplittableRandom(config.seed());
        for (int l = 0; l <= config.layers(); l++) {
            final int fanIn = l < config.layers() ? config.fanIn(l, false) : hidden;
            final int out = l < config.layers() ? hidden : classes;
            final int at = l < config.layers() ? layerAt[l] : outputAt;
            final double scale = config.initScale() / Math.sqrt(fanIn);
            for (int i = 0; i < out * fanIn; i++) {
                values[at + i] = (float) (scale * (2 * random.nextDouble() - 1));
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
            return "an mlp model takes 'label', not 'y'";
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
        System.arraycopy(example.input(), 0, inputHost, 0, config.inputs());
        forward(1);
        backend.download(logits, 0, logitsHost, 0, classes);
        softmax(logitsHost, 0);
        for (int c = 0; c < classes; c++) {
            out[c] = (float) probabilities[c];
        }
    }

    @Override
    public float learn(final DenseExample example, final float[] keyState) {
        if (!example.labelled()) {
            throw new IllegalArgumentException("mlp: cannot learn from an event without 'label'");
        }
        pending.add(example.input(), example.label(), 0);
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
        return (float) -Math.log(Math.max(MIN_PROBABILITY, probabilities[example.label()]));
    }

    private void forward(final int n) {
        backend.upload(inputHost, 0, input, 0, n * config.inputs());
        for (int l = 0; l < config.layers(); l++) {
            model.layer(n, config.fanIn(l, false), hidden, layerAt[l], config.activation(),
                    l == 0 ? input : activity[l - 1], 0, activity[l]);
        }
        model.layer(n, hidden, classes, outputAt, Activation.IDENTITY, activity[config.layers() - 1], 0, logits);
    }

    private void train() {
        final int b = pending.size();
        for (int i = 0; i < b; i++) {
            System.arraycopy(values, pending.input(i), inputHost, i * config.inputs(), config.inputs());
        }
        forward(b);
        backend.download(logits, 0, logitsHost, 0, b * classes);
        // d loss / d logits = (p − one-hot) / b, in place of the logits
        for (int i = 0; i < b; i++) {
            softmax(logitsHost, i * classes);
            for (int c = 0; c < classes; c++) {
                logitsHost[i * classes + c] = (float) ((probabilities[c] - (c == pending.label(i) ? 1 : 0)) / b);
            }
        }
        backend.upload(logitsHost, 0, upstream, 0, b * classes);
        final int last = config.layers() - 1;
        model.layerGradient(b, hidden, classes, outputAt, upstream, activity[last], 0);
        backend.gemm(false, false, b, hidden, classes, 1f, upstream, 0, classes, model.weights(), outputAt, hidden,
                0f, dz, 0, hidden, 1, 0, 0, 0);
        for (int l = last; l >= 0; l--) {
            // dz holds d loss / d activity of layer l; through the activation, then to the weights and below
            backend.activationBackward(config.activation(), b * hidden, activity[l], 0, dz, 0, upstream, 0);
            final int fanIn = config.fanIn(l, false);
            model.layerGradient(b, fanIn, hidden, layerAt[l], upstream, l == 0 ? input : activity[l - 1], 0);
            if (l > 0) {
                backend.gemm(false, false, b, fanIn, hidden, 1f, upstream, 0, hidden, model.weights(), layerAt[l],
                        fanIn, 0f, dz, 0, hidden, 1, 0, 0, 0);
            }
        }
        final long steps = learned() / config.batch() + 1;
        model.step(config.adam(), (float) learningRate, (float) config.beta1(), (float) config.beta2(),
                (int) Math.min(Integer.MAX_VALUE, steps));
    }

    /** Softmax of {@code classes} logits from {@code at} into {@link #probabilities}. */
    private void softmax(final float[] logitValues, final int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logitValues[at + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            probabilities[c] = Math.exp(logitValues[at + c] - max);
            sum += probabilities[c];
        }
        for (int c = 0; c < classes; c++) {
            probabilities[c] /= sum;
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
