package io.eddy.connectors.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file in Weka's ARFF format: {@code @relation NAME}, one {@code @attribute NAME TYPE} per column
 * (numeric, real or integer: numeric; {@code {a,b,..}}: nominal, its values in declaration order; string:
 * text; date and relational are refused), then {@code @data} and one row per line, dense
 * ({@code 5.1,3.5,'Iris setosa'}) or sparse ({@code {0 5.1, 2 'Iris setosa'}}, where an attribute left out
 * is 0, a nominal one its first value, a string one missing, as in Weka). {@code ?} is a missing value,
 * {@code %} starts a comment, names and values may be quoted with {@code '} or {@code "}. {@link #open}
 * reads the header only; rows are checked as they are read.
 */
public final class ArffTable implements Table {
    private final Path path;
    private final ArffHeader header;

    private ArffTable(final Path path, final ArffHeader header) {
        this.path = path;
        this.header = header;
    }

    /**
     * Reads the header.
     *
     * @throws MalformedTableException for a malformed header or an unsupported attribute type
     */
    public static ArffTable open(final Path path) throws IOException {
        try (BufferedReader reader = TextFiles.open(path)) {
            return new ArffTable(path, ArffHeader.read(reader, path));
        }
    }

    @Override
    public Path path() {
        return path;
    }

    /** The {@code @relation}'s name; empty when there is none. */
    public String relation() {
        return header.relation;
    }

    @Override
    public List<Column> columns() {
        return header.columns;
    }

    @Override
    public RowCursor rows() throws IOException {
        final BufferedReader reader = TextFiles.open(path);
        try {
            ArffHeader.read(reader, path);
        } catch (final IOException e) {
            reader.close();
            throw e;
        }
        return new ArffRowCursor(path, header.columns, header.dataLine, reader);
    }
}
