package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.SparseExample;
import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.Test;

/**
 * An event whose step the learner refuses ("not stepped") is dead-lettered, gets no prediction and leaves
 * its key's state as it was; like any other dead-lettered record, its time does not move the eviction clock.
 */
class EvictionClockTest {

    /** Key-rate learner with an idle time, refusing to step any event that has a feature. */
    private static final ModelKind<SparseExample> REFUSING_EVICTING_KIND = ModelKind.sparse(
            new PerKeyStateTest.SparseTestType("key-rate") {
                @Override
                public List<HyperParameter> hyperParameters() {
                    return List.of(HyperParameter.whole(ModelProcessor.IDLE_SECONDS, 10, 0, 1000, true, "idle"));
                }

                @Override
                public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
                    return new PerKeyStateTest.KeyRateLearner() {
                        @Override
                        public void predict(final SparseExample example, final float[] keyState, final float[] out) {
                            if (example.count() > 0) {
                                throw new NonFiniteUpdateException("the key's state would overflow");
                            }
                            super.predict(example, keyState, out);
                        }
                    };
                }
            });

    @Test
    void shouldNotLetARefusedEventStampedAheadEvictEveryKey() throws Exception {
        final Map<String, Double> params = Map.of(ModelProcessor.IDLE_SECONDS, 10.0);
        final ModelDefinition definition = new ModelDefinition("rates", "key-rate", params, params, "in", "out",
                "ctl", "evict-refused", 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "evict-refused");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(
                ModelTopology.build(definition, REFUSING_EVICTING_KIND, "cpu", 60_000), props)) {
            final ByteArraySerializer ser = new ByteArraySerializer();
            final TestInputTopic<byte[], byte[]> events = driver.createInputTopic("in", ser, ser);
            final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            // refused by the learner, stamped a year ahead
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"r\",\"features\":{\"big\":1},\"label\":1}"),
                    365L * 86_400_000L);
            assertEquals(1, dlq.readValuesToList().size(), "the refused event is dead-lettered");
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{},\"label\":0}"), 1_000L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(2, answers.size());
            assertEquals(1.0, Json.MAPPER.readTree(answers.get(1).value()).get("probability").asDouble(), 1e-6,
                    "user0 was seen 1 s ago: a dead-lettered event's time must not have evicted it");
            assertTrue(store.evictedThrough() <= 1_000L, "no eviction pass beyond the valid events' times");
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
