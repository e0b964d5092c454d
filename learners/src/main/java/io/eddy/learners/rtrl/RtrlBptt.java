package io.eddy.learners.rtrl;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.learners.api.DenseExample;

/**
 * Backpropagation through time for the same nets as {@link RtrlNetwork}, written independently of it:
 * a forward pass that keeps every step's activations, then an explicit backward pass. It serves as
 * the reference that proves the RTRL gradients exact, and, truncated, as the baseline trainer
 * {@link TruncatedBpttTrainer}. Double precision throughout; allocates per call.
 */
public final class RtrlBptt {
    private final RtrlConfig config;
    private final RecurrentCell cell;
    private final int activeStage;
    private final RtrlNetwork layout;

    public RtrlBptt(final RtrlConfig config, final int activeStage) {
        this.config = config;
        this.cell = config.cell();
        this.activeStage = activeStage;
        this.layout = new RtrlNetwork(config);
    }

    public int parameterCount() {
        return layout.parameterCount();
    }

    /**
     * The sum of the losses of the counted steps in {@code [from, to)} and its gradient, added to
     * {@code grad}, for the active stage's units and the readout, starting from unit values
     * {@code initial} (one recurrent value per unit) before step {@code from}.
     *
     * @param targets per step, {@code null} for an unlabelled one
     * @param lastOnly count only the loss of step {@code to - 1} (truncated BPTT), else every labelled one
     */
    public double lossAndGradient(final double[] params, final double[] initial, final float[][] xs,
                                  final DenseExample[] targets, final int from, final int to, final boolean lastOnly,
                                  final double[] grad) {
        return run(params, initial, xs, targets, from, to, lastOnly, grad, null);
    }

    /** Advances unit values {@code values} in place by input {@code x}, forward only. */
    public void advance(final double[] params, final double[] values, final float[] x) {
        run(params, values, new float[][] {x}, new DenseExample[1], 0, 1, false, null, values);
    }

