package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SequenceEventTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldWriteTheThreeShapesOfTheDenseInputFormat() {
        final SequenceEvent regression = new SequenceEvent(3, 1);
        regression.begin("e", 17);
        regression.x()[1] = 1;
        regression.x()[2] = 0.25f;
        regression.y()[0] = 0.53f;
        regression.markTarget();
        assertEquals("{\"id\":\"e17\",\"x\":[0,1,0.25],\"y\":[0.53]}", json(regression));

        final SequenceEvent classification = new SequenceEvent(3, 0);
        classification.begin("e", 17);
        classification.x()[0] = -1.5f;
        classification.setLabel(2);
        assertEquals("{\"id\":\"e17\",\"x\":[-1.5,0,0],\"label\":2}", json(classification));
        assertTrue(classification.labelled());

        classification.begin("e", 18);
        assertEquals("{\"id\":\"e18\",\"x\":[0,0,0]}", json(classification), "begin forgets input and label");
        assertFalse(classification.labelled());
        assertEquals(-1, classification.label());
    }

    @Test
    void shouldWriteFloatsThatReadBackExactly() throws IOException {
        final SequenceEvent event = new SequenceEvent(4, 1);
        event.begin("k", 0);
        final float[] values = {1e-7f, 0.1f, -123456.79f, 3.4e9f};
        System.arraycopy(values, 0, event.x(), 0, values.length);
        event.y()[0] = (float) Math.pow(0.9, 11);
        event.markTarget();
        final JsonNode node = MAPPER.readTree(event.toJson());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], node.get("x").get(i).floatValue(), "x[" + i + "] in " + node);
        }
        assertEquals(event.y()[0], node.get("y").get(0).floatValue());
    }

    @Test
    void shouldRefuseWhatTheFormatCannotSay() {
        final SequenceEvent classification = new SequenceEvent(2, 0);
        assertThrows(IllegalStateException.class, classification::markTarget);
        assertThrows(IllegalArgumentException.class, () -> classification.setLabel(-1));
        assertThrows(IllegalArgumentException.class, () -> new SequenceEvent(0, 1));
    }

    private static String json(final SequenceEvent event) {
        return new String(event.toJson(), StandardCharsets.US_ASCII);
    }
}
