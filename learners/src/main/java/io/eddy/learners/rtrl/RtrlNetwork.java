package io.eddy.learners.rtrl;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.Finite;
import java.util.SplittableRandom;

/**
 * The arithmetic of an rtrl net in double precision: one step of every unit with its RTRL
 * sensitivities, the readout, and the exact gradient of a step's loss.
 *
 * <p>Units come in stages of {@code hidden}; stage s sees the input and the features of stages below
 * it (constructive networks, Javed et al.). Every unit is a column with an element-wise recurrence,
 * so the sensitivity of its state is only to its own parameters: per unit, {@code S = ∂state/∂θ_unit}
 * is carried forward, and {@code ∂L_t/∂θ_unit = ∂L_t/∂h_t · ∂h_t/∂θ_unit}, exact, with no history kept.
 * Only the active stage learns; stages below it are frozen and those above it not yet grown (their
 * features are 0).
 *
 * <p>Shared parameters (floats): per unit its gate blocks {@code [W (fanIn), w (recurrent; not
 * minGRU), b]}, units in order; then the readout {@code V} (outputs × units, row-major) and its bias.
 * Per-key state (doubles): per unit its recurrent scalar (h, or c for eLSTM) and its sensitivities.
 *
 * <p>Holds scratch for one step; one thread uses an instance. Allocates nothing per step.
 */
public final class RtrlNetwork {
    private static final double MIN_PROBABILITY = 1e-7;

    private final RtrlConfig config;
    private final RecurrentCell cell;
    private final int units;
    private final int[] paramOffset;
    private final int[] stateOffset;
    private final int readoutOffset;
    private final int parameterCount;
    private final int stateSize;
    private final double[] input;
    private final double[] activeInput;
    private final double[] previous;
    private final double[] gate;
    private final double[] cellBefore;
    private final double[] cellAfter;
    private final double[] outputGrad;
    private int activeStage;

    public RtrlNetwork(final RtrlConfig config) {
        this.config = config;
        this.cell = config.cell();
        this.units = config.units();
        this.paramOffset = new int[units + 1];
        this.stateOffset = new int[units + 1];
        for (int u = 0; u < units; u++) {
            final int fanIn = config.fanIn(u / config.hidden());
            paramOffset[u + 1] = paramOffset[u] + cell.parameters(fanIn);
            stateOffset[u + 1] = stateOffset[u] + 1 + cell.sensitivities(fanIn);
        }
        this.readoutOffset = paramOffset[units];
        this.parameterCount = readoutOffset + config.outputs() * (units + 1);
        this.stateSize = stateOffset[units];
        final int maxFanIn = config.fanIn(config.stages() - 1);
        this.input = new double[maxFanIn];
        this.activeInput = new double[maxFanIn];
        this.previous = new double[stateSize];
        this.gate = new double[units];
        this.cellBefore = new double[units];
        this.cellAfter = new double[units];
        this.outputGrad = new double[config.outputs()];
    }

