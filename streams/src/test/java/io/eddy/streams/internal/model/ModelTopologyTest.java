package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelTopologyTest {
    private static final String APP = "model-test";
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> control;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> changelog;

    @BeforeEach
    void setUp() {
        driver = FtrlTopologyDriver.create(APP, 60_000, Instant.now());
        final ByteArraySerializer out = new ByteArraySerializer();
        final ByteArrayDeserializer in = new ByteArrayDeserializer();
        events = driver.createInputTopic("in", out, out);
        control = driver.createInputTopic("ctl", out, out);
        predictions = driver.createOutputTopic("out", in, in);
        deadLetters = driver.createOutputTopic(Topics.DLQ, in, in);
        changelog = driver.createOutputTopic(APP + "-" + ModelTopology.STORE + "-changelog", in, in);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(final byte[] value) throws IOException {
        return Json.MAPPER.readTree(value);
    }

    private JsonNode predict(final String id, final String features, final Integer label) throws IOException {
        final String labelField = label == null ? "" : ",\"label\":" + label;
        events.pipeInput(bytes("u1"), bytes("{\"id\":\"" + id + "\",\"features\":" + features + labelField + "}"));
        final List<byte[]> values = predictions.readValuesToList();
        assertEquals(1, values.size(), "one prediction per event");
        return json(values.get(0));
    }

    private void train(final int n) throws IOException {
        for (int i = 0; i < n; i++) {
            predict("t" + i, i % 2 == 0 ? "{\"ad\":\"a\"}" : "{\"ad\":\"b\"}", i % 2 == 0 ? 1 : 0);
        }
    }

    private void send(final ControlMessage message) {
        control.pipeInput(bytes("ctl"), Json.bytes(message));
    }

    @Test
    void shouldPredictThenLearnAndCarryProvenance() throws IOException {
        final JsonNode first = predict("e1", "{\"ad\":\"a\"}", 1);
        assertEquals("ctr", first.get("model").asText());
        assertEquals("e1", first.get("id").asText());
        assertEquals(1, first.get("generation").asInt());
        assertEquals(0, first.get("updates").asInt());
        assertEquals(0.5, first.get("probability").asDouble(), 1e-6, "an untrained model answers 0.5");
        assertEquals(Math.log(2), first.get("loss").asDouble(), 1e-5);
        train(200);
        final JsonNode later = predict("e2", "{\"ad\":\"a\"}", null);
        assertEquals(201, later.get("updates").asInt());
        assertTrue(later.get("probability").asDouble() > 0.6, later.toString());
        assertTrue(predict("e3", "{\"ad\":\"b\"}", null).get("probability").asDouble() < 0.4);
        assertFalse(later.has("loss"), "an unlabelled event has no loss");
    }

    @Test
    void shouldDeadLetterBadEventsWithReasonAndOriginalBytesAndGoOn() throws IOException {
        final String[] bad = {
            "{oops", "[]", "{\"features\":{}}", "{\"id\":\"x\"}", "{\"id\":7,\"features\":{}}",
            "{\"id\":\"x\",\"features\":{\"p\":true}}", "{\"id\":\"x\",\"features\":{\"p\":1e400}}",
            "{\"id\":\"x\",\"features\":{},\"label\":2}", "{\"id\":\"x\",\"features\":[]}"
        };
        for (final String event : bad) {
            events.pipeInput(bytes("k"), bytes(event));
        }
        events.pipeInput(bytes("k"), (byte[]) null);
        assertTrue(predictions.isEmpty(), "no prediction for a rejected event");
        final List<byte[]> letters = deadLetters.readValuesToList();
        assertEquals(bad.length + 1, letters.size());
        for (int i = 0; i < bad.length; i++) {
            final JsonNode letter = json(letters.get(i));
            assertEquals("ctr", letter.get("model").asText());
            assertEquals("in", letter.get("topic").asText());
            assertEquals(i, letter.get("offset").asLong());
            assertFalse(letter.get("reason").asText().isBlank());
            assertEquals(bad[i], new String(Base64.getDecoder().decode(letter.get("original").asText()),
                    StandardCharsets.UTF_8));
        }
        assertTrue(json(letters.get(6)).get("reason").asText().contains("finite"));
        assertEquals(0, predict("ok", "{\"ad\":\"a\"}", 1).get("updates").asInt(), "valid events still flow");
    }

    @Test
    void shouldPersistChangedStateToChangelogOnCommit() throws IOException {
        changelog.readRecordsToList();
        train(10);
        driver.advanceWallClockTime(java.time.Duration.ofMillis(200)); // triggers a commit
        assertFalse(changelog.isEmpty(), "learned parameters must reach the changelog before the commit");
    }

    @Test
    void shouldApplyControlMessages() throws IOException {
        train(100);
        final double trained = predict("p1", "{\"ad\":\"a\"}", null).get("probability").asDouble();

        send(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "v1"));
        train(100);
        send(new ControlMessage(ControlMessage.PAUSE, 1, null, null));
        final long pausedUpdates = predict("p2", "{\"ad\":\"a\"}", 1).get("updates").asLong();
        assertEquals(pausedUpdates, predict("p3", "{\"ad\":\"a\"}", 1).get("updates").asLong(),
                "a paused model does not learn");
        send(new ControlMessage(ControlMessage.RESUME, 1, null, null));

        send(new ControlMessage(ControlMessage.ROLLBACK, 2, null, "v1"));
        final JsonNode rolledBack = predict("p4", "{\"ad\":\"a\"}", null);
        assertEquals(2, rolledBack.get("generation").asInt());
        assertEquals(100, rolledBack.get("updates").asInt());
        assertEquals(trained, rolledBack.get("probability").asDouble(), 0.0, "rollback restores the exact model");

        send(new ControlMessage(ControlMessage.RESET, 3, null, null));
        final JsonNode reset = predict("p5", "{\"ad\":\"a\"}", null);
        assertEquals(3, reset.get("generation").asInt());
        assertEquals(0, reset.get("updates").asInt());
        assertEquals(0.5, reset.get("probability").asDouble(), 1e-6);

        final Map<String, Double> params = HyperParameters.resolve(
                LearnerCatalog.find("ftrl").hyperParameters(), Map.of("hashBits", 12.0, "alpha", 2.0, "l1", 0.0));
        send(new ControlMessage(ControlMessage.UPDATE, 4, params, null));
        train(2);
        final JsonNode updated = predict("p6", "{\"ad\":\"a\"}", null);
        assertEquals(4, updated.get("generation").asInt());
        assertNotEquals(0.5, updated.get("probability").asDouble(), 1e-3);
    }

    @Test
    void shouldIgnoreControlMessagesThatCannotBeAppliedAndGoOn() throws IOException {
        train(20);
        final JsonNode before = predict("b", "{\"ad\":\"a\"}", null);
        for (final String message : List.of("{\"generation\":2}", "{\"op\":\"update\",\"generation\":2}",
                "{\"op\":\"snapshot\",\"generation\":2}", "{\"op\":\"rollback\",\"generation\":2}",
                "{\"op\":\"explode\",\"generation\":2}", "{not json",
                "{\"op\":\"update\",\"generation\":2,\"params\":{\"alpha\":-1}}",
                "{\"op\":\"update\",\"generation\":2,\"params\":{\"hashBits\":5}}",
                "{\"op\":\"update\",\"generation\":2,\"params\":{\"gamma\":1}}")) {
            control.pipeInput(bytes("ctl"), bytes(message));
        }
        final JsonNode after = predict("a", "{\"ad\":\"a\"}", 1);
        assertEquals(1, after.get("generation").asInt(), "nothing was applied");
        assertEquals(before.get("updates").asInt(), after.get("updates").asInt());
        assertEquals(before.get("probability").asDouble(), after.get("probability").asDouble(), 0.0);
        assertEquals(before.get("updates").asInt() + 1, predict("c", "{\"ad\":\"a\"}", null).get("updates").asInt(),
                "the model still learns");
    }
}
