package io.eddy.kernels.cpu;

/**
 * The CPU backend's {@code accumulateGradients}: rows of gradients added to a running sum one row after
 * another, each column's chain in double as an optimiser's host loop computes it. Rows are the outer
 * loop so that a row is read in order; every column still sees the rows in the same order.
 *
 * <p>When the limit is a float (1, or none), most of a row goes through {@link DenseMath#addClamped}, in
 * float vectors: the sum of two floats rounded once to float has the bits of their sum in double rounded
 * to float, and a sum below the largest float in magnitude fits the double test too. The elements it
 * leaves (a sum that would overflow or be NaN) take the double path one by one.
 */
final class GradientSums {
    private GradientSums() {
    }

    static void accumulate(final DenseMath math, final int keys, final int cols, final double limit,
                           final float[] g, final int gOffset, final int gStride, final float[] take,
                           final int takeOffset, final float[] sum, final int sumOffset, final float[] refused,
                           final int refusedOffset) {
        final double upper = limit > 0 ? limit : Double.POSITIVE_INFINITY;
        final boolean inFloats = (float) upper == upper;
        for (int b = 0; b < keys; b++) {
            if (take[takeOffset + b] == 0f) {
                continue;
            }
            final int row = gOffset + b * gStride;
            boolean bad = false;
            for (int j = 0; j < cols; j++) {
                if (inFloats) {
                    j += math.addClamped(cols - j, (float) upper, g, row + j, sum, sumOffset + j);
                    if (j == cols) {
                        break;
                    }
                }
                final double t = (double) sum[sumOffset + j] + clip(g[row + j], upper);
                final boolean fits = Math.abs(t) <= Float.MAX_VALUE;  // false for NaN and infinities too
                sum[sumOffset + j] = fits ? (float) t : sum[sumOffset + j];
                bad |= !fits;
            }
            if (bad) {
                refused[refusedOffset + b] = 1f;
            }
        }
    }

    /**
     * g limited to [−limit, limit], NaN kept: the same value as the learners' {@code Math.max(−limit,
     * Math.min(limit, g))}, without those calls' NaN and signed-zero branches.
     */
    static double clip(final double g, final double limit) {
        return g > limit ? limit : (g < -limit ? -limit : g);
    }
}
