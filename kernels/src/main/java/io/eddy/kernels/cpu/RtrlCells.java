package io.eddy.kernels.cpu;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.kernels.api.RtrlStage;

/**
 * The CPU's batched RTRL step and gradient, one (key, unit) pair at a time over a range of pairs
 * {@code b·units + u}; the GEMM operands (pre-activations, hidden gradients) have a key per column.
 * Every cell's sensitivity update has one form, {@code S = carry·S + coef·direct},
 * with {@code direct} the derivative of the gate's pre-activation by the parameter (an input, the
 * previous value or 1) and one {@code coef} per gate block, so one loop serves the three cells.
 */
final class RtrlCells {

    private RtrlCells() {
    }

    static void forward(final RtrlStage stage, final boolean learning, final float[] params, final float[] pre,
                        final float[] input, final int inputStride, final float[] state, final float[] trace,
                        final float[] features, final int featureOffset, final int featureStride,
                        final int from, final int to) {
        final RecurrentCell cell = stage.cell();
        final int units = stage.units();
        final int fanIn = stage.fanIn();
        final int block = cell.gateSize(fanIn);
        final int gateStride = stage.batch() * units;
        final int sensitivities = cell.sensitivities(fanIn);
        for (int pair = from; pair < to; pair++) {
            final int b = pair / units;
            final int u = pair - b * units;
            final int p = stage.paramOffset() + u * stage.unitParameters();
            final int s = b * stage.stateStride() + stage.stateOffset() + u * stage.unitState();
            final int x = b * inputStride;
            final int col = u * stage.batch() + b;
            final float before = state[s];
            final float value;
            final float output;
            final float carry;
            final float coefA;
            final float coefB;
            switch (cell) {
                case DIAGONAL -> {
                    final float r = params[p + fanIn];
                    value = (float) Math.tanh(pre[col] + r * before + params[p + fanIn + 1]);
                    output = value;
                    final float d = 1 - value * value;
                    carry = d * r;
                    coefA = d;
                    coefB = 0;
                }
                case ELSTM -> {
                    final float wf = params[p + fanIn];
                    final float wz = params[p + block + fanIn];
                    final float wo = params[p + 2 * block + fanIn];
                    final float f = sigmoid(pre[col] + wf * before + params[p + fanIn + 1]);
                    final float z = (float) Math.tanh(pre[gateStride + col] + wz * before
                            + params[p + block + fanIn + 1]);
                    final float o = sigmoid(pre[2 * gateStride + col] + wo * before
                            + params[p + 2 * block + fanIn + 1]);
                    value = f * before + (1 - f) * z;
                    output = o * value;
                    coefA = (before - z) * f * (1 - f);
                    coefB = (1 - f) * (1 - z * z);
                    carry = f + coefA * wf + coefB * wz;
                    final int t = pair * stage.unitTrace();
                    trace[t] = o;
                    trace[t + 1] = value;
                    trace[t + 2] = before;
                    if (learning) {
                        System.arraycopy(state, s + 1, trace, t + 3, sensitivities);
                    }
                }
                default -> {
                    final float z = sigmoid(pre[col] + params[p + fanIn]);
                    final float candidate = pre[gateStride + col] + params[p + block + fanIn];
                    value = (1 - z) * before + z * candidate;
                    output = value;
                    carry = 1 - z;
                    coefA = (candidate - before) * z * (1 - z);
                    coefB = z;
                }
            }
            state[s] = value;
            features[b * featureStride + featureOffset + u] = output;
            if (!learning) {
                continue;
            }
            // minGRU's blocks have no recurrent weight: their last direct term is the bias's 1
            final float recurrentDirect = cell == RecurrentCell.MINGRU ? 1f : before;
            for (int k = 0; k < sensitivities; k++) {
                final int j = k % block;
                final float direct = j < fanIn ? input[x + j] : j == fanIn ? recurrentDirect : 1f;
                state[s + 1 + k] = carry * state[s + 1 + k] + (k < block ? coefA : coefB) * direct;
            }
        }
    }

    static void gradient(final RtrlStage stage, final float[] params, final float[] hiddenGrad, final float[] input,
                         final int inputStride, final float[] state, final float[] trace, final float[] grads,
                         final int gradOffset, final int gradStride, final int from, final int to) {
        final RecurrentCell cell = stage.cell();
        final int units = stage.units();
        final int fanIn = stage.fanIn();
        final int block = cell.gateSize(fanIn);
        final int sensitivities = cell.sensitivities(fanIn);
        for (int pair = from; pair < to; pair++) {
            final int b = pair / units;
            final int u = pair - b * units;
            final int s = b * stage.stateStride() + stage.stateOffset() + u * stage.unitState() + 1;
            final int out = b * gradStride + gradOffset + u * stage.unitParameters();
            final float g = hiddenGrad[u * stage.batch() + b];
            if (cell != RecurrentCell.ELSTM) {
                for (int k = 0; k < sensitivities; k++) {
                    grads[out + k] = g * state[s + k];
                }
                continue;
            }
            // h = o·c: through c (S now) and through o, which reads the previous c (S before the step)
            final int t = pair * stage.unitTrace();
            final float o = trace[t];
            final float throughGate = trace[t + 1] * o * (1 - o);
            final float viaPrevious = throughGate * params[stage.paramOffset() + u * stage.unitParameters()
                    + 2 * block + fanIn];
            for (int k = 0; k < sensitivities; k++) {
                grads[out + k] = g * (o * state[s + k] + viaPrevious * trace[t + 3 + k]);
            }
            final float d = g * throughGate;
            final int x = b * inputStride;
            for (int j = 0; j < fanIn; j++) {
                grads[out + 2 * block + j] = d * input[x + j];
            }
            grads[out + 2 * block + fanIn] = d * trace[t + 2];
            grads[out + 2 * block + fanIn + 1] = d;
        }
    }

    private static float sigmoid(final float a) {
        return (float) (1 / (1 + Math.exp(-a)));
    }
}
