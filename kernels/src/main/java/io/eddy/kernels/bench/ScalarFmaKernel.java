package io.eddy.kernels.bench;

/** {@link FmaKernel} with scalar {@link Math#fma}: the fallback where the Vector API is not available. */
final class ScalarFmaKernel implements FmaKernel {

    private static final float MUL = 0.999_999f;
    private static final float ADD = 1e-6f;

    @Override
    public float run(final int iterations) {
        final float m = MUL;
        final float c = ADD;
        float a0 = 0.10f;
        float a1 = 0.11f;
        float a2 = 0.12f;
        float a3 = 0.13f;
        float a4 = 0.14f;
        float a5 = 0.15f;
        float a6 = 0.16f;
        float a7 = 0.17f;
        float a8 = 0.18f;
        float a9 = 0.19f;
        float a10 = 0.20f;
        float a11 = 0.21f;
        for (int i = 0; i < iterations; i++) {
            a0 = Math.fma(a0, m, c);
            a1 = Math.fma(a1, m, c);
            a2 = Math.fma(a2, m, c);
            a3 = Math.fma(a3, m, c);
            a4 = Math.fma(a4, m, c);
            a5 = Math.fma(a5, m, c);
            a6 = Math.fma(a6, m, c);
            a7 = Math.fma(a7, m, c);
            a8 = Math.fma(a8, m, c);
            a9 = Math.fma(a9, m, c);
            a10 = Math.fma(a10, m, c);
            a11 = Math.fma(a11, m, c);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public String method() {
        return "scalar Math.fma loop (" + ACCUMULATORS + " accumulators; Java Vector API unavailable)";
    }
}
