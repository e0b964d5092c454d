package io.eddy.ops.kafka;

import io.eddy.errors.EddyException;

/** Kafka did not answer within the timeout: the command could not even start its work. */
public final class KafkaUnreachableException extends EddyException {
    private static final long serialVersionUID = 1L;

    public KafkaUnreachableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
