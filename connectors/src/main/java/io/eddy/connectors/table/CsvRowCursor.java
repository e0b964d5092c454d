package io.eddy.connectors.table;

import java.io.IOException;
import java.util.List;

/** A pass over a {@link CsvTable}'s data records, typed by the columns its scan found. */
final class CsvRowCursor implements RowCursor {
    private final CsvTable table;
    private final CsvRecords records;
    private final List<Column> columns;
    private final Row row;
    private long index = -1;

    CsvRowCursor(final CsvTable table, final CsvRecords records) throws IOException {
        this.table = table;
        this.records = records;
        this.columns = table.columns();
        this.row = new Row(columns.size());
        records.next(); // the header
    }

    @Override
    public boolean next() throws IOException {
        final String[] fields = records.next();
        if (fields == null) {
            return false;
        }
        final long line = records.line();
        CsvTable.requireFieldCount(table.path(), line, columns.size(), fields.length);
        row.reset(++index, line);
        for (int i = 0; i < fields.length; i++) {
            if (!fields[i].isEmpty()) {
                row.set(i, fields[i], valueOf(columns.get(i), fields[i], line));
            }
        }
        return true;
    }

    /** The value as the scan typed it; a file changed since then fails here rather than giving wrong rows. */
    private double valueOf(final Column column, final String text, final long line) throws MalformedTableException {
        switch (column.type()) {
            case NUMERIC:
                if (Numbers.isDecimal(text) && Numbers.finiteAsFloat(Double.parseDouble(text))) {
                    return Double.parseDouble(text);
                }
                break;
            case NOMINAL:
                if (column.indexOf(text) >= 0) {
                    return column.indexOf(text);
                }
                break;
            default:
                return Double.NaN;
        }
        throw new MalformedTableException(table.path(), line, "'" + text + "' does not fit column '" + column.name()
                + "' (" + column.type().name().toLowerCase(java.util.Locale.ROOT) + "): the file changed after it "
                + "was opened");
    }

    @Override
    public Row row() {
        return row;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
