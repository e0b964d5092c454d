package io.eddy.connectors.table;

import java.io.Closeable;
import java.io.IOException;

/** One pass over a table's rows, in file order, reading the file as it goes. */
public interface RowCursor extends Closeable {
    /**
     * Moves to the next row.
     *
     * @return false at the end of the file
     * @throws MalformedTableException when the row is malformed
     */
    boolean next() throws IOException;

    /** The current row, refilled by every {@link #next()}. */
    Row row();
}
