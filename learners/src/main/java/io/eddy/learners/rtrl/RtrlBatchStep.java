package io.eddy.learners.rtrl;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.RtrlStage;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import java.util.Arrays;

/**
 * The events of up to {@link #capacity()} distinct keys stepped together on a compute backend, all
 * with the same parameters: {@link #forward} runs every grown stage (input projections as one GEMM
 * per stage, then the cell and sensitivity kernel) and the readout, and gives back the keys' new
 * states and logits; {@link #gradients} then gives each key's exact gradient (readout by GEMM, units
 * through their sensitivities). The optimiser stays with the learner, on the host, in double.
 *
 * <p>Float32 throughout, where {@link RtrlNetwork} computes in double. In every product a key is a
 * column, which {@link ComputeBackend#gemm} computes apart from the others: so a key's result does not
 * depend on the keys stepped with it, and any grouping of a stream gives the same bits. Rows of the
 * input buffer are {@code [x, features of stage 0, stage 1, ...]}: a stage reads its fan-in as the row's prefix and
 * writes its features right after it, and the readout reads all features from the same rows.
 */
final class RtrlBatchStep {
    /** Device memory for per-key rows (states, gradients) that a group may take, in floats. */
    private static final long GROUP_FLOATS = 16L << 20;

    private final RtrlConfig config;
    private final RtrlNetwork network;
    private final ComputeBackend backend;
    private final int capacity;
    private final int width;
    private final int stateSize;
    private final int count;
    private final int readout;
    private final RtrlStage[][] stages;
    private final DeviceFloats params;
    private final DeviceFloats rows;
    private final DeviceFloats state;
    private final DeviceFloats pre;
    private final DeviceFloats trace;
    private final DeviceFloats logits;
    private final DeviceFloats delta;
    private final DeviceFloats hiddenGrad;
    private final DeviceFloats grads;
    private final float[] rowsHost;
    private final float[] stateHost;
    private final float[] logitsHost;
    private final float[] deltaHost;
    private final float[] gradsHost;
    /** Keys in the step that {@link #forward} ran last. */
    private int size;

    RtrlBatchStep(final RtrlNetwork network, final ComputeBackend backend) {
        this.config = network.config();
        this.network = network;
        this.backend = backend;
        this.count = network.parameterCount();
        this.stateSize = network.stateSize();
        this.readout = network.unitParameters(config.units());
        this.width = config.inputs() + config.units();
        this.capacity = (int) Math.max(1, Math.min(config.batch(), GROUP_FLOATS / Math.max(count, stateSize)));
        this.stages = new RtrlStage[config.stages()][capacity + 1];
        final int hidden = config.hidden();
        final int maxFanIn = config.fanIn(config.stages() - 1);
        final int outputs = config.outputs();
        params = backend.allocateFloats(count);
        rows = backend.allocateFloats(capacity * width);
        state = backend.allocateFloats(capacity * stateSize);
        pre = backend.allocateFloats(config.cell().gates() * capacity * hidden);
        trace = backend.allocateFloats(capacity * hidden * config.cell().traceSize(maxFanIn));
        logits = backend.allocateFloats(capacity * outputs);
        delta = backend.allocateFloats(capacity * outputs);
        hiddenGrad = backend.allocateFloats(capacity * hidden);
        grads = backend.allocateFloats(capacity * count);
        rowsHost = new float[capacity * width];
        stateHost = new float[capacity * stateSize];
        logitsHost = new float[capacity * outputs];
        deltaHost = new float[capacity * outputs];
        gradsHost = new float[capacity * count];
    }

    /** Most keys one step takes. */
    int capacity() {
        return capacity;
    }

