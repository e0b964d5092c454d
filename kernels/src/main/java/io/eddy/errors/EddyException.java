package io.eddy.errors;

/**
 * Root of every exception Eddy throws on purpose. It lives in the lowest module so that every
 * module's errors share one hierarchy; a message always names the model, store, topic or field
 * concerned.
 */
public class EddyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EddyException(final String message) {
        super(message);
    }

    public EddyException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
