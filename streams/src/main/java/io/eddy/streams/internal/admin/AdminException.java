package io.eddy.streams.internal.admin;

import io.eddy.errors.EddyException;

/** An admin command was rejected; the message goes to the requester in the error reply. */
public final class AdminException extends EddyException {
    private static final long serialVersionUID = 1L;

    public AdminException(final String message) {
        super(message);
    }
}
