package io.eddy.learners.rtrl;

import io.eddy.learners.api.DenseExample;

/**
 * The baseline for RTRL: the same net trained online with truncated backpropagation through time.
 * At each labelled step the step's loss is backpropagated through at most the last {@code window}
 * steps, the state before them held constant, and the optimiser (as configured, Adam or SGD) moves
 * the parameters. One sequence (one key); double precision; allocates per step (a baseline for
 * evaluation, not a serving path).
 */
public final class TruncatedBpttTrainer {
    private final RtrlConfig config;
    private final int window;
    private final RtrlBptt bptt;
    private final double[] params;
    private final double[] mean;
    private final double[] variance;
    private final float[][] inputs;
    private final double[][] valuesBefore;
    private final double[] values;
    private final double[] grad;
    private long steps;
    private long updates;

    public TruncatedBpttTrainer(final RtrlConfig config, final int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.config = config;
        this.window = window;
        this.bptt = new RtrlBptt(config, 0);
        final RtrlNetwork network = new RtrlNetwork(config);
        final float[] initial = new float[network.parameterCount()];
        network.initialize(initial);
        this.params = new double[initial.length];
        for (int i = 0; i < initial.length; i++) {
            params[i] = initial[i];
        }
        this.mean = new double[params.length];
        this.variance = new double[params.length];
        this.inputs = new float[window][config.inputs()];
        this.valuesBefore = new double[window][config.units()];
        this.values = new double[config.units()];
        this.grad = new double[params.length];
    }

    /**
     * One event of the sequence: learns from it when labelled.
     *
     * @return the loss of the prediction made before learning; NaN when unlabelled
     */
    public double step(final float[] x, final DenseExample target) {
        final int slot = (int) (steps % window);
        System.arraycopy(x, 0, inputs[slot], 0, config.inputs());
        System.arraycopy(values, 0, valuesBefore[slot], 0, values.length);
        bptt.advance(params, values, x);
        steps++;
        if (target == null || !target.labelled()) {
            return Double.NaN;
        }
        final int length = (int) Math.min(window, steps);
        final float[][] xs = new float[length][];
        final DenseExample[] ts = new DenseExample[length];
        for (int k = 0; k < length; k++) {
            xs[k] = inputs[(int) ((steps - length + k) % window)];
        }
        ts[length - 1] = target;
        final double[] start = valuesBefore[(int) ((steps - length) % window)];
        java.util.Arrays.fill(grad, 0.0);
        final double loss = bptt.lossAndGradient(params, start, xs, ts, 0, length, true, grad);
        update();
        return loss;
    }

    private void update() {
        updates++;
        final double clip = config.gradientClip();
        final double c1 = 1 - Math.pow(config.beta1(), updates);
        final double c2 = 1 - Math.pow(config.beta2(), updates);
        for (int i = 0; i < params.length; i++) {
            final double g = clip > 0 ? Math.max(-clip, Math.min(clip, grad[i])) : grad[i];
            if (config.adam()) {
                mean[i] = config.beta1() * mean[i] + (1 - config.beta1()) * g;
                variance[i] = config.beta2() * variance[i] + (1 - config.beta2()) * g * g;
                params[i] -= config.learningRate() * (mean[i] / c1) / (Math.sqrt(variance[i] / c2) + 1e-8);
            } else {
                params[i] -= config.learningRate() * g;
            }
        }
    }
}
