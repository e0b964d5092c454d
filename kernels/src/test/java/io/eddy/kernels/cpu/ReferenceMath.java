package io.eddy.kernels.cpu;

/**
 * Textbook loops in double precision: the reference every backend is checked against. Sums also
 * return the same sum over absolute values, the scale of their rounding error.
 */
final class ReferenceMath {

    private ReferenceMath() {
    }

    /** C = alpha·op(A)·op(B) + beta·C for one product; {@code scale} gets Σ|terms| per element of C. */
    static double[] gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                         final float alpha, final float[] a, final int ao, final int lda, final float[] b,
                         final int bo, final int ldb, final float beta, final float[] c, final int co, final int ldc,
                         final double[] scale) {
        final double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    final double x = transA ? a[ao + p * lda + i] : a[ao + i * lda + p];
                    final double y = transB ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                final double old = beta == 0f ? 0 : (double) beta * c[co + i * ldc + j];
                out[i * n + j] = alpha * sum + old;
                scale[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
            }
        }
        return out;
    }

    static double activate(final int function, final double v) {
        return switch (function) {
            case 1 -> v > 0 ? v : 0;
            case 2 -> Math.tanh(v);
            case 3 -> 1 / (1 + Math.exp(-v));
            default -> v;
        };
    }

    static double slope(final int function, final double y) {
        return switch (function) {
            case 1 -> y > 0 ? 1 : 0;
            case 2 -> 1 - y * y;
            case 3 -> y * (1 - y);
            default -> 1;
        };
    }

    /** One Adam step in double precision, in place on doubles. */
    static void adam(final double learningRate, final double beta1, final double beta2, final double epsilon,
                     final int t, final double[] params, final float[] grads, final double[] m, final double[] v) {
        for (int i = 0; i < params.length; i++) {
            final double g = grads[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            final double mHat = m[i] / (1 - Math.pow(beta1, t));
            final double vHat = v[i] / (1 - Math.pow(beta2, t));
            params[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
        }
    }

    /** S[b][i][j] = a[b][i]·(x[b][j] + r[i]·S[b][i][j]), in place on doubles. */
    static void rtrlDiagonal(final int batch, final int units, final int inputs, final float[] a, final float[] r,
                             final float[] x, final double[] s) {
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < units; i++) {
                for (int j = 0; j < inputs; j++) {
                    final int e = (b * units + i) * inputs + j;
                    s[e] = a[b * units + i] * (x[b * inputs + j] + r[i] * s[e]);
                }
            }
        }
    }
}
