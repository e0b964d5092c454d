package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.SparseExample;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.nio.ByteBuffer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Model merging in one task ({@link TopologyTestDriver} runs a model's partition 0 of two): it moves halfway
 * towards the weights of the other partition's replica when they arrive on the replica topic, unless they are
 * of another generation, its own, or the model is paused. (The driver's topics have one partition, so what a
 * task sends to the others goes nowhere here: {@link ReplicasTest} checks the messages, the integration test
 * the whole.)
 */
class ReplicaMergingTest {
    private static final int SYNC_EVERY = 20;
    private static final String SYNC_TOPIC = "eddy.sync.ctr.1";
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    /** One task of model {@code ctr} (ftrl, 2^12 weights, two partitions), with its topics. */
    private final class Task {
        final TestInputTopic<byte[], byte[]> events;
        final TestInputTopic<byte[], byte[]> control;
        final TestInputTopic<byte[], byte[]> replicasIn;
        final TestOutputTopic<byte[], byte[]> predictions;

        Task(final String app) {
            final Map<String, Double> params = HyperParameters.resolve(EngineParameters.of(LearnerCatalog.find("ftrl")),
                    Map.of("hashBits", 12.0, EngineParameters.SYNC_EVERY, (double) SYNC_EVERY));
            final ModelDefinition definition = new ModelDefinition("ctr", "ftrl", params, params, "in", "out", "ctl",
                    app, 2, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
            assertEquals(SYNC_TOPIC, definition.syncTopic());
            final Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            final TopologyTestDriver driver = new TopologyTestDriver(ModelTopology.build(definition, "cpu", 60_000),
                    props);
            drivers.add(driver);
            final ByteArraySerializer out = new ByteArraySerializer();
            final ByteArrayDeserializer in = new ByteArrayDeserializer();
            events = driver.createInputTopic("in", out, out);
            control = driver.createInputTopic("ctl", out, out);
            replicasIn = driver.createInputTopic(SYNC_TOPIC, out, out);
            predictions = driver.createOutputTopic("out", in, in);
        }

        void learn(final String ad, final int label, final int count) {
            for (int i = 0; i < count; i++) {
                events.pipeInput(bytes("u"), bytes("{\"id\":\"e\",\"features\":{\"ad\":\"" + ad + "\"},\"label\":"
                        + label + "}"));
            }
        }

        double probability(final String ad) {
            predictions.readValuesToList();
            events.pipeInput(bytes("u"), bytes("{\"id\":\"probe\",\"features\":{\"ad\":\"" + ad + "\"}}"));
            return Json.read(predictions.readValue(), JsonNode.class).get("probability").asDouble();
        }
    }

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    @Test
    void shouldMoveHalfwayTowardsTheOtherPartitionsReplica() {
        final Task mine = new Task("merging-mine");
        mine.learn("a", 1, SYNC_EVERY);
        final OnlineLearner<SparseExample> theirs = ftrl();
        final float theirsB = learnAndPredict(theirs, "b", 0, SYNC_EVERY);
        assertTrue(theirsB < 0.4, "the other replica learned that b is not clicked: " + theirsB);
        final List<byte[]> sent = new ArrayList<>();
        new Replicas(theirs.parameters(), theirs.replicaSpans(), 1, 2, SYNC_EVERY, 0).send(1, SYNC_EVERY, sent::add);
        assertEquals(1, sent.size(), "2^12 pairs of z and n fit one message");
        final byte[] replica = sent.get(0);
        final double before = mine.probability("b");
        assertTrue(before > 0.5, "this replica saw only clicks, of ad a: " + before);

        mine.replicasIn.pipeInput(partition(0), replica);
        assertEquals(before, mine.probability("b"), 0, "its own weights, sent back, are not merged");
        mine.replicasIn.pipeInput(partition(1), generation(replica, 2));
        assertEquals(before, mine.probability("b"), 0, "weights of another generation are not merged");
        mine.control.pipeInput(bytes("ctl"), Json.bytes(new ControlMessage(ControlMessage.PAUSE, 1, null, null)));
        mine.replicasIn.pipeInput(partition(1), replica);
        assertEquals(before, mine.probability("b"), 0, "a paused model learns nothing, its replicas' weights neither");
        mine.control.pipeInput(bytes("ctl"), Json.bytes(new ControlMessage(ControlMessage.RESUME, 1, null, null)));

        final double mineA = mine.probability("a");
        mine.replicasIn.pipeInput(partition(1), replica);
        final double merged = mine.probability("b");
        assertTrue(merged < before - 0.05 && merged > theirsB, "between the two: " + merged);
        assertTrue(mine.probability("a") > 0.5 && mine.probability("a") < mineA, "and what it learned stays, halved");
    }

    private static OnlineLearner<SparseExample> ftrl() {
        @SuppressWarnings("unchecked")
        final LearnerType<SparseExample> type = (LearnerType<SparseExample>) LearnerCatalog.find("ftrl");
        return type.create(HyperParameters.resolve(type.hyperParameters(), Map.of("hashBits", 12.0)));
    }

    /** Learns {@code count} events of ad {@code ad} as the engine decodes them; returns the answer for it after. */
    private static float learnAndPredict(final OnlineLearner<SparseExample> learner, final String ad, final int label,
                                         final int count) {
        @SuppressWarnings("unchecked")
        final EventDecoder<SparseExample> decoder = ((ModelKind<SparseExample>) ModelKind.forType("ftrl")).newDecoder();
        final SparseExample example = new SparseExample();
        for (int i = 0; i < count; i++) {
            assertNull(decoder.decode(bytes("{\"id\":\"e\",\"features\":{\"ad\":\"" + ad + "\"},\"label\":"
                    + label + "}"), example));
            learner.learn(example, null);
        }
        assertNull(decoder.decode(bytes("{\"id\":\"p\",\"features\":{\"ad\":\"" + ad + "\"}}"), example));
        final float[] out = new float[1];
        learner.predict(example, null, out);
        return out[0];
    }

    private static byte[] partition(final int partition) {
        return ByteBuffer.allocate(4).putInt(partition).array();
    }

    private static byte[] generation(final byte[] message, final long generation) {
        final byte[] copy = message.clone();
        ByteBuffer.wrap(copy).putLong(1, generation);
        return copy;
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
