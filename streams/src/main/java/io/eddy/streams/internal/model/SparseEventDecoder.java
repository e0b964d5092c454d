package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonParser;
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
public final class SparseEventDecoder extends JsonEventDecoder<SparseExample> {
    /** More features than this in one event is taken as a malformed or hostile event. */
    static final int MAX_FEATURES = 10_000;
    private boolean sawFeatures;

    public SparseEventDecoder() {
        super("features", "label");
    }

    @Override
    void start(final SparseExample example) {
        example.clear();
        sawFeatures = false;
    }

    @Override
    String readField(final String field, final JsonToken token, final JsonParser parser,
                     final SparseExample example) throws IOException {
        switch (field) {
            case "features":
                sawFeatures = true;
                return readFeatures(parser, token, example);
            case "label":
                return readLabel(parser, token, example);
            default:
                parser.skipChildren();
                return null;
        }
    }

    @Override
    String finish(final SparseExample example) {
        return sawFeatures ? null : "missing field 'features'";
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
