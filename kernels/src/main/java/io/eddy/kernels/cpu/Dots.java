package io.eddy.kernels.cpu;

/** The dot product of float rows that the CPU backend and the learners' own scans share. */
public final class Dots {
    private Dots() {
    }

    /**
     * {@code <a[ao..ao+n), b[bo..bo+n)>} in float, in four partial sums (one chain of dependent additions
     * would bound the loop by the adder's latency), combined as {@code (s0 + s1) + (s2 + s3)}.
     */
    public static float dot(final int n, final float[] a, final int ao, final float[] b, final int bo) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
