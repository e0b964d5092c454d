package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.learners.api.FeatureHasher;
import io.eddy.learners.api.SparseExample;
import java.io.IOException;

/**
 * Decodes {@code {"id":"e1","features":{"price":3.5,"country":"fr"},"label":1}} into a
 * {@link SparseExample}: a numeric feature becomes its hashed name with its value, a string one its
 * hashed name-and-value with value 1. Streams tokens straight from the bytes; feature names and
 * string values are hashed from the parser's own buffers, without building strings.
 */
public final class SparseEventDecoder implements EventDecoder<SparseExample> {
    /** More features than this in one event is taken as a malformed or hostile event. */
    static final int MAX_FEATURES = 10_000;
    private static final JsonFactory FACTORY = new JsonFactory();

    private String eventId;

    @Override
    public String decode(final byte[] bytes, final SparseExample example) {
        example.clear();
        eventId = null;
        if (bytes == null || bytes.length == 0) {
            return "empty event";
        }
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "event must be a JSON object";
            }
            boolean sawFeatures = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                final JsonToken token = parser.nextToken();
                final String problem;
                switch (field) {
                    case "id":
                        problem = readId(parser, token);
                        break;
                    case "features":
                        sawFeatures = true;
                        problem = readFeatures(parser, token, example);
                        break;
                    case "label":
                        problem = readLabel(parser, token, example);
                        break;
                    default:
                        parser.skipChildren(); // unknown fields are allowed, for forward compatibility
                        problem = null;
                }
                if (problem != null) {
                    return problem;
                }
            }
            if (parser.nextToken() != null) {
                return "unexpected data after the event object";
            }
            if (eventId == null) {
                return "missing field 'id'";
            }
            return sawFeatures ? null : "missing field 'features'";
        } catch (final JsonProcessingException e) {
            return "malformed JSON: " + e.getOriginalMessage();
        } catch (final IOException e) {
            return "unreadable event: " + e.getMessage();
        }
    }

    @Override
    public String eventId() {
        return eventId;
    }

    private String readId(final JsonParser parser, final JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return "'id' must be a string";
        }
        eventId = parser.getText();
        return null;
    }

    private static String readFeatures(final JsonParser parser, final JsonToken token, final SparseExample example)
            throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return "'features' must be an object of numbers and strings";
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            final String name = parser.currentName();
            final int nameHash = FeatureHasher.hash(name);
            final JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
                final float number = (float) parser.getDoubleValue();
                if (!Float.isFinite(number)) {
                    return "feature '" + name + "' is not a finite 32-bit number";
                }
                example.add(nameHash, number);
            } else if (value == JsonToken.VALUE_STRING) {
                example.add(FeatureHasher.hash(nameHash, parser.getTextCharacters(), parser.getTextOffset(),
                        parser.getTextLength()), 1f);
            } else {
                return "feature '" + name + "' must be a number or a string";
            }
            if (example.count() > MAX_FEATURES) {
                return "more than " + MAX_FEATURES + " features";
            }
        }
        return null;
    }

    private static String readLabel(final JsonParser parser, final JsonToken token, final SparseExample example)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            final double label = parser.getDoubleValue();
            if (label == 0.0 || label == 1.0) {
                example.setLabel((float) label);
                return null;
            }
        }
        return "'label' must be 0 or 1 (or absent to only predict)";
    }
}
