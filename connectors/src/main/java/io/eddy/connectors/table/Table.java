package io.eddy.connectors.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file of rows with named, typed columns ({@link CsvTable}, {@link ArffTable}), read as a stream: each
 * {@link #rows()} reads the file again from its start, so only one row is held at a time.
 */
public interface Table {
    /** The file it reads. */
    Path path();

    /** The columns, in file order. */
    List<Column> columns();

    /** A new pass over the rows; close it when done. */
    RowCursor rows() throws IOException;

    /**
     * The index of a column named by {@code nameOrIndex}: its name, or else its index from 0.
     *
     * @throws IllegalArgumentException when no column has that name or index
     */
    default int columnIndex(final String nameOrIndex) {
        final List<Column> columns = columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(nameOrIndex)) {
                return i;
            }
        }
        try {
            final int index = Integer.parseInt(nameOrIndex);
            if (index >= 0 && index < columns.size()) {
                return index;
            }
        } catch (final NumberFormatException e) {
            // not an index either: reported below
        }
        throw new IllegalArgumentException("no column '" + nameOrIndex + "' in " + path() + "; its columns are "
                + String.join(", ", columns.stream().map(Column::name).toList()) + " (or 0.." + (columns.size() - 1)
                + ")");
    }
}
