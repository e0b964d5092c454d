package io.eddy.streams.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.eddy.streams.internal.admin.ControlMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bytes from a topic become data, never objects of a class the bytes name. */
class JsonSafetyTest {
    private static byte[] bytes(final String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldHaveNoPolymorphicTyping() {
        assertNull(Json.MAPPER.getDeserializationConfig().getDefaultTyper(Json.MAPPER.constructType(Object.class)),
                "default typing would let input name the class to build");
    }

    @Test
    void shouldReadClassNamesInInputAsPlainData() {
        final Object read = Json.read(bytes("{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"sh\"]}"),
                Object.class);
        final Map<?, ?> map = assertInstanceOf(Map.class, read);
        assertEquals("java.lang.ProcessBuilder", map.get("@class"));
        assertEquals(List.of("sh"), map.get("command"));
        final Object array = Json.read(bytes("[\"java.lang.ProcessBuilder\",{\"command\":[\"sh\"]}]"), Object.class);
        assertInstanceOf(List.class, array);
    }

    @Test
    void shouldIgnoreTypeHintsInControlMessages() {
        final ControlMessage control = Json.read(bytes("{\"op\":\"reset\",\"generation\":2,"
                + "\"@class\":\"java.lang.ProcessBuilder\",\"params\":{\"alpha\":0.5}}"), ControlMessage.class);
        assertEquals(new ControlMessage("reset", 2, Map.of("alpha", 0.5), null), control);
    }
}
