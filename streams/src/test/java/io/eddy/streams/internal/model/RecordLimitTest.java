package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events that Kafka's default limits let in, of up to a megabyte, whose dead letter (the original in base64 is
 * a third larger) or prediction (a top-k answer naming long item ids) would pass them. Such a record fails its send
 * and stops the model at the same event after every restart; {@link TopologyTestDriver} sends anything, so the
 * test holds every record written to {@link ModelProcessor.RECORD_LIMIT}.
 */
class RecordLimitTest {
    private ModelDriver driver;

    private void start(final String type, final Map<String, Object> given) {
        driver = new ModelDriver(type, given);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private List<byte[]> send(final String key, final String json) {
        final List<byte[]> answers = driver.answers(key, json);
        answers.forEach(answer -> assertTrue(key.length() + answer.length <= ModelProcessor.RECORD_LIMIT,
                "a prediction of " + answer.length + " bytes"));
        return answers;
    }

    private List<JsonNode> letters() throws IOException {
        final List<JsonNode> letters = new ArrayList<>();
        for (final byte[] letter : driver.deadLetters()) {
            assertTrue(letter.length < ModelProcessor.RECORD_LIMIT, "a dead letter of " + letter.length + " bytes");
            letters.add(Json.MAPPER.readTree(letter));
        }
        return letters;
    }

    @Test
    void shouldDeadLetterAMalformedEventOfAlmostAMegabyteWithoutItsOriginal() throws IOException {
        start("rtrl", Map.of("inputs", 4, "outputs", 2, "hidden", 4));
        final StringBuilder x = new StringBuilder("[0.25");
        while (x.length() < 900_000) {
            x.append(",0.25");
        }
        final String tooLong = "{\"id\":\"long\",\"x\":" + x + "],\"label\":1}";
        assertTrue(send("k", tooLong).isEmpty());
        final List<JsonNode> letters = letters();
        assertEquals(1, letters.size());
        final JsonNode letter = letters.get(0);
        assertTrue(letter.get("reason").asText().startsWith("'x' has 180000 values, the model takes 4; the original "
                + "is left out"), letter.get("reason").asText());
        assertFalse(letter.has("original"));
        assertEquals(tooLong.length(), letter.get("originalBytes").asInt());
        assertEquals("in", letter.get("topic").asText());
        assertEquals(0, letter.get("offset").asLong());

        final String small = "{\"id\":\"short\",\"x\":[1,2],\"label\":1}";
        assertTrue(send("k", small).isEmpty());
        final JsonNode smallLetter = letters().get(0);
        assertArrayEquals(small.getBytes(StandardCharsets.UTF_8), smallLetter.get("original").binaryValue(),
                "an event whose letter fits keeps its original bytes");
        assertEquals(1, send("k", "{\"id\":\"good\",\"x\":[1,2,3,4],\"label\":1}").size(), "the model goes on");
    }

    @Test
    void shouldDeadLetterAPredictionThatWouldPassTheLimit() throws IOException {
        start("implicit", Map.of("factors", 4));
        for (int i = 0; i < 12; i++) {
            send("u", "{\"id\":\"e" + i + "\",\"user\":\"u\",\"item\":\"" + (char) ('a' + i) + "x".repeat(100_000)
                    + "\"}");
        }
        assertTrue(letters().isEmpty());
        assertTrue(send("u", "{\"id\":\"r\",\"user\":\"u\",\"k\":12}").isEmpty(), "12 ids of 100 KB");
        assertTrue(letters().get(0).get("reason").asText().startsWith("prediction not sent"));
        assertEquals(5, Json.MAPPER.readTree(send("u", "{\"id\":\"r\",\"user\":\"u\",\"k\":5}").get(0)).get("items")
                .size(), "a request whose answer fits is answered");
    }
}