    private double run(final double[] params, final double[] initial, final float[][] xs,
                       final DenseExample[] targets, final int from, final int to, final boolean lastOnly,
                       final double[] grad, final double[] finalValues) {
        final int steps = to - from;
        final int units = config.units();
        final int hidden = config.hidden();
        final int outputs = config.outputs();
        final int readout = layout.unitParameters(units);
        final double[][] before = new double[steps][units];
        final double[][] after = new double[steps][units];
        final double[][] feature = new double[steps][units];
        final double[][][] gates = new double[steps][units][3];
        final double[][][] stageInput = new double[steps][config.stages()][];
        final double[][] outputGrad = new double[steps][];
        double total = 0;
        final double[] values = initial.clone();
        for (int t = 0; t < steps; t++) {
            for (int stage = 0; stage <= activeStage; stage++) {
                final int fanIn = config.fanIn(stage);
                final double[] in = new double[fanIn];
                for (int j = 0; j < config.inputs(); j++) {
                    in[j] = xs[from + t][j];
                }
                for (int j = config.inputs(); j < fanIn; j++) {
                    in[j] = feature[t][j - config.inputs()];
                }
                stageInput[t][stage] = in;
                for (int u = stage * hidden; u < (stage + 1) * hidden; u++) {
                    before[t][u] = values[u];
                    feature[t][u] = forward(params, layout.unitParameters(u), fanIn, in, values[u], gates[t][u]);
                    after[t][u] = gates[t][u][2];
                    values[u] = after[t][u];
                }
            }
            final DenseExample target = targets[from + t];
            if (target == null || (lastOnly && t != steps - 1)) {
                continue;
            }
            final double[] y = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                y[o] = params[readout + outputs * units + o];
                for (int u = 0; u < units; u++) {
                    y[o] += params[readout + o * units + u] * feature[t][u];
                }
            }
            final double[] dy = new double[outputs];
            if (config.classification()) {
                RtrlNetwork.softmax(y, outputs);
                total += -Math.log(Math.max(1e-7, y[target.label()]));
                for (int o = 0; o < outputs; o++) {
                    dy[o] = y[o] - (o == target.label() ? 1 : 0);
                }
            } else {
                for (int o = 0; o < outputs; o++) {
                    final double e = y[o] - target.target()[o];
                    total += e * e / outputs;
                    dy[o] = 2 * e / outputs;
                }
            }
            outputGrad[t] = dy;
        }
        if (finalValues != null) {
            System.arraycopy(values, 0, finalValues, 0, units);
        }
        if (grad == null) {
            return total;
        }
        final double[] carry = new double[units];
        for (int t = steps - 1; t >= 0; t--) {
            final double[] dy = outputGrad[t];
            final double[] dh = new double[units];
            if (dy != null) {
                for (int o = 0; o < outputs; o++) {
                    for (int u = 0; u < units; u++) {
                        grad[readout + o * units + u] += dy[o] * feature[t][u];
                        dh[u] += params[readout + o * units + u] * dy[o];
                    }
                    grad[readout + outputs * units + o] += dy[o];
                }
            }
            final int fanIn = config.fanIn(activeStage);
            for (int u = activeStage * hidden; u < (activeStage + 1) * hidden; u++) {
                carry[u] = backward(params, layout.unitParameters(u), fanIn, stageInput[t][activeStage],
                        before[t][u], gates[t][u], dh[u], carry[u], grad);
            }
        }
        return total;
    }

    /** One unit forward; leaves the gate values in {@code g} ({@code g[2]} the new recurrent value). */
    private double forward(final double[] params, final int p, final int fanIn, final double[] in,
                           final double previous, final double[] g) {
        switch (cell) {
            case DIAGONAL: {
                final double h = Math.tanh(affine(params, p, fanIn, in) + params[p + fanIn] * previous
                        + params[p + fanIn + 1]);
                g[2] = h;
                return h;
            }
            case ELSTM: {
                final int block = fanIn + 2;
                final double f = RtrlNetwork.sigmoid(affine(params, p, fanIn, in) + params[p + fanIn] * previous
                        + params[p + fanIn + 1]);
                final double z = Math.tanh(affine(params, p + block, fanIn, in)
                        + params[p + block + fanIn] * previous + params[p + block + fanIn + 1]);
                final double o = RtrlNetwork.sigmoid(affine(params, p + 2 * block, fanIn, in)
                        + params[p + 2 * block + fanIn] * previous + params[p + 2 * block + fanIn + 1]);
                g[0] = f;
                g[1] = z;
                g[2] = f * previous + (1 - f) * z;
                return o * g[2];
            }
            default: {
                final int block = fanIn + 1;
                final double z = RtrlNetwork.sigmoid(affine(params, p, fanIn, in) + params[p + fanIn]);
                final double candidate = affine(params, p + block, fanIn, in) + params[p + block + fanIn];
                g[0] = z;
                g[1] = candidate;
                g[2] = (1 - z) * previous + z * candidate;
                return g[2];
            }
        }
    }

    /**
     * One unit backward at one step: adds its parameter gradients and returns the gradient carried to
     * the previous step's recurrent value. {@code dh} is the loss gradient at this step's feature,
     * {@code carried} that from the next step at this step's recurrent value.
     */
    private double backward(final double[] params, final int p, final int fanIn, final double[] in,
                            final double previous, final double[] g, final double dh, final double carried,
                            final double[] grad) {
        switch (cell) {
            case DIAGONAL: {
                final double h = g[2];
                final double da = (dh + carried) * (1 - h * h);
                addBlock(grad, p, fanIn, in, da, previous, true);
                return da * params[p + fanIn];
            }
            case ELSTM: {
                final int block = fanIn + 2;
                final double f = g[0];
                final double z = g[1];
                final double c = g[2];
                final double o = RtrlNetwork.sigmoid(affine(params, p + 2 * block, fanIn, in)
                        + params[p + 2 * block + fanIn] * previous + params[p + 2 * block + fanIn + 1]);
                final double dc = dh * o + carried;
                final double dao = dh * c * o * (1 - o);
                final double daf = dc * (previous - z) * f * (1 - f);
                final double daz = dc * (1 - f) * (1 - z * z);
                addBlock(grad, p, fanIn, in, daf, previous, true);
                addBlock(grad, p + block, fanIn, in, daz, previous, true);
                addBlock(grad, p + 2 * block, fanIn, in, dao, previous, true);
                return dc * f + daf * params[p + fanIn] + daz * params[p + block + fanIn]
                        + dao * params[p + 2 * block + fanIn];
            }
            default: {
                final int block = fanIn + 1;
                final double z = g[0];
                final double candidate = g[1];
                final double d = dh + carried;
                addBlock(grad, p, fanIn, in, d * (candidate - previous) * z * (1 - z), previous, false);
                addBlock(grad, p + block, fanIn, in, d * z, previous, false);
                return d * (1 - z);
            }
        }
    }

    private static void addBlock(final double[] grad, final int at, final int fanIn, final double[] in,
                                 final double da, final double previous, final boolean recurrent) {
        for (int j = 0; j < fanIn; j++) {
            grad[at + j] += da * in[j];
        }
        if (recurrent) {
            grad[at + fanIn] += da * previous;
            grad[at + fanIn + 1] += da;
        } else {
            grad[at + fanIn] += da;
        }
    }

    private static double affine(final double[] params, final int at, final int n, final double[] in) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += params[at + j] * in[j];
        }
        return sum;
    }
}
