package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;

/**
 * The framing every JSON event shares: one object, a string {@code "id"}, fields streamed straight
 * from the bytes, unknown fields skipped (for forward compatibility), nothing after the object, no
 * known field twice (JSON leaves which of two values counts to the reader, so such an event is
 * malformed). Subclasses read their own fields and say which are missing.
 *
 * @param <E> the learner's example type
 */
abstract class JsonEventDecoder<E> implements EventDecoder<E> {

    /** {@code "id"}, then the subclass's fields: bit i of {@link #seen} is set once field i has been read. */
    private final String[] fields;
    private String eventId;
    private int seen;

    /** A decoder of events with {@code "id"} and these fields (at most 31 in all). */
    JsonEventDecoder(final String... fields) {
        if (fields.length > 30) {
            throw new IllegalArgumentException("a decoder tracks at most 31 fields, id included");
        }
        this.fields = new String[fields.length + 1];
        this.fields[0] = "id";
        System.arraycopy(fields, 0, this.fields, 1, fields.length);
    }

    @Override
    public final String decode(final byte[] bytes, final E example) {
        eventId = null;
        seen = 0;
        start(example);
        if (bytes == null || bytes.length == 0) {
            return "empty event";
        }
        try (JsonParser parser = Json.FACTORY.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "event must be a JSON object";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                if (!firstTime(field)) {
                    return "field '" + field + "' appears twice";
                }
                final JsonToken token = parser.nextToken();
                final String problem = "id".equals(field) ? readId(parser, token) : readField(field, token, parser,
                        example);
                if (problem != null) {
                    return problem;
                }
            }
            if (parser.nextToken() != null) {
                return "unexpected data after the event object";
            }
            return eventId == null ? "missing field 'id'" : finish(example);
        } catch (final JsonProcessingException e) {
            return "malformed JSON: " + e.getOriginalMessage();
        } catch (final IOException e) {
            return "unreadable event: " + e.getMessage();
        }
    }

    @Override
    public final String eventId() {
        return eventId;
    }

    /** False if {@code field} is a known field that this event has already given. */
    private boolean firstTime(final String field) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals(field)) {
                final boolean first = (seen & (1 << i)) == 0;
                seen |= 1 << i;
                return first;
            }
        }
        return true;
    }

    private String readId(final JsonParser parser, final JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return "'id' must be a string";
        }
        eventId = parser.getText();
        return null;
    }

    /** Forgets the last event: clears the example and whatever the subclass tracks per event. */
    abstract void start(E example);

    /**
     * Reads field {@code field} (other than {@code "id"}), whose first token is {@code token}, into the
     * example, or skips it with {@code parser.skipChildren()} if unknown.
     *
     * @return {@code null}, or why the event is rejected
     */
    abstract String readField(String field, JsonToken token, JsonParser parser, E example) throws IOException;

    /** After the whole object: {@code null}, or why the event is rejected (a missing field, say). */
    abstract String finish(E example);
}
