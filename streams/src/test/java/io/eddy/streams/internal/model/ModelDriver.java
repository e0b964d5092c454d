package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** One model's topology in a {@link TopologyTestDriver} on the CPU backend: events in, control messages, answers. */
final class ModelDriver implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<byte[], byte[]> control;
    private final TestOutputTopic<byte[], byte[]> predictions;
    private final TestOutputTopic<byte[], byte[]> deadLetters;

    ModelDriver(final String type, final Map<String, Object> given) {
        final Map<String, Double> params = HyperParameters.resolve(LearnerCatalog.find(type).hyperParameters(),
                HyperParameters.coerce(LearnerCatalog.find(type).hyperParameters(), given));
        final String app = type + "-control-test";
        final ModelDefinition definition = new ModelDefinition("m", type, params, params, "in", "out", "ctl", app, 1,
                ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000), props);
        final ByteArraySerializer out = new ByteArraySerializer();
        events = driver.createInputTopic("in", out, out);
        control = driver.createInputTopic("ctl", out, out);
        predictions = driver.createOutputTopic("out", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Pipes events (a {@code null} key: a record without one) and drops their answers. */
    void feed(final List<String[]> keyAndJson) {
        for (final String[] event : keyAndJson) {
            events.pipeInput(bytes(event[0]), bytes(event[1]));
        }
        predictions.readValuesToList();
    }

    /** The answer to one event. */
    JsonNode ask(final String key, final String json) throws IOException {
        final List<byte[]> values = answers(key, json);
        assertEquals(1, values.size(), "one prediction per event");
        return Json.MAPPER.readTree(values.get(0));
    }

    /** The predictions written for one event, as bytes: none when it was dead-lettered. */
    List<byte[]> answers(final String key, final String json) {
        events.pipeInput(bytes(key), bytes(json));
        return predictions.readValuesToList();
    }

    /** The reasons of the dead letters written since the last call. */
    List<String> deadLetterReasons() throws IOException {
        final List<String> reasons = new ArrayList<>();
        for (final byte[] letter : deadLetters()) {
            reasons.add(Json.MAPPER.readTree(letter).get("reason").asText());
        }
        return reasons;
    }

    /** The dead letters written since the last call, as bytes. */
    List<byte[]> deadLetters() {
        return deadLetters.readValuesToList();
    }

    void send(final ControlMessage message) {
        control.pipeInput(bytes("ctl"), Json.bytes(message));
    }

    static double[] probabilities(final JsonNode prediction) {
        final double[] values = new double[prediction.get("probabilities").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = prediction.get("probabilities").get(i).asDouble();
        }
        return values;
    }

    private static byte[] bytes(final String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
