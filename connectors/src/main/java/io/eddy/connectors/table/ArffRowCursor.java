package io.eddy.connectors.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;

/** A pass over an {@link ArffTable}'s data lines, dense or sparse, each value checked against its attribute. */
final class ArffRowCursor implements RowCursor {
    private final Path path;
    private final List<Column> columns;
    private final BufferedReader reader;
    private final Row row;
    private long line;
    private long index = -1;

    ArffRowCursor(final Path path, final List<Column> columns, final long dataLine, final BufferedReader reader) {
        this.path = path;
        this.columns = columns;
        this.reader = reader;
        this.row = new Row(columns.size());
        this.line = dataLine;
    }

    @Override
    public boolean next() throws IOException {
        try {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                line++;
                text = text.strip();
                if (text.isEmpty() || text.startsWith("%")) {
                    continue;
                }
                row.reset(++index, line);
                if (text.startsWith("{")) {
                    readSparse(text);
                } else {
                    readDense(text);
                }
                return true;
            }
            return false;
        } catch (final CharacterCodingException e) {
            throw TextFiles.notUtf8(path, line + 1);
        }
    }

    private void readDense(final String text) throws MalformedTableException {
        final List<String> parts = ArffText.split(text, path, line);
        if (parts.size() != columns.size()) {
            throw new MalformedTableException(path, line, "expected " + columns.size() + " values, one per "
                    + "@attribute, found " + parts.size());
        }
        for (int i = 0; i < parts.size(); i++) {
            set(i, parts.get(i));
        }
    }

    /** {@code {index value, ...}}: the attributes left out are 0, or a nominal attribute's first value. */
    private void readSparse(final String text) throws MalformedTableException {
        final int close = text.lastIndexOf('}');
        if (close < 0 || !text.substring(close + 1).isBlank()) {
            throw new MalformedTableException(path, line, "a sparse row must end with } (instance weights are not "
                    + "supported)");
        }
        for (int i = 0; i < columns.size(); i++) {
            final Column column = columns.get(i);
            if (column.type() != Column.Type.TEXT) {
                row.set(i, column.type() == Column.Type.NUMERIC ? "0" : column.values().get(0), 0);
            }
        }
        final String inner = text.substring(1, close);
        if (inner.isBlank()) {
            return;
        }
        for (final String entry : ArffText.split(inner, path, line)) {
            final String indexText = ArffText.firstWord(entry);
            final int column;
            try {
                column = Integer.parseInt(indexText);
            } catch (final NumberFormatException e) {
                throw new MalformedTableException(path, line, "sparse entry '" + entry + "' does not start with an "
                        + "attribute index");
            }
            if (column < 0 || column >= columns.size()) {
                throw new MalformedTableException(path, line, "sparse entry '" + entry + "': attribute index "
                        + column + " is not in 0.." + (columns.size() - 1));
            }
            final String value = entry.substring(indexText.length()).strip();
            if (value.isEmpty()) {
                throw new MalformedTableException(path, line, "sparse entry '" + entry + "' has no value");
            }
            set(column, value);
        }
    }

    private void set(final int index, final String part) throws MalformedTableException {
        if (ArffText.isMissing(part)) {
            row.set(index, null, Double.NaN);
            return;
        }
        final Column column = columns.get(index);
        final String text = ArffText.unquote(part, path, line);
        switch (column.type()) {
            case NUMERIC -> row.set(index, text, number(column, text));
            case NOMINAL -> {
                final int value = column.indexOf(text);
                if (value < 0) {
                    throw new MalformedTableException(path, line, "'" + text + "' is not a value of attribute '"
                            + column.name() + "'" + valuesHint(column));
                }
                row.set(index, text, value);
            }
            default -> row.set(index, text, Double.NaN);
        }
    }

    private double number(final Column column, final String text) throws MalformedTableException {
        final double value;
        try {
            value = Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new MalformedTableException(path, line, "'" + text + "' is not a number (attribute '"
                    + column.name() + "' is numeric)");
        }
        if (!Numbers.finiteAsFloat(value)) {
            throw new MalformedTableException(path, line, "'" + text + "' (attribute '" + column.name()
                    + "') is not a finite number (as a 32-bit float)");
        }
        return value;
    }

    private static String valuesHint(final Column column) {
        final List<String> values = column.values();
        return values.size() <= 20 ? " {" + String.join(", ", values) + "}" : " (" + values.size() + " values)";
    }

    @Override
    public Row row() {
        return row;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
