package io.eddy.connectors.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file (RFC 4180, see {@link CsvRecords}) whose first record names the columns. {@link #open}
 * reads the whole file once to check it and type its columns: a column is numeric when every non-empty
 * value is a decimal number (finite as a 32-bit float), otherwise nominal, its values in order of first
 * appearance, or text when it has more than {@link #MAX_NOMINAL_VALUES} distinct values (too many to
 * one-hot encode; such a column can still be a key). An empty field is a missing value. Each
 * {@link #rows()} reads the file again.
 */
public final class CsvTable implements Table {
    /** Distinct values beyond which a non-numeric column is text rather than nominal. */
    public static final int MAX_NOMINAL_VALUES = 10_000;
    /** The separators one names by a word, besides any single character. */
    public static final Map<String, Character> SEPARATOR_NAMES = Map.of("comma", ',', "semicolon", ';', "tab", '\t',
            "\\t", '\t');

    private final Path path;
    private final char separator;
    private final List<Column> columns;

    private CsvTable(final Path path, final char separator, final List<Column> columns) {
        this.path = path;
        this.separator = separator;
        this.columns = List.copyOf(columns);
    }

    /**
     * Reads the file through once to check every record and type the columns.
     *
     * @param separator the field separator: {@code ,}, {@code ;}, a tab, or another character
     * @throws MalformedTableException for a missing or repeated header name, a record with another number
     *     of fields than the header, an unterminated quote, or a number that is not finite
     */
    public static CsvTable open(final Path path, final char separator) throws IOException {
        if (separator == '"' || separator == '\n' || separator == '\r') {
            throw new IllegalArgumentException("a CSV separator cannot be a quote or a line break");
        }
        try (CsvRecords records = new CsvRecords(path, separator)) {
            final String[] header = records.next();
            if (header == null) {
                throw new MalformedTableException(path, 1, "no header line: the first line names the columns");
            }
            final List<CsvColumnScan> scans = new ArrayList<>();
            final Set<String> names = new HashSet<>();
            for (final String name : header) {
                if (!names.add(name)) {
                    throw new MalformedTableException(path, records.line(), "column name '" + name
                            + "' appears twice in the header");
                }
                scans.add(new CsvColumnScan(name));
            }
            for (String[] fields = records.next(); fields != null; fields = records.next()) {
                requireFieldCount(path, records.line(), header.length, fields.length);
                for (int i = 0; i < fields.length; i++) {
                    scans.get(i).add(fields[i], records.line());
                }
            }
            final List<Column> columns = new ArrayList<>();
            for (final CsvColumnScan scan : scans) {
                columns.add(scan.column(path));
            }
            return new CsvTable(path, separator, columns);
        }
    }

    static void requireFieldCount(final Path path, final long line, final int expected, final int found)
            throws MalformedTableException {
        if (found != expected) {
            throw new MalformedTableException(path, line, "expected " + expected + " fields as the header names, "
                    + "found " + found);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    public char separator() {
        return separator;
    }

    @Override
    public RowCursor rows() throws IOException {
        return new CsvRowCursor(this, new CsvRecords(path, separator));
    }
}
