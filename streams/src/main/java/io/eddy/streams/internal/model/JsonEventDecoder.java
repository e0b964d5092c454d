package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;

/**
 * The framing every JSON event shares: one object, a string {@code "id"}, fields streamed straight
 * from the bytes, unknown fields skipped (for forward compatibility), nothing after the object.
 * Subclasses read their own fields and say which are missing.
 *
 * @param <E> the learner's example type
 */
abstract class JsonEventDecoder<E> implements EventDecoder<E> {

    private String eventId;

    @Override
    public final String decode(final byte[] bytes, final E example) {
        eventId = null;
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
