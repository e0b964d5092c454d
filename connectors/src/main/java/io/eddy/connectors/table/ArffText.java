package io.eddy.connectors.table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ARFF's lexical rules: values separated by commas, quoted with {@code '} or {@code "} (backslash
 * escapes inside), an unquoted {@code %} starting a comment to the end of the line.
 */
final class ArffText {
    private ArffText() {
    }

    /**
     * Splits {@code text} at the commas outside quotes, up to a comment; each part stripped and still
     * quoted, so that {@code ?} (missing) and {@code '?'} (a value) stay apart.
     */
    static List<String> split(final String text, final Path path, final long line) throws MalformedTableException {
        final List<String> parts = new ArrayList<>();
        int start = 0;
        char quote = 0;
        int at = 0;
        for (; at < text.length(); at++) {
            final char c = text.charAt(at);
            if (quote != 0) {
                if (c == '\\') {
                    at++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ',') {
                parts.add(text.substring(start, at).strip());
                start = at + 1;
            } else if (c == '%') {
                break;
            }
        }
        if (quote != 0) {
            throw new MalformedTableException(path, line, "unterminated quote: " + quote + " is never closed");
        }
        parts.add(text.substring(start, Math.min(at, text.length())).strip());
        return parts;
    }

    /** Whether a part that {@link #split} returned is the missing value {@code ?}. */
    static boolean isMissing(final String part) {
        return part.equals("?");
    }

    /** A name or value without its quotes and escapes; unquoted text as it is. */
    static String unquote(final String part, final Path path, final long line) throws MalformedTableException {
        if (part.isEmpty() || (part.charAt(0) != '\'' && part.charAt(0) != '"')) {
            return part;
        }
        final char quote = part.charAt(0);
        final StringBuilder text = new StringBuilder(part.length());
        for (int at = 1; at < part.length(); at++) {
            final char c = part.charAt(at);
            if (c == quote) {
                if (at != part.length() - 1) {
                    throw new MalformedTableException(path, line, "text after the closing quote of " + part);
                }
                return text.toString();
            }
            if (c == '\\' && at + 1 < part.length()) {
                text.append(escaped(part.charAt(++at)));
            } else {
                text.append(c);
            }
        }
        throw new MalformedTableException(path, line, "unterminated quote: " + part);
    }

    private static char escaped(final char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> c;
        };
    }

    /**
     * The first word of {@code text}, quoted or up to white space or a brace: a name in a header line.
     *
     * @return the word as written (with quotes), empty when there is none
     */
    static String firstWord(final String text) {
        if (text.isEmpty()) {
            return "";
        }
        final char first = text.charAt(0);
        if (first == '\'' || first == '"') {
            for (int at = 1; at < text.length(); at++) {
                if (text.charAt(at) == '\\') {
                    at++;
                } else if (text.charAt(at) == first) {
                    return text.substring(0, at + 1);
                }
            }
            return text; // unterminated: unquote() reports it
        }
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '{') {
            end++;
        }
        return text.substring(0, end);
    }
}
