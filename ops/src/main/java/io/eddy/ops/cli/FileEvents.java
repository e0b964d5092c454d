package io.eddy.ops.cli;

import io.eddy.connectors.table.DenseEventEncoder;
import io.eddy.connectors.table.RowCursor;
import io.eddy.ops.replay.Replay;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * A table file's rows as dense events (see {@link DenseEventEncoder}), up to a limit, skipping and
 * counting the rows with a missing value.
 */
final class FileEvents implements Replay.Source, Closeable {
    private final String name;
    private final RowCursor rows;
    private final DenseEventEncoder encoder;
    private final long limit;
    private final long total;
    private long made;
    private long skipped;
    private boolean ready;

    /**
     * @param limit events to make at most
     * @param total events it will make, for the progress bar
     */
    FileEvents(final String name, final RowCursor rows, final DenseEventEncoder encoder, final long limit,
               final long total) {
        this.name = name;
        this.rows = rows;
        this.encoder = encoder;
        this.limit = limit;
        this.total = total;
    }

    @Override
    public String name() {
        return name;
    }

    /** Events it will make. */
    long total() {
        return total;
    }

    /** Rows skipped so far for a missing value. */
    long skipped() {
        return skipped;
    }

    @Override
    public boolean hasNext() {
        if (ready) {
            return true;
        }
        if (made >= limit) {
            return false;
        }
        try {
            while (rows.next()) {
                if (encoder.encode(rows.row())) {
                    ready = true;
                    return true;
                }
                skipped++;
            }
            return false;
        } catch (final IOException e) {
            // the file was checked before the first event, so only a file changed since gets here
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void advance() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        ready = false;
        made++;
    }

    @Override
    public String key() {
        return encoder.key();
    }

    @Override
    public byte[] value() {
        return encoder.value();
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
