package io.eddy.ops.admin;

import io.eddy.errors.EddyException;

/** Kafka answered but no engine did: no reply in time, or no engine has ever run against the cluster. */
public class NoEngineException extends EddyException {
    private static final long serialVersionUID = 1L;

    public NoEngineException(final String message) {
        super(message);
    }
}
