package io.eddy.connectors.table;

import java.util.regex.Pattern;

/** Numbers as data files write them, and whether they fit the 32-bit floats of an event. */
final class Numbers {
    /** A decimal number: not the Java literals that Double.parseDouble also takes ({@code 5f}, {@code 0x1p2}). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private Numbers() {
    }

    static boolean isDecimal(final String text) {
        return DECIMAL.matcher(text).matches();
    }

    /** Whether {@code value} stays finite as a 32-bit float, as events carry it. */
    static boolean finiteAsFloat(final double value) {
        return Float.isFinite((float) value);
    }
}
