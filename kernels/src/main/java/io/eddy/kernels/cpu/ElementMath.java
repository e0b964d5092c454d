package io.eddy.kernels.cpu;

/** The element-wise loops of the CPU backend over index ranges, with the same formulas as the CUDA kernels. */
final class ElementMath {

    private ElementMath() {
    }

    static void activate(final int function, final float[] x, final int xo, final float[] y, final int yo,
                         final int from, final int to) {
        switch (function) {
            case 1 -> {
                for (int i = from; i < to; i++) {
                    final float v = x[xo + i];
                    y[yo + i] = v > 0f ? v : 0f;
                }
            }
            case 2 -> {
                for (int i = from; i < to; i++) {
                    y[yo + i] = (float) Math.tanh(x[xo + i]);
                }
            }
            case 3 -> {
                for (int i = from; i < to; i++) {
                    y[yo + i] = (float) (1.0 / (1.0 + Math.exp(-x[xo + i])));
                }
            }
            default -> {
                if (x != y || xo != yo) {
                    System.arraycopy(x, xo + from, y, yo + from, to - from);
                }
            }
        }
    }

    /** {@code out = g·f'(y)}, the slope written in terms of the activation's output y. */
    static void activationBackward(final int function, final float[] y, final int yo, final float[] g, final int go,
                                   final float[] out, final int oo, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final float v = y[yo + i];
            final float slope = switch (function) {
                case 1 -> v > 0f ? 1f : 0f;
                case 2 -> 1f - v * v;
                case 3 -> v * (1f - v);
                default -> 1f;
            };
            out[oo + i] = g[go + i] * slope;
        }
    }

    static void adam(final int from, final int to, final float learningRate, final float beta1, final float beta2,
                     final float epsilon, final float correction1, final float correction2,
                     final float[] params, final float[] grads, final float[] m, final float[] v) {
        for (int i = from; i < to; i++) {
            final float g = grads[i];
            final float mi = beta1 * m[i] + (1f - beta1) * g;
            final float vi = beta2 * v[i] + (1f - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= learningRate * (mi / correction1) / ((float) Math.sqrt(vi / correction2) + epsilon);
        }
    }

    /** {@code S[b][i][j] = a[b][i]·(x[b][j] + r[i]·S[b][i][j])} for rows {@code bi = b·units + i} in range. */
    static void rtrlDiagonal(final int from, final int to, final int inputs, final int units, final float[] a,
                             final float[] r, final float[] x, final float[] s) {
        for (int bi = from; bi < to; bi++) {
            final float ai = a[bi];
            final float ri = r[bi % units];
            final int xRow = (bi / units) * inputs;
            final int sRow = bi * inputs;
            for (int j = 0; j < inputs; j++) {
                s[sRow + j] = ai * Math.fma(ri, s[sRow + j], x[xRow + j]);
            }
        }
    }
}
