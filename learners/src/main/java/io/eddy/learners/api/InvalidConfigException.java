package io.eddy.learners.api;

import io.eddy.errors.EddyException;

/** A hyper-parameter value was unknown, out of range, not a whole number or not allowed to change. */
public final class InvalidConfigException extends EddyException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(final String message) {
        super(message);
    }
}
