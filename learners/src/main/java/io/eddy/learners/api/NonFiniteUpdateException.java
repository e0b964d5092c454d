package io.eddy.learners.api;

import io.eddy.errors.EddyException;

/**
 * A learning step would have written NaN or infinity into model or per-key state. The learner
 * throws it before changing anything, so state stays finite; the engine dead-letters the event.
 */
public final class NonFiniteUpdateException extends EddyException {
    private static final long serialVersionUID = 1L;

    public NonFiniteUpdateException(final String message) {
        super(message);
    }
}
