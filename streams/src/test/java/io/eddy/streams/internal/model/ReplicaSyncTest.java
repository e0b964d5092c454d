package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Review of model merging in one task (partition 0 of two): when a task sends its weights (counted by the
 * {@code replicasSent} metric) and whether a merge survives what follows it.
 */
class ReplicaSyncTest {
    private static final String CLICK = "{\"id\":\"e\",\"features\":{\"ad\":\"a\"},\"label\":1}";
    private static final String PROBE = "{\"id\":\"probe\",\"x\":[1,0,0.5,-0.5,0,1]}";

    @TempDir
    Path temp;

    @Test
    void shouldSyncAtTheSameUpdateCountsAfterARestart() {
        final Map<String, Object> params = Map.of("hashBits", 12, EngineParameters.SYNC_EVERY, 20);
        final Path state = temp.resolve("restart");
        final Task first = new Task("ftrl", params, state);
        first.feed(CLICK, 15);
        assertEquals(0, first.replicasSent());
        first.closeKeepingState();
        try (Task restarted = new Task("ftrl", params, state)) {
            restarted.feed(CLICK, 5);
            assertEquals(1, restarted.replicasSent(), "a task restarted at 15 updates syncs at 20, as one that ran on");
        }
    }

    @Test
    void shouldNotPostponeTheSyncForASnapshot() {
        try (Task task = new Task("ftrl", Map.of("hashBits", 12, EngineParameters.SYNC_EVERY, 20), null)) {
            task.feed(CLICK, 15);
            task.control(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "s"));
            task.feed(CLICK, 5);
            assertEquals(1, task.replicasSent(), "a snapshot changes neither the weights nor the update count");
        }
    }

    @Test
    void shouldSendWithTheStepThatReachesSyncEveryEvenAtACommit() {
        // rtrl with batch 3 gathers events: the driver commits after each, and the commit steps the group
        try (Task task = new Task("rtrl", Map.of("inputs", 6, "outputs", 3, "hidden", 8, "task", "classification",
                "batch", 3, EngineParameters.SYNC_EVERY, 5), null)) {
            for (final String[] event : FfControlTest.events(5, 1)) {
                task.events.pipeInput(bytes(event[0]), bytes(event[1]));
            }
            assertEquals(5, task.updates());
            assertEquals(1, task.replicasSent(), "the weights go in the transaction of the updates that made them due");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "rtrl"})
    void shouldKeepAMergeThatArrivesAfterAResetBeforeAnyEvent(final String type) throws IOException {
        final Map<String, Object> params = "mlp".equals(type)
                ? Map.of("inputs", 6, "outputs", 3, "layers", 2, "hidden", 8, "batch", 4, "learningRate", 0.01,
                        EngineParameters.SYNC_EVERY, 10)
                : Map.of("inputs", 6, "outputs", 3, "hidden", 8, "task", "classification",
                        EngineParameters.SYNC_EVERY, 10);
        final List<byte[]> replica = otherReplica(type, params, 2);
        final double[] merged;
        try (Task task = new Task(type, params, null)) {
            task.feed(FfControlTest.events(20, 1));
            task.control(new ControlMessage(ControlMessage.RESET, 2, null, null));
            for (final byte[] message : replica) {
                task.replicasIn.pipeInput(ByteBuffer.allocate(4).putInt(1).array(), message);
            }
            merged = ModelDriver.probabilities(task.ask(PROBE));
        }
        final double[] alone;
        try (Task task = new Task(type, params, null)) {
            task.feed(FfControlTest.events(20, 1));
            task.control(new ControlMessage(ControlMessage.RESET, 2, null, null));
            alone = ModelDriver.probabilities(task.ask(PROBE));
        }
        assertFalse(Arrays.equals(alone, merged), type + ": the merge after the reset is kept, not seeded over: "
                + Arrays.toString(merged));
    }

    /** The messages of partition 1's replica, its weights between ±0.3, of generation {@code generation}. */
    @SuppressWarnings("unchecked")
    private static List<byte[]> otherReplica(final String type, final Map<String, Object> given,
                                             final long generation) {
        final LearnerType<Object> learnerType = (LearnerType<Object>) LearnerCatalog.find(type);
        final List<HyperParameter> specs = learnerType.hyperParameters();
        final Map<String, Object> own = new HashMap<>(given);
        own.remove(EngineParameters.SYNC_EVERY);
        final Map<String, Double> params = HyperParameters.resolve(specs, HyperParameters.coerce(specs, own));
        try (ComputeBackend backend = Backends.select("cpu").backend()) {
            final OnlineLearner<Object> learner = learnerType.usesComputeBackend(params)
                    ? learnerType.create(params, backend) : learnerType.create(params);
            final ParameterState parameters = learner.parameters();
            final int[] spans = learner.replicaSpans();
            for (int s = 0; s < spans.length; s += 2) {
                final float[] weights = new float[spans[s + 1]];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = 0.1f * (i % 7 - 3);
                }
                parameters.blend(spans[s], weights, 0, weights.length, 1f);
            }
            final List<byte[]> sent = new ArrayList<>();
            new Replicas(parameters, spans, 1, 2, 1, 0).send(generation, 1, sent::add);
            return sent;
        }
    }

    /** Partition 0 of a model of two partitions, with its topics and its metrics. */
    private static final class Task implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<byte[], byte[]> events;
        final TestInputTopic<byte[], byte[]> control;
        final TestInputTopic<byte[], byte[]> replicasIn;
        final TestOutputTopic<byte[], byte[]> predictions;
        final TestOutputTopic<byte[], byte[]> metrics;

        Task(final String type, final Map<String, Object> given, final Path stateDir) {
            final List<HyperParameter> specs = EngineParameters.of(LearnerCatalog.find(type));
            final Map<String, Double> params = HyperParameters.resolve(specs,
                    HyperParameters.coerce(specs, new HashMap<>(given)));
            final String app = type + "-merging-review";
            final ModelDefinition definition = new ModelDefinition("m", type, params, params, "in", "out", "ctl",
                    app, 2, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
            final Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            if (stateDir != null) {
                props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            }
            driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000), props);
            final ByteArraySerializer out = new ByteArraySerializer();
            final ByteArrayDeserializer in = new ByteArrayDeserializer();
            events = driver.createInputTopic("in", out, out);
            control = driver.createInputTopic("ctl", out, out);
            replicasIn = driver.createInputTopic(definition.syncTopic(), out, out);
            predictions = driver.createOutputTopic("out", in, in);
            metrics = driver.createOutputTopic(Topics.METRICS, in, in);
        }

        void feed(final String json, final int times) {
            for (int i = 0; i < times; i++) {
                events.pipeInput(bytes("u"), bytes(json));
            }
            predictions.readValuesToList();
        }

        void feed(final List<String[]> keyAndJson) {
            for (final String[] event : keyAndJson) {
                events.pipeInput(bytes(event[0]), bytes(event[1]));
            }
            predictions.readValuesToList();
        }

        void control(final ControlMessage message) {
            control.pipeInput(bytes("ctl"), Json.bytes(message));
        }

        JsonNode ask(final String json) throws IOException {
            predictions.readValuesToList();
            events.pipeInput(bytes("probe"), bytes(json));
            final List<byte[]> values = predictions.readValuesToList();
            assertEquals(1, values.size());
            return Json.MAPPER.readTree(values.get(0));
        }

        /** The task's latest metrics report, after the wall clock has passed a metrics interval. */
        private JsonNode report() {
            driver.advanceWallClockTime(Duration.ofSeconds(61));
            final List<byte[]> reports = metrics.readValuesToList();
            return Json.read(reports.get(reports.size() - 1), JsonNode.class);
        }

        long replicasSent() {
            return report().get("replicasSent").asLong();
        }

        long updates() {
            return report().get("updates").asLong();
        }

        /** Closes cleanly (commit, store flushed, checkpoint) but keeps the state directory for the next task. */
        void closeKeepingState() {
            try {
                final Field stateDirectory = TopologyTestDriver.class.getDeclaredField("stateDirectory");
                stateDirectory.setAccessible(true);
                stateDirectory.set(driver, null);
            } catch (final ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            assertThrows(NullPointerException.class, driver::close, "all but the state directory's deletion");
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
