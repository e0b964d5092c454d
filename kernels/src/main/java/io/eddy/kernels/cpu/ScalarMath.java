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
}
