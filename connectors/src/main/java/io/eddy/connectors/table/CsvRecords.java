package io.eddy.connectors.table;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a CSV file into records as RFC 4180 says: fields separated by one character, records by CRLF,
 * LF or CR; a field in double quotes may hold separators, line breaks and quotes written twice
 * ({@code ""}). Leniencies: spaces around an unquoted field and around a quoted one are dropped, a quote
 * inside an unquoted field is an ordinary character, blank lines are skipped, and a leading byte order
 * mark is ignored.
 */
final class CsvRecords implements Closeable {
    private static final int END = -1;

    private final Path path;
    private final char separator;
    private final BufferedReader reader;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private long lineNumber = 1;
    private long recordLine;
    private int pushedBack = Integer.MIN_VALUE;
    private boolean started;

    CsvRecords(final Path path, final char separator) throws IOException {
        this.path = path;
        this.separator = separator;
        this.reader = TextFiles.open(path);
    }

    /** The line where the last record returned by {@link #next()} starts, from 1. */
    long line() {
        return recordLine;
    }

    /**
     * The next record's fields (unquoted; spaces around them dropped), or null at the end of the file.
     *
     * @throws MalformedTableException for a quote left open or text after a closing quote
     */
    String[] next() throws IOException {
        try {
            if (!started) {
                started = true;
                final int first = read();
                if (first != TextFiles.BYTE_ORDER_MARK) {
                    pushedBack = first;
                }
            }
            return readRecord();
        } catch (final CharacterCodingException e) {
            throw TextFiles.notUtf8(path, lineNumber);
        }
    }

    private String[] readRecord() throws IOException {
        fields.clear();
        field.setLength(0);
        recordLine = lineNumber;
        boolean quoted = false;
        boolean closed = false;
        while (true) {
            final int c = read();
            if (c == END || c == '\n' || c == '\r') {
                endLine(c);
                if (fields.isEmpty() && !quoted && field.toString().isBlank()) {
                    if (c == END) {
                        return null;
                    }
                    recordLine = lineNumber; // a blank line
                    continue;
                }
                endField(quoted);
                return fields.toArray(new String[0]);
            }
            if (c == separator) {
                endField(quoted);
                quoted = false;
                closed = false;
            } else if (closed) {
                if (!Character.isWhitespace(c)) {
                    throw new MalformedTableException(path, lineNumber, "'" + (char) c + "' after the closing "
                            + "quote of a field; a quote inside a quoted field is written twice (\"\")");
                }
            } else if (c == '"' && !quoted && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
                readQuoted();
                closed = true;
            } else {
                field.append((char) c);
            }
        }
    }

    /** Reads a quoted field's text up to its closing quote, which it consumes. */
    private void readQuoted() throws IOException {
        final long opened = lineNumber;
        while (true) {
            final int c = read();
            if (c == END) {
                throw new MalformedTableException(path, opened, "unterminated quoted field: the quote opened on "
                        + "this line is never closed");
            }
            if (c == '"') {
                final int after = read();
                if (after != '"') {
                    pushedBack = after;
                    return;
                }
            } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                lineNumber++;
            }
            field.append((char) c);
        }
    }

    private void endField(final boolean quoted) {
        fields.add(quoted ? field.toString() : field.toString().strip());
        field.setLength(0);
    }

    private void endLine(final int c) throws IOException {
        if (c == '\r' && peek() == '\n') {
            read();
        }
        if (c != END) {
            lineNumber++;
        }
    }

    private int peek() throws IOException {
        final int c = read();
        pushedBack = c;
        return c;
    }

    private int read() throws IOException {
        if (pushedBack != Integer.MIN_VALUE) {
            final int c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
            return c;
        }
        return reader.read();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
