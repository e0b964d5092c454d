package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.SparseExample;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
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
import org.junit.jupiter.api.Test;

/** A learner that computes on a backend gets one per task: the model's choice over the engine's, closed after. */
class ComputeBackendWiringTest {

    private final List<ComputeBackend> handedOut = new ArrayList<>();

    /** Predicts 0.5·(1 + events learned so far on this task), computed with the backend's axpy. */
    private final class BackendLearner extends PerKeyStateTest.KeyRateLearner {
        private final ComputeBackend backend;
        private final DeviceFloats sum;
        private final DeviceFloats half;
        private final float[] host = new float[1];

        BackendLearner(final ComputeBackend backend) {
            this.backend = backend;
            this.sum = backend.allocateFloats(1);
            this.half = backend.allocateFloats(1);
            backend.upload(new float[] {0.5f}, 0, half, 0, 1);
            backend.axpy(1, 1f, half, 0, sum, 0);
        }

        @Override
        public void predict(final SparseExample example, final float[] keyState, final float[] out) {
            backend.download(sum, 0, host, 0, 1);
            out[0] = host[0];
        }

        @Override
        public float learn(final SparseExample example, final float[] keyState) {
            backend.axpy(1, 1f, half, 0, sum, 0);
            return 0f;
        }
    }

    private final ModelKind<SparseExample> kind = ModelKind.sparse(new PerKeyStateTest.SparseTestType("on-backend") {
        @Override
        public boolean usesComputeBackend(final Map<String, Double> resolved) {
            return true;
        }

        @Override
        public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
            throw new AssertionError("a type that uses a backend must be given one");
        }

        @Override
        public OnlineLearner<SparseExample> create(final Map<String, Double> resolved, final ComputeBackend backend) {
            handedOut.add(backend);
            return new BackendLearner(backend);
        }
    });

    @Test
    void theModelsBackendWinsOverTheEnginesAndIsClosedWithTheTask() throws Exception {
        // The engine default names CUDA, which this JVM cannot open without a GPU; the model asks for the CPU.
        final double[] answers = run("cpu", "cuda");
        assertEquals(0.5, answers[0], 1e-6);
        assertEquals(1.0, answers[1], 1e-6, "the learned event went through the backend");
        assertEquals(1, handedOut.size());
        assertEquals("cpu", handedOut.get(0).name());
        assertThrows(IllegalStateException.class, () -> handedOut.get(0).allocateFloats(1),
                "closing the task closes its backend");
    }

    @Test
    void aModelWithoutAChoiceGetsTheEnginesBackend() throws Exception {
        run(null, "cpu");
        assertEquals("cpu", handedOut.get(0).name());
    }

    private double[] run(final String modelBackend, final String engineBackend) throws Exception {
        final ModelDefinition definition = new ModelDefinition("dense", "on-backend", Map.of(), Map.of(), "in",
                "out", "ctl", "backend-test", 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", modelBackend,
                null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "backend-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        final double[] answers = new double[2];
        try (TopologyTestDriver driver =
                     new TopologyTestDriver(ModelTopology.build(definition, kind, engineBackend, 60_000), props)) {
            final TestInputTopic<byte[], byte[]> events = driver.createInputTopic("in", new ByteArraySerializer(),
                    new ByteArraySerializer());
            final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            events.pipeInput(bytes("k"), bytes("{\"id\":\"a\",\"features\":{},\"label\":1}"));
            events.pipeInput(bytes("k"), bytes("{\"id\":\"b\",\"features\":{}}"));
            final var records = out.readRecordsToList();
            for (int i = 0; i < 2; i++) {
                answers[i] = Json.MAPPER.readTree(records.get(i).value()).get("probability").asDouble();
            }
        }
        return answers;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
