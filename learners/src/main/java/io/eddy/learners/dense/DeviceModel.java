package io.eddy.learners.dense;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.NonFiniteUpdateException;
import java.util.function.IntToDoubleFunction;

/**
 * The weights of a dense net on a compute backend, with their Adam moments, next to the host copy
 * that the engine persists: host values {@code [0, count)} are the weights, {@code [count, 2·count)}
 * and {@code [2·count, 3·count)} Adam's moments, and with answer averaging {@code [3·count, 4·count)} the
 * running average of the weights that answers read ({@link #answering}). The device copy is the one
 * that computes; after an optimiser step the new values come back to the host only when something
 * reads them there ({@link DenseParameters#deferHostCopy}: the engine persisting them, a snapshot),
 * not at every step, and {@link #refresh} sends the host's values back when the engine has rewritten
 * them (restart, rollback, reset).
 *
 * <p>A layer l of a stack is {@code W_l} (out × in, row-major) followed by its bias (out).
 */
public final class DeviceModel {
    private static final int GRADIENT_ROW = 1024;
    /**
     * Most a row of {@link #GRADIENT_ROW} squared gradients may sum to: each gradient within ±1e15, so that
     * with a learning rate of at most 10 neither the weights nor Adam's moments can leave the float range.
     */
    private static final float MAX_GRADIENT_SQUARES = 1e30f;
    private final ComputeBackend backend;
    private final DenseParameters parameters;
    private final float[] values;
    private final int count;
    private final DeviceFloats weights;
    private final DeviceFloats grads;
    private final DeviceFloats mean;
    private final DeviceFloats variance;
    /** The running average of the weights that answers read; null without answer averaging. */
    private final DeviceFloats averaged;
    private final float averageDecay;
    private boolean answering;
    private final DeviceFloats ones;
    /** Sums of squared gradients, a row of {@link #GRADIENT_ROW} at a time, that {@link #step} checks. */
    private final DeviceFloats gradientSquares;
    private final float[] gradientSquaresHost;
    private final Runnable copyToHost = this::copyToHost;
    private long seenOverwrites = -1;
    /** Whether the host's weights, and its moments, are behind the device's. */
    private boolean weightsBehind;
    private boolean momentsBehind;

    /**
     * @param count weights (the first {@code count} host values)
     * @param maxRows most rows any product of the net takes, for the bias's column of ones
     * @param averageDecay decay per step of the averaged weights that answers read; 0: none, and no room for
     *                     them is taken
     */
    public DeviceModel(final ComputeBackend backend, final DenseParameters parameters, final int count,
                       final int maxRows, final double averageDecay) {
        this.backend = backend;
        this.parameters = parameters;
        this.values = parameters.values();
        this.count = count;
        this.weights = backend.allocateFloats(count);
        this.grads = backend.allocateFloats(count);
        this.mean = backend.allocateFloats(count);
        this.variance = backend.allocateFloats(count);
        this.averageDecay = (float) averageDecay;
        this.averaged = averageDecay > 0 ? backend.allocateFloats(count) : null;
        this.ones = backend.allocateFloats(maxRows);
        final float[] one = new float[maxRows];
        java.util.Arrays.fill(one, 1f);
        backend.upload(one, 0, ones, 0, maxRows);
        final int gradientRows = (count + GRADIENT_ROW - 1) / GRADIENT_ROW;
        this.gradientSquares = backend.allocateFloats(gradientRows);
        this.gradientSquaresHost = new float[gradientRows];
    }

    public ComputeBackend backend() {
        return backend;
    }

    /**
     * What a model of {@code count} weights allocates on its backend: the weights, their gradient,
     * Adam's moments and the running average.
     */
    public static Footprint footprint(final double count, final double averageDecay) {
        return Footprint.floats(count).times(averageDecay > 0 ? 5 : 4);
    }

    /** Host floats the model keeps: the weights, Adam's two moments and, with answer averaging, the average. */
    public static int floats(final int count, final double averageDecay) {
        return (averageDecay > 0 ? 4 : 3) * count;
    }

    /** The weights on the device: the averaged ones while {@link #answering}, else the current ones. */
    public DeviceFloats weights() {
        return answering ? averaged : weights;
    }

    /** While on, products read the averaged weights (when the model keeps them): an answer, not a step. */
    public void answering(final boolean on) {
        answering = on && averaged != null;
    }

    /** Starts the average at the current host weights: at initialisation and after a reset. */
    public void startAverage() {
        if (averaged != null) {
            System.arraycopy(values, 0, values, 3 * count, count);
        }
    }

    /** The gradient buffer an optimiser step reads, one float per weight. */
    public DeviceFloats grads() {
        return grads;
    }

    /** Sends the host values to the device if they changed behind its back (and at first use). */
    public void refresh() {
        if (parameters.overwrites() == seenOverwrites) {
            return;
        }
        backend.upload(values, 0, weights, 0, count);
        backend.upload(values, count, mean, 0, count);
        backend.upload(values, 2 * count, variance, 0, count);
        if (averaged != null) {
            backend.upload(values, 3 * count, averaged, 0, count);
        }
        seenOverwrites = parameters.overwrites();
    }

