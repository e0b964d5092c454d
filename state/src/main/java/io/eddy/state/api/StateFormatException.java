package io.eddy.state.api;

import io.eddy.errors.EddyException;

/** A stored value could not be decoded: unknown format version, or truncated. */
public final class StateFormatException extends EddyException {
    private static final long serialVersionUID = 1L;

    public StateFormatException(final String message) {
        super(message);
    }
}