    /**
     * Steps the {@code n} events from slot {@code from} with {@code values} as parameters, up to the
     * network's active stage: advances their key states in the group and keeps their logits for
     * {@link #prediction}.
     */
    void forward(final float[] values, final EventGroup<DenseExample> group, final int from, final int n) {
        backend.upload(values, 0, params, 0, count);
        Arrays.fill(rowsHost, 0, n * width, 0f);
        for (int i = 0; i < n; i++) {
            System.arraycopy(group.example(from + i).input(), 0, rowsHost, i * width, config.inputs());
            System.arraycopy(group.keyState(from + i), 0, stateHost, i * stateSize, stateSize);
        }
        backend.upload(rowsHost, 0, rows, 0, n * width);
        backend.upload(stateHost, 0, state, 0, n * stateSize);
        final int active = network.activeStage();
        final int hidden = config.hidden();
        for (int s = 0; s <= active; s++) {
            final RtrlStage stage = stage(s, n);
            final int block = config.cell().gateSize(stage.fanIn());
            // every gate's W·u at once, a key per column: gate g's weights are the units' g-th blocks
            backend.gemm(false, true, hidden, n, stage.fanIn(), 1f, params, stage.paramOffset(),
                    stage.unitParameters(), rows, 0, width, 0f, pre, 0, n, config.cell().gates(), block, 0,
                    (long) hidden * n);
            backend.rtrlForward(stage, s == active, params, pre, rows, width, state, trace, rows,
                    config.inputs() + s * hidden, width);
        }
        backend.gemm(false, true, config.outputs(), n, config.units(), 1f, params, readout, config.units(), rows,
                config.inputs(), width, 0f, logits, 0, n, 1, 0, 0, 0);
        backend.download(logits, 0, logitsHost, 0, n * config.outputs());
        backend.download(state, 0, stateHost, 0, n * stateSize);
        for (int i = 0; i < n; i++) {
            System.arraycopy(stateHost, i * stateSize, group.keyState(from + i), 0, stateSize);
        }
        size = n;
    }

    /** Key {@code i}'s prediction after {@link #forward}: logits plus bias, through softmax for classes. */
    void prediction(final int i, final float[] values, final double[] out) {
        final int outputs = config.outputs();
        final int bias = readout + outputs * config.units();
        for (int o = 0; o < outputs; o++) {
            out[o] = (double) logitsHost[o * size + i] + values[bias + o];
        }
        if (config.classification()) {
            RtrlNetwork.softmax(out, outputs);
        }
    }

    /** Sets key {@code i}'s {@code ∂loss/∂logits} for {@link #gradients}; 0 for keys that do not learn. */
    void outputGradient(final int i, final double[] outputGrad) {
        for (int o = 0; o < config.outputs(); o++) {
            deltaHost[o * size + i] = outputGrad == null ? 0f : (float) outputGrad[o];
        }
    }

    /** Every key's gradient after {@link #forward} of the same {@code n} keys, read by {@link #gradient}. */
    void gradients(final int n) {
        final int outputs = config.outputs();
        final int units = config.units();
        final int hidden = config.hidden();
        final int active = network.activeStage();
        final RtrlStage stage = stage(active, n);
        backend.upload(deltaHost, 0, delta, 0, n * outputs);
        backend.gemm(true, false, hidden, n, outputs, 1f, params, readout + active * hidden, units, delta, 0, n, 0f,
                hiddenGrad, 0, n, 1, 0, 0, 0);
        backend.rtrlGradient(stage, params, hiddenGrad, rows, width, state, trace, grads, stage.paramOffset(), count);
        // the readout's: per key, the outer product of its output gradient (a column) and its features
        backend.gemm(false, false, outputs, units, 1, 1f, delta, 0, n, rows, config.inputs(), width, 0f, grads,
                readout, units, n, 1, width, count);
        backend.download(grads, 0, gradsHost, 0, n * count);
    }

    /** Key {@code i}'s gradient by all parameters: the active stage's units and the readout; 0 elsewhere. */
    void gradient(final int i, final double[] grad) {
        Arrays.fill(grad, 0.0);
        final int hidden = config.hidden();
        final int active = network.activeStage();
        final int row = i * count;
        final int first = network.unitParameters(active * hidden);
        final int last = network.unitParameters((active + 1) * hidden);
        for (int k = first; k < last; k++) {
            grad[k] = gradsHost[row + k];
        }
        final int outputs = config.outputs();
        final int weights = outputs * config.units();
        for (int k = readout; k < readout + weights; k++) {
            grad[k] = gradsHost[row + k];
        }
        for (int o = 0; o < outputs; o++) {
            grad[readout + weights + o] = deltaHost[o * size + i];
        }
    }

    private RtrlStage stage(final int s, final int n) {
        RtrlStage stage = stages[s][n];
        if (stage == null) {
            final int firstUnit = s * config.hidden();
            stage = new RtrlStage(config.cell(), n, config.hidden(), config.fanIn(s), network.unitParameters(firstUnit),
                    network.unitState(firstUnit), stateSize);
            stages[s][n] = stage;
        }
        return stage;
    }
}