    /**
     * Rewrites {@code n} weights from {@code at}, {@code stride} apart, on host and device, with
     * {@code value(i)} for the i-th, and clears their optimiser moments: a unit replaced by continual
     * backprop. Sends the whole span, which is rare enough not to matter.
     */
    public void rewrite(final int at, final int n, final int stride, final IntToDoubleFunction value) {
        // the span sent back covers values in between, which must be the newest
        parameters.syncHost();
        for (int i = 0; i < n; i++) {
            final int w = at + i * stride;
            values[w] = (float) value.applyAsDouble(i);
            values[count + w] = 0f;
            values[2 * count + w] = 0f;
            if (averaged != null) {
                values[3 * count + w] = values[w];
                parameters.markChanged(3 * count + w);
            }
            parameters.markChanged(w);
            parameters.markChanged(count + w);
            parameters.markChanged(2 * count + w);
        }
        final int span = (n - 1) * stride + 1;
        backend.upload(values, at, weights, at, span);
        backend.upload(values, count + at, mean, at, span);
        backend.upload(values, 2 * count + at, variance, at, span);
        if (averaged != null) {
            backend.upload(values, 3 * count + at, averaged, at, span);
        }
    }

    /** {@code y = f(x·Wᵀ + b)} for {@code rows} rows: a layer whose W (out × in) starts at {@code at}. */
    public void layer(final int rows, final int in, final int out, final int at, final Activation f,
                      final DeviceFloats x, final int xOffset, final DeviceFloats y) {
        backend.denseLayer(f, rows, out, in, x, xOffset, weights(), at, at + out * in, y, 0);
    }

    /** {@code y[r] += b} for each of {@code rows} rows of {@code cols}, b at weight {@code at}. */
    public void addBias(final int rows, final int cols, final int at, final DeviceFloats y) {
        backend.gemm(false, false, rows, cols, 1, 1f, ones, 0, 1, weights(), at, cols, 1f, y, 0, cols, 1, 0, 0, 0);
    }

    /**
     * Gradients of a layer (W at {@code at}, out × in) from {@code dz} (rows × out) and its input x:
     * {@code dW = dzᵀ·x}, {@code db = Σ_r dz[r]}, written (not added) into {@link #grads}.
     */
    public void layerGradient(final int rows, final int in, final int out, final int at, final DeviceFloats dz,
                              final DeviceFloats x, final int xOffset) {
        backend.gemm(true, false, out, in, rows, 1f, dz, 0, out, x, xOffset, in, 0f, grads, at, in, 1, 0, 0, 0);
        columnSums(rows, out, dz, at + out * in);
    }

    /** {@code grads[at + c] = Σ_r m[r][c]} over {@code rows} rows of {@code cols}: a bias's gradient. */
    public void columnSums(final int rows, final int cols, final DeviceFloats m, final int at) {
        backend.gemm(false, false, 1, cols, rows, 1f, ones, 0, rows, m, 0, cols, 0f, grads, at, cols, 1, 0, 0, 0);
    }

    /**
     * One optimiser step with {@link #grads}: Adam when {@code adam} (bias-corrected at step t ≥ 1), else
     * plain SGD. The host copy follows when it is next read ({@link DenseParameters#deferHostCopy}).
     *
     * @throws NonFiniteUpdateException if a gradient is not finite or beyond ±1e15; nothing changes
     */
    public void step(final boolean adam, final float learningRate, final float beta1, final float beta2,
                     final int t) {
        checkGradients();
        if (adam) {
            backend.adamStep(count, learningRate, beta1, beta2, 1e-8f, t, weights, grads, mean, variance);
        } else {
            backend.axpy(count, -learningRate, grads, 0, weights, 0);
        }
        if (averaged != null) {
            // average = decay · average + (1 − decay) · weights, as one product with a 1 × 1 matrix of ones
            backend.gemm(false, false, 1, count, 1, 1f - averageDecay, ones, 0, 1, weights, 0, count, averageDecay,
                    averaged, 0, count, 1, 0, 0, 0);
            parameters.markChanged(3 * count, count);
        }
        weightsBehind = true;
        momentsBehind |= adam;
        parameters.markChanged(0, (adam ? 3 : 1) * count);
        parameters.deferHostCopy(copyToHost);
    }

    /**
     * Refuses gradients that could carry the weights out of the float range, checked on the device: a
     * sum of squares per row of gradients is all that comes back.
     */
    private void checkGradients() {
        final int full = count / GRADIENT_ROW;
        final int tail = count - full * GRADIENT_ROW;
        if (full > 0) {
            backend.rowSumOfSquares(full, GRADIENT_ROW, grads, 0, gradientSquares, 0);
        }
        if (tail > 0) {
            backend.rowSumOfSquares(1, tail, grads, full * GRADIENT_ROW, gradientSquares, full);
        }
        final int rows = gradientSquaresHost.length;
        backend.download(gradientSquares, 0, gradientSquaresHost, 0, rows);
        for (int r = 0; r < rows; r++) {
            // written so that NaN fails too
            if (!(gradientSquaresHost[r] <= MAX_GRADIENT_SQUARES)) {
                throw new NonFiniteUpdateException("the update could make a weight non-finite (a gradient is not "
                        + "finite or beyond ±1e15); weights left unchanged");
            }
        }
    }

    /** The device's newer weights and moments to the host: what {@link #step} deferred. */
    private void copyToHost() {
        if (weightsBehind) {
            backend.download(weights, 0, values, 0, count);
        }
        if (momentsBehind) {
            backend.download(mean, 0, values, count, count);
            backend.download(variance, 0, values, 2 * count, count);
        }
        if (weightsBehind && averaged != null) {
            backend.download(averaged, 0, values, 3 * count, count);
        }
        weightsBehind = false;
        momentsBehind = false;
    }
}
