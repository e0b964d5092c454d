package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late labels: an FTRL model with {@code labelWaitSeconds} answers an unlabelled event at once, keeps it, and
 * learns from it when its label arrives on the labels topic (a second answer, with the loss); a label for
 * no waiting event, a malformed one, and one after the wait go to the dead letters; the kept events survive
 * a restart of the task.
 */
class LateLabelsTest {
    private static final String APP = "late-labels-test";
    private static final long WAIT_SECONDS = 60;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ByteArraySerializer out = new ByteArraySerializer();
    private final ByteArrayDeserializer in = new ByteArrayDeserializer();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        final Map<String, Double> params = HyperParameters.resolve(EngineParameters.of(LearnerCatalog.find("ftrl")),
                Map.of("hashBits", 12.0, EngineParameters.LABEL_WAIT_SECONDS, (double) WAIT_SECONDS));
        final ModelDefinition definition = new ModelDefinition("ctr", "ftrl", params, params, "in", "out", "ctl",
                APP, 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
        assertEquals(Topics.labels("ctr"), definition.labelTopic());
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // kept across drivers, as a restarted task keeps its state folder
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000), props);
        events = driver.createInputTopic("in", out, out);
        labels = driver.createInputTopic(Topics.labels("ctr"), out, out);
        predictions = driver.createOutputTopic("out", in, in);
        deadLetters = driver.createOutputTopic(Topics.DLQ, in, in);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private JsonNode event(final String id, final String ad, final long seconds) {
        events.pipeInput(new TestRecord<>(bytes("user-" + id), bytes("{\"id\":\"" + id
                + "\",\"features\":{\"ad\":\"" + ad + "\"}}"), T0.plusSeconds(seconds)));
        return Json.read(predictions.readValue(), JsonNode.class);
    }

    private List<TestRecord<byte[], byte[]>> label(final String json, final long seconds) {
        labels.pipeInput(new TestRecord<>(bytes("any"), bytes(json), T0.plusSeconds(seconds)));
        return predictions.readRecordsToList();
    }

    @Test
    void shouldLearnFromAnAnsweredEventWhenItsLabelArrives() {
        final JsonNode first = event("e1", "a", 0);
        assertFalse(first.has("loss"), "answered at once, with nothing to learn");
        assertEquals(0, first.get("updates").asLong());
        for (int i = 2; i <= 20; i++) {
            event("e" + i, "a", i);
        }
        for (int i = 1; i <= 20; i++) {
            final List<TestRecord<byte[], byte[]>> answers = label("{\"id\":\"e" + i + "\",\"label\":1}", 30 + i);
            assertEquals(1, answers.size(), "the event answered again, now labelled");
            assertEquals("user-e" + i, new String(answers.get(0).key(), StandardCharsets.UTF_8), "with its own key");
            final JsonNode answer = Json.read(answers.get(0).value(), JsonNode.class);
            assertEquals("e" + i, answer.get("id").asText());
            assertTrue(answer.has("loss"));
            assertEquals(i - 1, answer.get("updates").asLong(), "each label is learned once");
        }
        final double learned = event("e21", "a", 60).get("probability").asDouble();
        assertTrue(learned > first.get("probability").asDouble() + 0.1, "it learned that ad a is clicked: " + learned);
        assertTrue(deadLetters.isEmpty());

        assertTrue(label("{\"id\":\"e1\",\"label\":0}", 61).isEmpty(), "an event is labelled once");
        assertTrue(label("{\"id\":\"nobody\",\"label\":0}", 61).isEmpty());
        assertTrue(label("{\"id\":\"e21\",\"label\":1,\"extra\":2}", 61).isEmpty());
        assertTrue(label("{\"id\":\"e21\",\"label\":1,\"y\":[1]}", 61).isEmpty());
        assertTrue(label("not json", 61).isEmpty());
        final List<JsonNode> letters = deadLetters.readValuesToList().stream()
                .map(letter -> Json.read(letter, JsonNode.class)).toList();
        assertEquals(5, letters.size());
        assertTrue(letters.get(0).get("reason").asText().startsWith("no event with id 'e1' waits"), letters.toString());
        assertTrue(letters.get(2).get("reason").asText().contains("nothing else"), letters.toString());
        assertEquals(Topics.labels("ctr"), letters.get(0).get("topic").asText(), "the letter names the label's topic");
        assertEquals("{\"id\":\"nobody\",\"label\":0}", new String(Base64.getDecoder().decode(
                letters.get(1).get("original").asText()), StandardCharsets.UTF_8), "and carries the label's bytes");
        final List<TestRecord<byte[], byte[]>> late = label("{\"id\":\"e21\",\"label\":1}", 61);
        assertEquals(1, late.size(), "the malformed labels took nothing out");
    }

    @Test
    void shouldForgetAnEventWhoseWaitEndedAndKeepTheOthersAcrossARestart() {
        event("old", "a", 0);
        event("young", "a", 100);
        event("now", "a", 130);
        assertTrue(label("{\"id\":\"old\",\"label\":1}", 131).isEmpty(), "answered 131 s ago: no longer waiting");
        assertTrue(Json.read(deadLetters.readValue(), JsonNode.class).get("reason").asText()
                .startsWith("no event with id 'old'"));

        DriverRestarts.closeKeepingState(driver);
        start();
        final List<TestRecord<byte[], byte[]>> answers = label("{\"id\":\"young\",\"label\":1}", 132);
        assertEquals(1, answers.size(), () -> "a restarted task still holds what waits: "
                + deadLetters.readValuesToList().stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList());
        assertEquals(0, Json.read(answers.get(0).value(), JsonNode.class).get("updates").asLong());
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
