package io.eddy.kernels.cpu;

/** {@link DenseMath} in plain Java, written so that the JIT can vectorise the column loops. */
final class ScalarMath implements DenseMath {

    private static final int ROWS = 4;
    private static final int COLS = 16;

    @Override
    public int tileRows() {
        return ROWS;
    }

    @Override
    public int tileCols() {
        return COLS;
    }

    @Override
    public void tile(final int kc, final float[] ap, final int ao, final float[] bp, final int bo, final float[] c,
                     final int co, final int ldc) {
        for (int p = 0; p < kc; p++) {
            final int a = ao + p * ROWS;
            final int b = bo + p * COLS;
            for (int r = 0; r < ROWS; r++) {
                final float x = ap[a + r];
                final int row = co + r * ldc;
                for (int j = 0; j < COLS; j++) {
                    c[row + j] += x * bp[b + j];
                }
            }
        }
    }

    @Override
    public float dot(final int n, final float[] a, final int ao, final float[] b, final int bo) {
        return Dots.dot(n, a, ao, b, bo);
    }

    @Override
    public void axpy(final int n, final float alpha, final float[] x, final int xo, final float[] y, final int yo) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public int addClamped(final int n, final float limit, final float[] g, final int go, final float[] sum,
                          final int so) {
        return addClampedFrom(0, n, limit, g, go, sum, so);
    }

    /** {@link #addClamped} from element {@code from} on: also the tail a vector flavour leaves. */
    static int addClampedFrom(final int from, final int n, final float limit, final float[] g, final int go,
                              final float[] sum, final int so) {
        for (int i = from; i < n; i++) {
            final float t = sum[so + i] + Math.max(-limit, Math.min(limit, g[go + i]));
            if (!(Math.abs(t) < Float.MAX_VALUE)) {
                return i;
            }
            sum[so + i] = t;
        }
        return n;
    }

    @Override
    public boolean adamInDouble(final int from, final int to, final int stride, final double[] grad,
                                final double limit, final double beta1, final double beta2, final double rate,
                                final double correction2, final float[] values, final float[] next,
                                final double[] wide) {
        return adamInDoubleFrom(from, to, stride, grad, limit, beta1, beta2, rate, correction2, values, next, wide);
    }

    /**
     * {@link #adamInDouble} in three loops: clipping and widening, the arithmetic in plain double
     * operations, narrowing. JDK 17 vectorises neither float-double conversions nor Math.min/max, so the
     * middle loop, with its square roots and divisions, is kept free of them. Also the tail a vector
     * flavour leaves.
     */
    static boolean adamInDoubleFrom(final int from, final int to, final int stride, final double[] grad,
                                    final double limit, final double beta1, final double beta2, final double rate,
                                    final double correction2, final float[] values, final float[] next,
                                    final double[] wide) {
        final int mean = stride;
        final int variance = 2 * stride;
        final int clipped = 3 * stride;
        for (int i = from; i < to; i++) {
            wide[clipped + i] = Math.max(-limit, Math.min(limit, grad[i]));
            wide[i] = values[i];
            wide[mean + i] = values[mean + i];
            wide[variance + i] = values[variance + i];
        }
        for (int i = from; i < to; i++) {
            final double g = wide[clipped + i];
            final double m = beta1 * wide[mean + i] + (1 - beta1) * g;
            final double v = beta2 * wide[variance + i] + (1 - beta2) * g * g;
            wide[i] -= rate * m / (Math.sqrt(v / correction2) + 1e-8);
            wide[mean + i] = m;
            wide[variance + i] = v;
        }
        int carries = 0;
        for (int i = from; i < to; i++) {
            final float p = (float) wide[i];
            final float m = (float) wide[mean + i];
            final float v = (float) wide[variance + i];
            next[i] = p;
            next[mean + i] = m;
            next[variance + i] = v;
            carries |= nonFiniteCarry(p) | nonFiniteCarry(m) | nonFiniteCarry(v);
        }
        return carries >= 0;
    }

    /**
     * Negative exactly when {@code x} is not finite: its exponent bits are then all ones, and adding one
     * to that exponent carries into the sign bit. ORed over many values, one test says whether all are
     * finite, with no branch and no floating-point compare in the loop.
     */
    static int nonFiniteCarry(final float x) {
        return (Float.floatToRawIntBits(x) & 0x7f800000) + 0x00800000;
    }
}
