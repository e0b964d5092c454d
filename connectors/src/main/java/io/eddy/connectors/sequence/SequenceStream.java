package io.eddy.connectors.sequence;

import java.util.NoSuchElementException;

/**
 * A seeded stream of events for a learner that keeps per-entity hidden state (a recurrent network
 * trained online, say): each event belongs to one entity, its record key, and an entity's events form
 * one time series. Whether an event can be predicted well depends on the entity's earlier events,
 * which is what these streams test.
 *
 * <p>Every event has {@link #inputSize()} inputs; when labelled, a classification stream's carries a
 * class in [0, {@link #outputs()}) and a regression stream's a target vector of {@link #outputs()}
 * floats. Usage, the same for a producer and for a library user:
 * <pre>
 * while (stream.hasNext()) {
 *     SequenceEvent event = stream.next();
 *     producer.send(new ProducerRecord&lt;&gt;(topic, event.key(), event.toJson()));
 * }</pre>
 * Implementations are deterministic for a seed and not thread-safe.
 */
public interface SequenceStream {
    /** The task's name, e.g. {@code delayed-recall}. */
    String name();

    /** Length of every event's input vector. */
    int inputSize();

    /** Number of classes of a classification stream, or length of a regression stream's target. */
    int outputs();

    /** Whether labelled events carry a class label (true) or a regression target (false). */
    boolean classification();

    /** Number of events the stream produces; {@link Long#MAX_VALUE} for one without end. */
    long totalEvents();

    /** Whether {@link #next()} has another event. */
    boolean hasNext();

    /**
     * Draws the next event into the stream's holder and returns that holder, which the next call
     * overwrites.
     *
     * @throws NoSuchElementException after {@link #totalEvents()} events
     */
    SequenceEvent next();
}
