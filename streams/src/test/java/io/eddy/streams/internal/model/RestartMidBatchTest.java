package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactly-once with batching: a task that commits with a partly filled micro-batch (or a partly summed batch)
 * and restarts from its store goes on bit for bit as an uninterrupted one. The restart is a second driver
 * on the first one's state directory after a clean close (the driver commits after every event, so the
 * micro-batch is part full at every commit).
 */
class RestartMidBatchTest {
    @TempDir
    Path temp;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("mlp", Map.of("inputs", 6, "outputs", 3, "layers", 2, "hidden", 8, "batch", 4,
                        "learningRate", 0.01)),
                Arguments.of("mlp", Map.of("inputs", 6, "outputs", 3, "layers", 2, "hidden", 8, "batch", 4,
                        "learningRate", 0.01, "answerAverage", 0.9, "replacementRate", 0.05, "maturity", 5)),
                Arguments.of("ff", Map.of("inputs", 6, "outputs", 3, "layers", 2, "hidden", 8, "batch", 4,
                        "learningRate", 0.01)),
                Arguments.of("ff", Map.of("inputs", 6, "outputs", 3, "layers", 2, "hidden", 8, "batch", 4,
                        "learningRate", 0.01, "negatives", "random", "answerAverage", 0.9, "replacementRate", 0.05,
                        "maturity", 5)),
                Arguments.of("rtrl", Map.of("inputs", 6, "outputs", 3, "hidden", 8, "task", "classification",
                        "batch", 3)),
                Arguments.of("rtrl", Map.of("inputs", 6, "outputs", 3, "hidden", 8, "task", "classification",
                        "batch", 1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void shouldGoOnBitForBitAfterARestartMidBatch(final String type, final Map<String, Object> params)
            throws IOException {
        final List<String[]> first = FfControlTest.events(103, 1);
        final List<String[]> second = FfControlTest.events(57, 2);
        final JsonNode uninterrupted;
        try (Driver a = new Driver(type, params, temp.resolve("a"))) {
            a.feed(first);
            a.feed(second);
            uninterrupted = a.ask();
        }
        final Path copy = temp.resolve("b");
        final Driver b = new Driver(type, params, copy);
        b.feed(first);
        b.closeKeepingState();
        try (Driver c = new Driver(type, params, copy)) {
            c.feed(second);
            final JsonNode restarted = c.ask();
            assertEquals(uninterrupted.get("updates").asLong(), restarted.get("updates").asLong());
            assertArrayEquals(ModelDriver.probabilities(uninterrupted), ModelDriver.probabilities(restarted),
                    type + ": the restarted task answers as the uninterrupted one");
        }
    }


    /** One model's topology with its state in {@code stateDir}. */
    private static final class Driver implements AutoCloseable {
        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> events;
        private final TestOutputTopic<byte[], byte[]> predictions;

        Driver(final String type, final Map<String, Object> given, final Path stateDir) {
            final Map<String, Double> params = HyperParameters.resolve(LearnerCatalog.find(type).hyperParameters(),
                    HyperParameters.coerce(LearnerCatalog.find(type).hyperParameters(), new HashMap<>(given)));
            final String app = type + "-restart-review";
            final ModelDefinition definition = new ModelDefinition("m", type, params, params, "in", "out", "ctl",
                    app, 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
            final Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000), props);
            final ByteArraySerializer out = new ByteArraySerializer();
            events = driver.createInputTopic("in", out, out);
            predictions = driver.createOutputTopic("out", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        void feed(final List<String[]> keyAndJson) {
            for (final String[] event : keyAndJson) {
                events.pipeInput(event[0].getBytes(StandardCharsets.UTF_8),
                        event[1].getBytes(StandardCharsets.UTF_8));
            }
            predictions.readValuesToList();
        }

        JsonNode ask() throws IOException {
            events.pipeInput("probe".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":\"probe\",\"x\":[1,0,0.5,-0.5,0,1]}".getBytes(StandardCharsets.UTF_8));
            final List<byte[]> values = predictions.readValuesToList();
            assertEquals(1, values.size());
            return Json.MAPPER.readTree(values.get(0));
        }

        /**
         * Closes the task cleanly (a clean shutdown: commit, RocksDB flushed, checkpoint written) but keeps
         * its state directory, which the driver's close would delete last.
         */
        void closeKeepingState() {
            DriverRestarts.closeKeepingState(driver);
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
