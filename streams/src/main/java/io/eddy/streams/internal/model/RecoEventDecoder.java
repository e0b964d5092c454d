package io.eddy.streams.internal.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.learners.reco.RecoExample;
import java.io.IOException;

/**
 * Decodes an interaction {@code {"id":"e1","user":"u7","item":"i42","rating":4.5}} ({@code rating}
 * absent: implicit feedback) or a request {@code {"id":"r1","user":"u7","k":10,"exclude_seen":true}}
 * into a {@link RecoExample}.
 */
public final class RecoEventDecoder extends JsonEventDecoder<RecoExample> {
    private String user;
    private String item;
    private float rating;
    private int k;
    private boolean excludeSeen;

    public RecoEventDecoder() {
        super("user", "item", "rating", "k", "exclude_seen");
    }

    @Override
    void start(final RecoExample example) {
        example.clear();
        user = null;
        item = null;
        rating = Float.NaN;
        k = 0;
        excludeSeen = false;
    }

    @Override
    String readField(final String field, final JsonToken token, final JsonParser parser, final RecoExample example)
            throws IOException {
        switch (field) {
            case "user":
            case "item":
                if (token != JsonToken.VALUE_STRING) {
                    return "'" + field + "' must be a string";
                }
                final String id = parser.getText();
                if (!wellFormed(id)) {
                    // stored as UTF-8, which has no form for half a surrogate pair: two such ids would share a row
                    return "'" + field + "' is not well-formed Unicode (a lone surrogate)";
                }
                if (field.equals("user")) {
                    user = id;
                } else {
                    item = id;
                }
                return null;
            case "rating":
                if (token == JsonToken.VALUE_NULL) {
                    return null;
                }
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    return "'rating' must be a number";
                }
                rating = (float) parser.getDoubleValue();
                return Float.isFinite(rating) ? null : "'rating' is not a finite 32-bit number";
            case "k":
                if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 1
                        || parser.getLongValue() > Integer.MAX_VALUE) {
                    return "'k' must be a whole number from 1";
                }
                k = (int) parser.getLongValue();
                return null;
            case "exclude_seen":
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    return "'exclude_seen' must be true or false";
                }
                excludeSeen = token == JsonToken.VALUE_TRUE;
                return null;
            default:
                parser.skipChildren();
                return null;
        }
    }

    /** Whether every surrogate in {@code id} is half of a pair, so that UTF-8 keeps it apart from other ids. */
    static boolean wellFormed(final String id) {
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    String finish(final RecoExample example) {
        if (user == null) {
            return "missing field 'user'";
        }
        if (k > 0) {
            if (item != null) {
                return "an event is an interaction ('item') or a request ('k'), not both";
            }
            example.request(user, k, excludeSeen);
            return null;
        }
        if (item == null) {
            return "missing field 'item' (or 'k' for a request)";
        }
        example.interaction(user, item, rating);
        return null;
    }
}
