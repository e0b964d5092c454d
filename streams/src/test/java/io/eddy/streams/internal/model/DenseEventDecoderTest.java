package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseExample;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DenseEventDecoderTest {
    private final DenseEventDecoder decoder = new DenseEventDecoder();
    private final DenseExample example = new DenseExample();

    private String decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), example);
    }

    @Test
    void shouldReadInputWithRegressionTargetClassLabelOrNothing() {
        assertNull(decode("{\"id\":\"e1\",\"x\":[0.5,1,-2e-3],\"y\":[0.25,4]}"));
        assertEquals("e1", decoder.eventId());
        assertEquals(3, example.inputSize());
        assertEquals(0.5f, example.input()[0]);
        assertEquals(-2e-3f, example.input()[2]);
        assertTrue(example.hasTarget());
        assertEquals(2, example.targetSize());
        assertEquals(4f, example.target()[1]);
        assertEquals(-1, example.label());

        assertNull(decode("{\"id\":\"e2\",\"x\":[1],\"label\":3,\"note\":{\"ignored\":[1]}}"));
        assertEquals(3, example.label());
        assertFalse(example.hasTarget(), "a holder reused for the next event forgets the last target");
        assertTrue(example.labelled());

        assertNull(decode("{\"id\":\"e3\",\"x\":[1,2],\"label\":null}"));
        assertFalse(example.labelled());
    }

    @Test
    void shouldGrowForLongVectors() {
        final String ones = String.join(",", Arrays.stream(new String[5000]).map(s -> "1").toArray(String[]::new));
        assertNull(decode("{\"id\":\"big\",\"x\":[" + ones + "]}"));
        assertEquals(5000, example.inputSize());
        assertEquals(1f, example.input()[4999]);
    }

    @Test
    void shouldRejectMalformedEventsWithTheirReason() {
        assertEquals("missing field 'x'", decode("{\"id\":\"e\",\"y\":[1]}"));
        assertEquals("missing field 'id'", decode("{\"x\":[1]}"));
        assertEquals("an event has 'y' or 'label', not both", decode("{\"id\":\"e\",\"x\":[1],\"y\":[1],\"label\":0}"));
        assertEquals("'x' must be an array of numbers", decode("{\"id\":\"e\",\"x\":[1,\"a\"]}"));
        assertEquals("'x' must be an array of numbers", decode("{\"id\":\"e\",\"x\":3}"));
        assertEquals("'x[1]' is not a finite 32-bit number", decode("{\"id\":\"e\",\"x\":[1,1e39]}"));
        assertTrue(decode("{\"id\":\"e\",\"x\":[1],\"label\":-1}").startsWith("'label' must be a class index"));
        assertTrue(decode("{\"id\":\"e\",\"x\":[1],\"label\":1.5}").startsWith("'label' must be a class index"));
        assertTrue(decode("{\"id\":\"e\",\"x\":[1]").startsWith("malformed JSON"));
        assertEquals("event must be a JSON object", decode("[1]"));
        assertEquals("empty event", decoder.decode(new byte[0], example));
    }

    /** A known field given twice is malformed: which value counts would be up to the reader. */
    @Test
    void shouldRejectAFieldGivenTwice() {
        assertEquals("field 'label' appears twice", decode("{\"id\":\"e\",\"x\":[1,2],\"label\":0,\"label\":1}"));
        assertEquals("field 'x' appears twice", decode("{\"id\":\"e\",\"x\":[1,2,3],\"x\":[4,5]}"));
        assertEquals("field 'y' appears twice", decode("{\"id\":\"e\",\"x\":[1],\"y\":[1],\"y\":null}"));
        assertEquals("field 'id' appears twice", decode("{\"id\":\"a\",\"x\":[1],\"id\":\"b\"}"));
        // an unknown field is skipped, twice as well as once; the next event starts afresh
        assertNull(decode("{\"id\":\"e\",\"note\":1,\"x\":[1],\"note\":2,\"label\":1}"));
        assertEquals(1, example.label());
    }
}
