package io.eddy.ops.admin;

/** No engine answered an admin command in time. */
public final class AdminTimeoutException extends NoEngineException {
    private static final long serialVersionUID = 1L;

    public AdminTimeoutException(final String message) {
        super(message);
    }
}
