package io.eddy.streams.internal.model;

/**
 * Decodes the bytes of one input event into a reusable example holder and validates it. One
 * decoder per task; not thread-safe.
 *
 * @param <E> the learner's example type
 */
public interface EventDecoder<E> {

    /**
     * Fills {@code example} from {@code bytes}.
     *
     * @return {@code null} when the event is valid, otherwise the reason it is rejected
     */
    String decode(byte[] bytes, E example);

    /** The id of the event decoded last, as given in its {@code "id"} field. */
    String eventId();
}
