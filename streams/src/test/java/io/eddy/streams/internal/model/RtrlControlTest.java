package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * Snapshot, rollback and reset of an rtrl model: the shared parameters (with Adam's moments and a
 * partly summed batch) come back exactly; reset also forgets every key's recurrent state.
 */
class RtrlControlTest {
    private static final String APP = "rtrl-control-test";
    private static final String PROBE = "{\"id\":\"probe\",\"x\":[1,0,0,1]}";

    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> control;
    private TestOutputTopic<byte[], byte[]> predictions;

    @Test
    void shouldRollBackSharedParametersExactlyAndForgetKeyStatesOnReset() throws IOException {
        final Map<String, Double> params = HyperParameters.resolve(LearnerCatalog.find("rtrl").hyperParameters(),
                HyperParameters.coerce(LearnerCatalog.find("rtrl").hyperParameters(), Map.of("inputs", 4,
                        "outputs", 3, "hidden", 8, "task", "classification", "batch", 3)));
        final ModelDefinition definition = new ModelDefinition("seq", "rtrl", params, params, "in", "out", "ctl",
                APP, 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000),
                props)) {
            final ByteArraySerializer out = new ByteArraySerializer();
            events = driver.createInputTopic("in", out, out);
            control = driver.createInputTopic("ctl", out, out);
            predictions = driver.createOutputTopic("out", new ByteArrayDeserializer(), new ByteArrayDeserializer());

            train(200, "k", 1); // 200 events: a batch of 3 is partly summed when the snapshot is taken
            final JsonNode atSnapshot = ask("fresh-1");
            send(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "v1"));
            train(150, "k", 2);
            assertFalse(Arrays.equals(probabilities(atSnapshot), probabilities(ask("fresh-2"))),
                    "training after the snapshot moves the model");

            send(new ControlMessage(ControlMessage.ROLLBACK, 2, null, "v1"));
            final JsonNode rolledBack = ask("fresh-3");
            assertEquals(2, rolledBack.get("generation").asInt());
            assertEquals(atSnapshot.get("updates").asLong(), rolledBack.get("updates").asLong());
            assertArrayEquals(probabilities(atSnapshot), probabilities(rolledBack),
                    "a fresh key sees exactly the parameters of the snapshot");
            // Adam's moments and the partial batch sum came back too: the same events (of new keys, so
            // that no key's own state differs) take the rolled-back model to the same place twice
            train(150, "a", 3);
            final double[] afterRollbackTraining = probabilities(ask("fresh-4"));
            send(new ControlMessage(ControlMessage.ROLLBACK, 3, null, "v1"));
            train(150, "b", 3);
            assertArrayEquals(afterRollbackTraining, probabilities(ask("fresh-5")));

            send(new ControlMessage(ControlMessage.RESET, 4, null, null));
            final JsonNode reset = ask("fresh-6");
            assertEquals(0, reset.get("updates").asLong());
            train(30, "other", 4);
            assertArrayEquals(probabilities(ask("k0")), probabilities(ask("fresh-7")),
                    "after a reset a key trained before answers as a key never seen");
        }
    }

    /** Seeded labelled events of 5 keys, random labels: enough to move the parameters. */
    private void train(final int n, final String prefix, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            final int bit = random.nextInt(2);
            events.pipeInput(bytes(prefix + (i % 5)), bytes("{\"id\":\"t\",\"x\":[" + bit + "," + (1 - bit)
                    + ",0.5,-0.5],\"label\":" + random.nextInt(3) + "}"));
        }
        predictions.readValuesToList();
    }

    private JsonNode ask(final String key) throws IOException {
        events.pipeInput(bytes(key), bytes(PROBE));
        final List<byte[]> values = predictions.readValuesToList();
        assertEquals(1, values.size(), "one prediction per event");
        return Json.MAPPER.readTree(values.get(0));
    }

    private void send(final ControlMessage message) {
        control.pipeInput(bytes("ctl"), Json.bytes(message));
    }

    private static double[] probabilities(final JsonNode prediction) {
        final double[] values = new double[prediction.get("probabilities").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = prediction.get("probabilities").get(i).asDouble();
        }
        return values;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
