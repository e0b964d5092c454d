package io.eddy.kernels.cpu;

/**
 * The inner loops of the CPU backend, in two flavours: {@link ScalarMath} (plain Java, always there)
 * and {@link VectorApiMath} (the incubating Java Vector API, several times faster where present).
 */
interface DenseMath {

    /** Rows of the register tile {@link #tile} computes. */
    int tileRows();

    /** Columns of the register tile {@link #tile} computes. */
    int tileCols();

    /**
     * {@code c[r·ldc + j] += Σ_p ap[ao + p·R + r] · bp[bo + p·C + j]} for a full R×C tile over kc steps,
     * where R and C are {@link #tileRows()} and {@link #tileCols()} (packed panels).
     */
    void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc);

    /** {@code Σ a[ao + i]·b[bo + i]} for i below n. */
    float dot(int n, float[] a, int ao, float[] b, int bo);

    /** {@code y[yo + i] += alpha·x[xo + i]} for i below n. */
    void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo);

    /**
     * {@code sum[so + i] += clamp(g[go + i], −limit, limit)} in float arithmetic, from i = 0 up, until the
     * first i whose new sum would not be a float below {@link Float#MAX_VALUE} in magnitude (infinite,
     * NaN or that largest float itself): it returns that i, or n, and leaves that element (with a vector
     * flavour, the rest of its vector) unwritten. Each written sum is correctly rounded, so it has the bits
     * of adding in double and rounding to float, and of {@link GradientSums}' exact path.
     */
    int addClamped(int n, float limit, float[] g, int go, float[] sum, int so);

    /**
     * Adam in double over float state for i in [from, to), as {@link HostAdam#step} defines it: reads the
     * parameter at {@code values[i]} and its moments at {@code values[stride + i]} and {@code values[2·stride
     * + i]}, and writes the narrowed results to {@code next} at the same offsets. {@code wide} is scratch
     * of 4·stride doubles.
     *
     * @return whether every narrowed value is finite
     */
    boolean adamInDouble(int from, int to, int stride, double[] grad, double limit, double beta1, double beta2,
                         double rate, double correction2, float[] values, float[] next, double[] wide);
}
