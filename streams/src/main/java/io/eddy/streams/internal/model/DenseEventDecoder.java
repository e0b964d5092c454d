package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.learners.api.DenseExample;
import java.io.IOException;

/**
 * Decodes {@code {"id":"e1","x":[0.5,1,0],"y":[0.25]}} (a regression target) or
 * {@code {"id":"e1","x":[...],"label":2}} (a class) into a {@link DenseExample}; without {@code y} or
 * {@code label} the event only advances its key's state and is answered. Numbers are streamed
 * straight into the example's arrays. Sizes are checked by the learner, which knows its shape.
 */
public final class DenseEventDecoder extends JsonEventDecoder<DenseExample> {
    /** Longer vectors than this are taken as a malformed or hostile event. */
    static final int MAX_VALUES = 1 << 20;
    private boolean sawInput;

    public DenseEventDecoder() {
        super("x", "y", "label");
    }

    @Override
    void start(final DenseExample example) {
        example.clear();
        sawInput = false;
    }

    @Override
    String readField(final String field, final JsonToken token, final JsonParser parser,
                     final DenseExample example) throws IOException {
        switch (field) {
            case "x":
                sawInput = true;
                return readVector(parser, token, "x", example, false);
            case "y":
                return readVector(parser, token, "y", example, true);
            case "label":
                return readLabel(parser, token, example);
            default:
                parser.skipChildren();
                return null;
        }
    }

    @Override
    String finish(final DenseExample example) {
        if (!sawInput) {
            return "missing field 'x'";
        }
        return example.hasTarget() && example.label() >= 0 ? "an event has 'y' or 'label', not both" : null;
    }

    private static String readVector(final JsonParser parser, final JsonToken token, final String name,
                                     final DenseExample example, final boolean target) throws IOException {
        if (token == JsonToken.VALUE_NULL && target) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            return "'" + name + "' must be an array of numbers";
        }
        float[] values = target ? example.target(0) : example.input(0);
        int count = 0;
        for (JsonToken value = parser.nextToken(); value != JsonToken.END_ARRAY; value = parser.nextToken()) {
            if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                return "'" + name + "' must be an array of numbers";
            }
            final float number = (float) parser.getDoubleValue();
            if (!Float.isFinite(number)) {
                return "'" + name + "[" + count + "]' is not a finite 32-bit number";
            }
            if (count == MAX_VALUES) {
                return "'" + name + "' has more than " + MAX_VALUES + " values";
            }
            if (count == values.length) {
                values = target ? example.target(count + 1) : example.input(count + 1);
            }
            values[count++] = number;
        }
        if (target) {
            example.target(count);
        } else {
            example.input(count);
        }
        return null;
    }

    private static String readLabel(final JsonParser parser, final JsonToken token, final DenseExample example)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getLongValue() >= 0
                && parser.getLongValue() <= Integer.MAX_VALUE) {
            example.setLabel((int) parser.getLongValue());
            return null;
        }
        return "'label' must be a class index, a whole number from 0 (or absent to only predict)";
    }
}
