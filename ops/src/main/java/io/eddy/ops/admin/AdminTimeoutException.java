package io.eddy.ops.admin;

import io.eddy.errors.EddyException;

/** No engine answered an admin command in time. */
public final class AdminTimeoutException extends EddyException {
    private static final long serialVersionUID = 1L;

    public AdminTimeoutException(final String message) {
        super(message);
    }
}
