package io.eddy.ops.eval;

/** How the evaluations print their figures: rounded to a few places, with no figure kept as no figure. */
final class Rounding {
    private Rounding() {
    }

    /** {@code value} to 4 decimal places; NaN and infinities as they are, so that the JSON line says null. */
    static double round(final double value) {
        return places(value, 1e4);
    }

    /** {@code value} to 6 decimal places, for small errors; NaN and infinities as they are. */
    static double round6(final double value) {
        return places(value, 1e6);
    }

    private static double places(final double value, final double scale) {
        // Math.round takes NaN to 0 (a perfect loss) and infinity to Long.MAX_VALUE
        return Double.isFinite(value) ? Math.round(value * scale) / scale : value;
    }
}
