package io.eddy.streams.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Late labels for one task. An unlabelled event waits, in a changelogged store keyed by its id, for up to
 * {@code labelWaitSeconds} of event time; a label record on the model's labels topic, {@code {"id","label"}}
 * or {@code {"id","y"}}, takes it out, and the event with that label goes to the model as a labelled event.
 * Waiting events past their time are dropped in passes on the records' event times alone (as key states are
 * evicted), so that a replay drops the same ones.
 */
final class LateLabels {
    /** The store of waiting events: id to event time, record key and event bytes. */
    static final String STORE = "pending-labels";

    /** An event with its label, or why there is none. */
    record Joined(byte[] key, byte[] event, String problem) {
    }

    private final KeyValueStore<Bytes, byte[]> store;
    private final long waitMs;
    private final long passMs;
    private long expiredThrough = Long.MIN_VALUE;

    LateLabels(final KeyValueStore<Bytes, byte[]> store, final long waitSeconds) {
        this.store = store;
        this.waitMs = waitSeconds * 1000;
        this.passMs = Math.max(1000, waitMs / 10);
    }

    /** Keeps an unlabelled event, answered now, for its label. */
    void hold(final String id, final byte[] key, final byte[] event, final long timestamp) {
        final int keyLength = key == null ? -1 : key.length;
        final ByteBuffer value = ByteBuffer.allocate(8 + 4 + Math.max(0, keyLength) + event.length)
                .putLong(timestamp).putInt(keyLength);
        if (key != null) {
            value.put(key);
        }
        store.put(id(id), value.put(event).array());
    }

    /** The waiting event that {@code label} names, with the label added; the event waits no more. */
    Joined take(final byte[] label) {
        final JsonNode node;
        try {
            node = label == null ? null : Json.read(label, JsonNode.class);
        } catch (final RuntimeException e) {
            return problem("malformed label: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode fields) || !fields.path("id").isTextual()) {
            return problem("a label is a JSON object with the event's \"id\" and its \"label\" or \"y\"");
        }
        final boolean hasLabel = fields.has("label");
        if (hasLabel == fields.has("y") || fields.size() != 2) {
            return problem("a label has \"id\" and one of \"label\" or \"y\", nothing else");
        }
        final String id = fields.get("id").asText();
        final byte[] waiting = store.get(id(id));
        if (waiting == null) {
            return problem("no event with id '" + id + "' waits for a label (answered more than labelWaitSeconds "
                    + "ago, labelled already, or never seen)");
        }
        store.delete(id(id));
        final ByteBuffer value = ByteBuffer.wrap(waiting);
        value.getLong();
        final int keyLength = value.getInt();
        final byte[] key = keyLength < 0 ? null : new byte[keyLength];
        if (key != null) {
            value.get(key);
        }
        final byte[] original = new byte[value.remaining()];
        value.get(original);
        final ObjectNode event = (ObjectNode) Json.read(original, JsonNode.class);
        event.set(hasLabel ? "label" : "y", fields.get(hasLabel ? "label" : "y"));
        return new Joined(key, Json.bytes(event), null);
    }

    /**
     * Drops the events whose wait ended, in a pass each time {@code eventTime} reaches the next tenth of the
     * wait (at least a second).
     *
     * @return how many were dropped
     */
    int expire(final long eventTime) {
        final long boundary = Math.floorDiv(eventTime, passMs) * passMs;
        if (boundary <= expiredThrough) {
            return 0;
        }
        expiredThrough = boundary;
        final List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = all.next();
                if (ByteBuffer.wrap(entry.value).getLong() < boundary - waitMs) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }

    private static Bytes id(final String id) {
        return Bytes.wrap(id.getBytes(StandardCharsets.UTF_8));
    }

    private static Joined problem(final String problem) {
        return new Joined(null, null, problem);
    }
}
