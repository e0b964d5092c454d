package io.eddy.learners.api;

import io.eddy.errors.EddyException;

/**
 * A learning step would have written NaN or infinity into model or per-key state. The learner
 * throws it before changing anything, so state stays finite; the engine dead-letters the event.
 */
public final class NonFiniteUpdateException extends EddyException {
    private static final long serialVersionUID = 1L;

    private final int earlierEventsUnlearned;

    public NonFiniteUpdateException(final String message) {
        this(message, 0);
    }

    /**
     * @param earlierEventsUnlearned how many events learned before this one the refusal takes back with it
     *     (a learner that updates once per micro-batch drops the refused micro-batch whole)
     */
    public NonFiniteUpdateException(final String message, final int earlierEventsUnlearned) {
        super(message);
        this.earlierEventsUnlearned = earlierEventsUnlearned;
    }

    public int earlierEventsUnlearned() {
        return earlierEventsUnlearned;
    }
}
