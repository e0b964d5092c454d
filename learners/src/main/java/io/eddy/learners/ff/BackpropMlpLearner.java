package io.eddy.learners.ff;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.Footprint;
import java.util.SplittableRandom;

/**
 * The baseline beside forward-forward: a plain multi-layer perceptron of the same hidden layers with a
 * softmax output, trained by backpropagation of the cross-entropy on the same micro-batches (every
 * {@code batch} labelled events one step; each event answered first with the weights from before its
 * batch), with the same optimiser.
 */
public final class BackpropMlpLearner extends MicroBatchClassifier {
    private final int hidden;
    private final int[] layerAt;
    private final int outputAt;
    private final DeviceFloats input;
    private final DeviceFloats[] activity;
    private final DeviceFloats logits;
    private final DeviceFloats upstream;
    private final DeviceFloats dz;
    private final float[] inputHost;
    private final float[] logitsHost;
    private final double[] probabilities;
    private final float[] activityHost;
    /** A layer's outgoing weights, from the backend: the host's copy of the weights may lag behind it. */
    private final float[] outgoingHost;

    public BackpropMlpLearner(final FfConfig config, final ComputeBackend backend) {
        super(MlpType.NAME, config, backend, Math.toIntExact((long) weights(config)), rows(config), 1);
        this.hidden = config.hidden();
        this.layerAt = new int[config.layers()];
        for (int l = 1; l < config.layers(); l++) {
            layerAt[l] = layerAt[l - 1] + (config.fanIn(l - 1, false) + 1) * hidden;
        }
        this.outputAt = layerAt[config.layers() - 1] + (config.fanIn(config.layers() - 1, false) + 1) * hidden;
        final int rows = rows(config);
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
        this.activityHost = new float[rows * hidden];
        this.outgoingHost = new float[Math.max(hidden, classes) * hidden];
        initializeIfBlank();
    }

    /** Most rows of the net's products: a micro-batch's or an answer pass's (a row per event). */
    private static int rows(final FfConfig config) {
        return Math.max(config.batch(), answerRows(config, 1));
    }

    /** Floats of weights: each hidden layer's W and bias, then the output layer's. */
    private static double weights(final FfConfig config) {
        double count = 0;
        for (int l = 0; l < config.layers(); l++) {
            count += (config.fanIn(l, false) + 1.0) * config.hidden();
        }
        return count + config.classes() * (config.hidden() + 1.0);
    }

    /** What a net of {@code config} allocates, as the constructors here and in the base class do. */
    static Footprint footprint(final FfConfig config) {
        final double rows = rows(config);
        final double widest = Math.max(config.hidden(), config.classes());
        return MicroBatchClassifier.footprint(config, weights(config))
                .plus(Footprint.floats(rows * config.inputs()).times(2))
                .plus(Footprint.floats(rows * config.hidden()).times(config.layers() + 2.0))
                .plus(Footprint.floats(rows * config.classes()).times(2))
                .plus(Footprint.floats(rows * widest, widest * config.hidden()));
    }

    @Override
    protected void initializeWeights(final SplittableRandom random) {
        for (int l = 0; l < config.layers(); l++) {
            uniform(random, layerAt[l], hidden, config.fanIn(l, false));
        }
        uniform(random, outputAt, classes, hidden);
    }

    @Override
    protected void stageAnswer(final int event, final float[] x) {
        System.arraycopy(x, 0, inputHost, event * config.inputs(), config.inputs());
    }

    @Override
    protected void runAnswers(final int rows) {
        forward(rows);
        backend.download(logits, 0, logitsHost, 0, rows * classes);
    }

    @Override
    protected void readAnswer(final int event, final float[] out) {
        softmax(logitsHost, event * classes);
        for (int c = 0; c < classes; c++) {
            out[c] = (float) probabilities[c];
        }
    }

    private void forward(final int n) {
        backend.upload(inputHost, 0, input, 0, n * config.inputs());
        for (int l = 0; l < config.layers(); l++) {
            model.layer(n, config.fanIn(l, false), hidden, layerAt[l], config.activation(),
                    l == 0 ? input : activity[l - 1], 0, activity[l]);
        }
        model.layer(n, hidden, classes, outputAt, Activation.IDENTITY, activity[config.layers() - 1], 0, logits);
    }

    @Override
    protected void train() {
        final int b = pending.size();
        for (int i = 0; i < b; i++) {
            System.arraycopy(values, pending.input(i), inputHost, i * config.inputs(), config.inputs());
        }
        forward(b);
        if (units.active()) {
            measureContributions(b);
        }
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
        step();
    }

    /**
     * Continual backprop's contribution utility of each hidden unit (Dohare et al.): its mean absolute
     * activity over the batch times the summed magnitude of its outgoing weights.
     */
    private void measureContributions(final int b) {
        for (int l = 0; l < config.layers(); l++) {
            backend.download(activity[l], 0, activityHost, 0, b * hidden);
            final float[] c = contribution[l];
            java.util.Arrays.fill(c, 0f);
            for (int i = 0; i < b * hidden; i++) {
                c[i % hidden] += Math.abs(activityHost[i]) / b;
            }
            final int next = l + 1 < config.layers() ? layerAt[l + 1] : outputAt;
            final int outputs = l + 1 < config.layers() ? hidden : classes;
            backend.download(model.weights(), next, outgoingHost, 0, outputs * hidden);
            for (int j = 0; j < hidden; j++) {
                float outgoing = 0f;
                for (int k = 0; k < outputs; k++) {
                    outgoing += Math.abs(outgoingHost[k * hidden + j]);
                }
                c[j] *= outgoing;
            }
        }
    }

    /** Continual backprop: the unit's input weights anew, its outgoing weights zero. */
    @Override
    protected void resetUnit(final int layer, final int unit, final SplittableRandom random) {
        freshInputs(layerAt[layer], hidden, config.fanIn(layer, false), unit, random);
        if (layer + 1 < config.layers()) {
            zeroInput(layerAt[layer + 1], hidden, hidden, unit);
        } else {
            zeroInput(outputAt, classes, hidden, unit);
        }
    }

    /** Softmax of {@code classes} logits from {@code at} into {@link #probabilities}. */
    private void softmax(final float[] logitValues, final int at) {
        for (int c = 0; c < classes; c++) {
            probabilities[c] = logitValues[at + c];
        }
        softmax(probabilities);
    }
}
