package io.eddy.learners.api;

/** Finiteness checks over whole arrays, for the guards that keep non-finite numbers out of state. */
public final class Finite {
    private Finite() {
    }

    /** Whether {@code values[from, from + length)} are all finite. */
    public static boolean all(final float[] values, final int from, final int length) {
        // a float is not finite when its exponent bits are all ones; adding one to that exponent then
        // carries into the sign bit: one OR over the array, no early exit and no floating-point compare
        int carries = 0;
        for (int i = from; i < from + length; i++) {
            carries |= (Float.floatToRawIntBits(values[i]) & 0x7f800000) + 0x00800000;
        }
        return carries >= 0;
    }

    /** Whether every value is finite and within the float range, so that it is stored as a finite float. */
    public static boolean fitFloats(final double[] values) {
        for (final double v : values) {
            if (!fitsFloat(v)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} is finite and within the float range (false for NaN too). */
    public static boolean fitsFloat(final double value) {
        return Math.abs(value) <= Float.MAX_VALUE;
    }
}
