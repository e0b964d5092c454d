package io.eddy.connectors;

/** The generators' events are built as ASCII text; this turns one into its bytes (also UTF-8). */
public final class Ascii {
    private Ascii() {
    }

    /** The bytes of {@code text}, which must hold ASCII characters only; allocates only the result. */
    public static byte[] bytes(final CharSequence text) {
        final int length = text.length();
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        return bytes;
    }
}