    public RtrlConfig config() {
        return config;
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** Doubles of per-key state. */
    public int stateSize() {
        return stateSize;
    }

    /** First parameter of unit {@code unit}; {@code unitParameters(units())} is the readout's offset. */
    public int unitParameters(final int unit) {
        return paramOffset[unit];
    }

    /** First double of unit {@code unit}'s part of the per-key state. */
    public int unitState(final int unit) {
        return stateOffset[unit];
    }

    public int activeStage() {
        return activeStage;
    }

    /** Which stage learns; those below are frozen, those above not yet grown. */
    public void activeStage(final int stage) {
        if (stage < 0 || stage >= config.stages()) {
            throw new IllegalArgumentException("stage " + stage + " outside [0, " + config.stages() + ")");
        }
        activeStage = stage;
    }

    /** Seeded initial parameters: small input weights, varied memory in the recurrences, readout zero. */
    public void initialize(final float[] params) {
        final SplittableRandom random = new SplittableRandom(config.seed());
        java.util.Arrays.fill(params, 0, parameterCount, 0f);
        for (int u = 0; u < units; u++) {
            final int fanIn = config.fanIn(u / config.hidden());
            final int block = cell.gateSize(fanIn);
            final double scale = config.initScale() / Math.sqrt(fanIn);
            for (int g = 0; g * block < cell.parameters(fanIn); g++) {
                final int at = paramOffset[u] + g * block;
                for (int j = 0; j < fanIn; j++) {
                    params[at + j] = (float) (scale * (2 * random.nextDouble() - 1));
                }
                if (cell == RecurrentCell.DIAGONAL) {
                    params[at + fanIn] = (float) (0.5 + 0.49 * random.nextDouble());
                } else if (cell == RecurrentCell.ELSTM) {
                    params[at + fanIn] = (float) (0.1 * (2 * random.nextDouble() - 1));
                    params[at + fanIn + 1] = g == 0 ? 1f : 0f; // forget gate leans to remembering
                } else if (g == 0) {
                    params[at + fanIn] = -1f; // minGRU update gate leans to keeping the state
                }
            }
        }
    }

    /** Whether every unit's recurrent value in {@code state} fits a float, its sensitivities aside. */
    public boolean valuesFitFloats(final double[] state) {
        for (int u = 0; u < units; u++) {
            if (!Finite.fitsFloat(state[stateOffset[u]])) {
                return false;
            }
        }
        return true;
    }

    /** Whether every unit's recurrent value in {@code state[at...]} (floats) is finite, its sensitivities aside. */
    public boolean valuesFinite(final float[] state, final int at) {
        for (int u = 0; u < units; u++) {
            if (!Float.isFinite(state[at + stateOffset[u]])) {
                return false;
            }
        }
        return true;
    }

    /** Zeroes the sensitivities in {@code state}, keeping every unit's recurrent value. */
    public void clearSensitivities(final double[] state) {
        for (int u = 0; u < units; u++) {
            java.util.Arrays.fill(state, stateOffset[u] + 1, stateOffset[u + 1], 0.0);
        }
    }

    /** Zeroes the sensitivities in {@code state[at...]}, keeping every unit's recurrent value. */
    public void clearSensitivities(final float[] state, final int at) {
        for (int u = 0; u < units; u++) {
            java.util.Arrays.fill(state, at + stateOffset[u] + 1, at + stateOffset[u + 1], 0f);
        }
    }

    /**
     * Advances {@code state} by input {@code x}: every grown unit's recurrent value, and the active
     * stage's sensitivities; writes every unit's feature h (0 above the active stage).
     */
    public void step(final float[] params, final float[] x, final double[] state, final double[] features) {
        final int hidden = config.hidden();
        for (int j = 0; j < config.inputs(); j++) {
            input[j] = x[j];
        }
        for (int stage = 0; stage < config.stages(); stage++) {
            final int fanIn = config.fanIn(stage);
            if (stage > activeStage) {
                java.util.Arrays.fill(features, stage * hidden, (stage + 1) * hidden, 0.0);
                continue;
            }
            final boolean learning = stage == activeStage;
            if (learning) {
                System.arraycopy(input, 0, activeInput, 0, fanIn);
            }
            for (int u = stage * hidden; u < (stage + 1) * hidden; u++) {
                features[u] = stepUnit(params, u, fanIn, state, learning);
            }
            if (stage + 1 < config.stages()) {
                for (int u = 0; u < hidden; u++) {
                    input[fanIn + u] = features[stage * hidden + u];
                }
            }
        }
    }

    private double stepUnit(final float[] params, final int u, final int fanIn, final double[] state,
                            final boolean learning) {
        final int p = paramOffset[u];
        final int s = stateOffset[u];
        final double before = state[s];
        cellBefore[u] = before;
        switch (cell) {
            case DIAGONAL: {
                final double r = params[p + fanIn];
                final double h = Math.tanh(dot(params, p, fanIn) + r * before + params[p + fanIn + 1]);
                state[s] = h;
                if (learning) {
                    final double d = 1 - h * h;
                    for (int j = 0; j < fanIn; j++) {
                        state[s + 1 + j] = d * (input[j] + r * state[s + 1 + j]);
                    }
                    state[s + 1 + fanIn] = d * (before + r * state[s + 1 + fanIn]);
                    state[s + 2 + fanIn] = d * (1 + r * state[s + 2 + fanIn]);
                }
                cellAfter[u] = h;
                return h;
            }
            case ELSTM: {
                final int block = fanIn + 2;
                final double wf = params[p + fanIn];
                final double wz = params[p + block + fanIn];
                final double wo = params[p + 2 * block + fanIn];
                final double f = sigmoid(dot(params, p, fanIn) + wf * before + params[p + fanIn + 1]);
                final double z = Math.tanh(dot(params, p + block, fanIn) + wz * before + params[p + block + fanIn + 1]);
                final double o = sigmoid(dot(params, p + 2 * block, fanIn) + wo * before
                        + params[p + 2 * block + fanIn + 1]);
                final double c = f * before + (1 - f) * z;
                state[s] = c;
                if (learning) {
                    final int n = 2 * block;
                    System.arraycopy(state, s + 1, previous, s + 1, n);
                    final double kf = (before - z) * f * (1 - f);
                    final double kz = (1 - f) * (1 - z * z);
                    final double carry = f + kf * wf + kz * wz;
                    for (int k = 0; k < n; k++) {
                        state[s + 1 + k] *= carry;
                    }
                    addDirect(state, s + 1, fanIn, kf, before);
                    addDirect(state, s + 1 + block, fanIn, kz, before);
                }
                gate[u] = o;
                cellAfter[u] = c;
                return o * c;
            }
            default: {
                final int block = fanIn + 1;
                final double z = sigmoid(dot(params, p, fanIn) + params[p + fanIn]);
                final double candidate = dot(params, p + block, fanIn) + params[p + block + fanIn];
                final double h = (1 - z) * before + z * candidate;
                state[s] = h;
                if (learning) {
                    final double kz = (candidate - before) * z * (1 - z);
                    for (int k = 0; k < 2 * block; k++) {
                        state[s + 1 + k] *= 1 - z;
                    }
                    for (int j = 0; j < fanIn; j++) {
                        state[s + 1 + j] += kz * input[j];
                        state[s + 1 + block + j] += z * input[j];
                    }
                    state[s + 1 + fanIn] += kz;
                    state[s + 1 + block + fanIn] += z;
                }
                cellAfter[u] = h;
                return h;
            }
        }
    }

    /** Adds {@code k · ∂a/∂θ} of one gate block {@code [W, w, b]}: the input, the previous cell value, 1. */
    private void addDirect(final double[] sens, final int at, final int fanIn, final double k, final double before) {
        for (int j = 0; j < fanIn; j++) {
            sens[at + j] += k * input[j];
        }
        sens[at + fanIn] += k * before;
        sens[at + fanIn + 1] += k;
    }

    private double dot(final float[] params, final int at, final int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += params[at + j] * input[j];
        }
        return sum;
    }

