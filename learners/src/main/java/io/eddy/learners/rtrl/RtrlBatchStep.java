package io.eddy.learners.rtrl;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.RtrlStage;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.Finite;
import java.util.Arrays;

/**
 * The events of up to {@link #capacity()} distinct keys stepped together on a compute backend, all
 * with the same parameters: {@link #forward} runs every grown stage (input projections as one GEMM
 * per stage, then the cell and sensitivity kernel) and the readout, and gives back the keys' new
 * states and logits; {@link #gradients} then gives each key's exact gradient (readout by GEMM, units
 * through their sensitivities), and {@link #accumulate} adds them to the batch's running sum on the
 * backend, so that a group sends back one sum instead of a gradient per key. The optimiser stays
 * with the learner, on the host, in double.
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
    private final DeviceFloats sum;
    private final DeviceFloats flags;
    private final float[] rowsHost;
    private final float[] stateHost;
    private final float[] logitsHost;
    private final float[] deltaHost;
    private final float[] gradsHost;
    private final float[] flagsHost;
    /** Keys in the step that {@link #forward} ran last. */
    private int size;

    /** Keys a group takes: {@code batch}, or fewer when their rows would not fit {@link #GROUP_FLOATS}. */
    static double capacity(final int batch, final double count, final double stateSize) {
        return Math.max(1, Math.min(batch, Math.floor(GROUP_FLOATS / Math.max(count, stateSize))));
    }

    RtrlBatchStep(final RtrlNetwork network, final ComputeBackend backend) {
        this.config = network.config();
        this.network = network;
        this.backend = backend;
        this.count = network.parameterCount();
        this.stateSize = network.stateSize();
        this.readout = network.unitParameters(config.units());
        this.width = config.inputs() + config.units();
        this.capacity = (int) capacity(config.batch(), count, stateSize);
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
        sum = backend.allocateFloats(count);
        flags = backend.allocateFloats(2 * capacity);
        rowsHost = new float[capacity * width];
        stateHost = new float[capacity * stateSize];
        logitsHost = new float[capacity * outputs];
        deltaHost = new float[capacity * outputs];
        gradsHost = new float[count];
        flagsHost = new float[2 * capacity];
    }

    /** Most keys one step takes. */
    int capacity() {
        return capacity;
    }

    /**
     * Steps the {@code n} events from slot {@code from} with {@code values} as parameters, up to the
     * network's active stage: keeps their new states for {@link #copyState} and their logits for
     * {@link #prediction}. Keys marked in {@code restart} (may be null) start from their state with its
     * sensitivities zeroed.
     */
    void forward(final float[] values, final EventGroup<DenseExample> group, final int from, final int n,
                 final boolean[] restart) {
        backend.upload(values, 0, params, 0, count);
        Arrays.fill(rowsHost, 0, n * width, 0f);
        for (int i = 0; i < n; i++) {
            System.arraycopy(group.example(from + i).input(), 0, rowsHost, i * width, config.inputs());
            System.arraycopy(group.keyState(from + i), 0, stateHost, i * stateSize, stateSize);
            if (restart != null && restart[i]) {
                network.clearSensitivities(stateHost, i * stateSize);
            }
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
        size = n;
    }

    /** Whether key {@code i}'s new state after {@link #forward} is finite throughout. */
    /** Whether key {@code i}'s recurrent values after {@link #forward} are finite, its sensitivities aside. */
    boolean valuesFinite(final int i) {
        return network.valuesFinite(stateHost, i * stateSize);
    }

    boolean stateFinite(final int i) {
        return Finite.all(stateHost, i * stateSize, stateSize);
    }

    /** Copies key {@code i}'s new state after {@link #forward} into {@code keyState}. */
    void copyState(final int i, final float[] keyState) {
        System.arraycopy(stateHost, i * stateSize, keyState, 0, stateSize);
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
            deltaHost[i * config.outputs() + o] = outputGrad == null ? 0f : (float) outputGrad[o];
        }
    }

    /**
     * Every key's gradient after {@link #forward} of the same {@code n} keys, on the backend: summed by
     * {@link #accumulate}, read a key at a time by {@link #gradient}.
     */
    void gradients(final int n) {
        final int outputs = config.outputs();
        final int units = config.units();
        final int hidden = config.hidden();
        final int active = network.activeStage();
        final RtrlStage stage = stage(active, n);
        backend.upload(deltaHost, 0, delta, 0, n * outputs);
        // delta holds a row per key; as op(B) it is outputs × n, a key per column
        backend.gemm(true, true, hidden, n, outputs, 1f, params, readout + active * hidden, units, delta, 0, outputs,
                0f, hiddenGrad, 0, n, 1, 0, 0, 0);
        backend.rtrlGradient(stage, params, hiddenGrad, rows, width, state, trace, grads, stage.paramOffset(), count);
        // the readout's: per key, the outer product of its output gradient (a column) and its features
        backend.gemm(false, false, outputs, units, 1, 1f, delta, 0, 1, rows, config.inputs(), width, 0f, grads,
                readout, units, n, outputs, width, count);
    }

    /**
     * Adds the gradients of those of the first {@code keys} keys that are {@code labelled} to the batch's
     * running sum, {@code values} from {@code sumAt}, key after key as
     * {@link ComputeBackend#accumulateGradients} defines it, with {@code clip} as its limit: over the
     * active stage's units and the readout, the only parameters a key's gradient touches. Returns
     * false, changing nothing, when any key's sum was refused (not finite or beyond the float range);
     * the learner then takes the keys one at a time.
     */
    boolean accumulate(final int keys, final boolean[] labelled, final double clip, final float[] values,
                       final int sumAt) {
        if (keys == 0) {
            return true;
        }
        final int first = network.unitParameters(network.activeStage() * config.hidden());
        final int last = network.unitParameters((network.activeStage() + 1) * config.hidden());
        final int bias = readout + config.outputs() * config.units();
        // flags: which keys to take (the labelled ones), then a zeroed slot per key for refusals
        for (int i = 0; i < keys; i++) {
            flagsHost[i] = labelled[i] ? 1f : 0f;
        }
        Arrays.fill(flagsHost, keys, 2 * keys, 0f);
        backend.upload(flagsHost, 0, flags, 0, 2 * keys);
        backend.upload(values, sumAt + first, sum, first, last - first);
        backend.upload(values, sumAt + readout, sum, readout, count - readout);
        backend.accumulateGradients(keys, last - first, clip, grads, first, count, flags, 0, sum, first, flags,
                keys);
        backend.accumulateGradients(keys, bias - readout, clip, grads, readout, count, flags, 0, sum, readout,
                flags, keys);
        // the readout bias's gradient is the key's output gradient, a row of delta
        backend.accumulateGradients(keys, count - bias, clip, delta, 0, count - bias, flags, 0, sum, bias, flags,
                keys);
        backend.download(flags, keys, flagsHost, keys, keys);
        for (int i = keys; i < 2 * keys; i++) {
            if (flagsHost[i] != 0f) {
                return false;
            }
        }
        backend.download(sum, first, values, sumAt + first, last - first);
        backend.download(sum, readout, values, sumAt + readout, count - readout);
        return true;
    }

    /** Key {@code i}'s gradient by all parameters: the active stage's units and the readout; 0 elsewhere. */
    void gradient(final int i, final double[] grad) {
        Arrays.fill(grad, 0.0);
        final int hidden = config.hidden();
        final int active = network.activeStage();
        final int row = i * count;
        final int first = network.unitParameters(active * hidden);
        final int last = network.unitParameters((active + 1) * hidden);
        backend.download(grads, row + first, gradsHost, first, last - first);
        final int outputs = config.outputs();
        final int bias = readout + outputs * config.units();
        backend.download(grads, row + readout, gradsHost, readout, bias - readout);
        for (int k = first; k < last; k++) {
            grad[k] = gradsHost[k];
        }
        for (int k = readout; k < bias; k++) {
            grad[k] = gradsHost[k];
        }
        for (int o = 0; o < outputs; o++) {
            grad[bias + o] = deltaHost[i * outputs + o];
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
