package io.eddy.connectors.table;

import java.io.IOException;
import java.nio.file.Path;

/** A table file that cannot be read as its format says: the message is {@code file:line: reason}. */
public final class MalformedTableException extends IOException {
    private final transient Path path;
    private final long line;
    private final String reason;

    public MalformedTableException(final Path path, final long line, final String reason) {
        super(path + ":" + line + ": " + reason);
        this.path = path;
        this.line = line;
        this.reason = reason;
    }

    public Path path() {
        return path;
    }

    /** The line, from 1. */
    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