    /** The readout: regression values, or class probabilities (softmax). */
    public void predict(final float[] params, final double[] features, final double[] prediction) {
        final int outputs = config.outputs();
        for (int o = 0; o < outputs; o++) {
            final int row = readoutOffset + o * units;
            double y = params[readoutOffset + outputs * units + o];
            for (int u = 0; u < units; u++) {
                y += params[row + u] * features[u];
            }
            prediction[o] = y;
        }
        if (config.classification()) {
            softmax(prediction, outputs);
        }
    }

    static void softmax(final double[] values, final int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, values[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            values[i] = Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < n; i++) {
            values[i] /= sum;
        }
    }

    /** The loss of {@code prediction} against the example's target or label. */
    public double loss(final double[] prediction, final DenseExample target) {
        if (config.classification()) {
            return -Math.log(Math.max(MIN_PROBABILITY, prediction[target.label()]));
        }
        double sum = 0;
        for (int o = 0; o < config.outputs(); o++) {
            final double e = prediction[o] - target.target()[o];
            sum += e * e;
        }
        return sum / config.outputs();
    }

    /**
     * Adds the gradient of this step's loss to {@code grad}: readout, and the active stage's units
     * through their sensitivities. Call right after {@link #step} and {@link #predict} of the same
     * input and state.
     *
     * @return the loss
     */
    public double addGradient(final float[] params, final double[] state, final double[] features,
                              final double[] prediction, final DenseExample target, final double[] grad) {
        final int outputs = config.outputs();
        outputGradient(prediction, target, outputGrad);
        for (int o = 0; o < outputs; o++) {
            final int row = readoutOffset + o * units;
            for (int u = 0; u < units; u++) {
                grad[row + u] += outputGrad[o] * features[u];
            }
            grad[readoutOffset + outputs * units + o] += outputGrad[o];
        }
        final int hidden = config.hidden();
        final int fanIn = config.fanIn(activeStage);
        for (int u = activeStage * hidden; u < (activeStage + 1) * hidden; u++) {
            double g = 0;
            for (int o = 0; o < outputs; o++) {
                g += params[readoutOffset + o * units + u] * outputGrad[o];
            }
            addUnitGradient(params, u, fanIn, state, g, grad);
        }
        return loss(prediction, target);
    }

    /** {@code ∂loss/∂logits} of the readout: probabilities minus the one-hot label, or the error's derivative. */
    public void outputGradient(final double[] prediction, final DenseExample target, final double[] out) {
        final int outputs = config.outputs();
        for (int o = 0; o < outputs; o++) {
            out[o] = config.classification()
                    ? prediction[o] - (o == target.label() ? 1 : 0)
                    : 2 * (prediction[o] - target.target()[o]) / outputs;
        }
    }

    private void addUnitGradient(final float[] params, final int u, final int fanIn, final double[] state,
                                 final double g, final double[] grad) {
        final int p = paramOffset[u];
        final int s = stateOffset[u] + 1;
        if (cell != RecurrentCell.ELSTM) {
            final int n = cell.sensitivities(fanIn);
            for (int k = 0; k < n; k++) {
                grad[p + k] += g * state[s + k];
            }
            return;
        }
        // h = o·c: through c (S now) and through o, which reads the previous c (S before)
        final int block = fanIn + 2;
        final double o = gate[u];
        final double c = cellAfter[u];
        final double throughGate = c * o * (1 - o);
        final double viaPrevious = throughGate * params[p + 2 * block + fanIn];
        for (int k = 0; k < 2 * block; k++) {
            grad[p + k] += g * (o * state[s + k] + viaPrevious * previous[s + k]);
        }
        final int og = p + 2 * block;
        final double d = g * throughGate;
        for (int j = 0; j < fanIn; j++) {
            grad[og + j] += d * activeInput[j];
        }
        grad[og + fanIn] += d * cellBefore[u];
        grad[og + fanIn + 1] += d;
    }

    static double sigmoid(final double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
