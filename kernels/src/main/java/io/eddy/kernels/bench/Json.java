package io.eddy.kernels.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** Just enough JSON writing for the benchmark's last line: this module has no JSON library. */
final class Json {

    private static final MathContext DIGITS = new MathContext(4);

    private Json() {
    }

    /** A JSON string literal, or {@code null} for a null string. */
    static String quote(final String text) {
        if (text == null) {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        final String hex = Integer.toHexString(c);
                        sb.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A number rounded to four significant digits, or {@code null} when not finite (absent). */
    static String number(final double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(DIGITS).stripTrailingZeros().toPlainString();
    }

    /** A JSON array of already-written values. */
    static String array(final List<String> values) {
        return "[" + String.join(",", values) + "]";
    }

    /** An object written member by member, in insertion order. */
    static final class Obj {
        private final StringBuilder sb = new StringBuilder("{");

        Obj string(final String key, final String value) {
            return raw(key, quote(value));
        }

        Obj number(final String key, final double value) {
            return raw(key, Json.number(value));
        }

        Obj integer(final String key, final long value) {
            return raw(key, Long.toString(value));
        }

        /** A member whose value is already JSON text (an object, an array, {@code null}). */
        Obj raw(final String key, final String json) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(key)).append(':').append(json);
            return this;
        }

        String build() {
            return sb.toString() + "}";
        }
    }
}
