package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.api.SparseExample;
import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The engine's per-key state path: loaded before, stored after each event, under the event's key. */
class PerKeyStateTest {

    /** Predicts each key's own click rate so far: per-key state [count, clicks], no model state. */
    static class KeyRateLearner implements OnlineLearner<SparseExample> {
        private final DenseParameters none = new DenseParameters(1, 1);

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public int keyStateSize() {
            return 2;
        }

        @Override
        public void predict(final SparseExample example, final float[] keyState, final float[] out) {
            out[0] = keyState[0] == 0 ? 0.5f : keyState[1] / keyState[0];
        }

        @Override
        public float loss(final SparseExample example, final float[] prediction) {
            return 0f;
        }

        @Override
        public float learn(final SparseExample example, final float[] keyState) {
            keyState[0] += 1;
            keyState[1] += example.label();
            return 0f;
        }

        @Override
        public ParameterState parameters() {
            return none;
        }

        @Override
        public void reconfigure(final Map<String, Double> resolved) {
        }
    }

    /** A learner type for tests: sparse examples, no hyper-parameters. */
    abstract static class SparseTestType implements LearnerType<SparseExample> {
        private final String name;

        SparseTestType(final String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<HyperParameter> hyperParameters() {
            return List.of();
        }

        @Override
        public SparseExample newExample() {
            return new SparseExample();
        }
    }

    private static final ModelKind<SparseExample> KIND = ModelKind.sparse(new SparseTestType("key-rate") {
        @Override
        public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
            return new KeyRateLearner();
        }
    });

    @Test
    void shouldKeepStatePerKeyAndPersistIt() throws Exception {
        try (TopologyTestDriver driver = driver("per-key-test", KIND, Map.of())) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            final int[][] clicks = {{1, 1, 1, 0}, {0, 0}};
            for (int user = 0; user < clicks.length; user++) {
                for (final int label : clicks[user]) {
                    final String event = "{\"id\":\"e\",\"features\":{},\"label\":" + label + "}";
                    events.pipeInput(bytes("user" + user), bytes(event));
                }
            }
            out.readRecordsToList();
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"p0\",\"features\":{}}"));
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"p1\",\"features\":{}}"));
            events.pipeInput(bytes("user2"), bytes("{\"id\":\"p2\",\"features\":{}}"));
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(0.75, probability(answers.get(0)), 1e-6);
            assertEquals(0.0, probability(answers.get(1)), 1e-6);
            assertEquals(0.5, probability(answers.get(2)), 1e-6, "a key never seen starts from zero state");

            final TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                    "per-key-test-" + ModelTopology.STORE + "-changelog", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            assertTrue(changelog.readRecordsToList().stream()
                    .anyMatch(r -> new String(r.key(), StandardCharsets.UTF_8).endsWith("user0")),
                    "per-key state reaches the changelog under the event's key");
        }
    }

    /** The same learner, refusing to step an event with any feature, as if its state would overflow. */
    private static final ModelKind<SparseExample> REFUSING_KIND = ModelKind.sparse(new SparseTestType("key-rate") {
        @Override
        public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
            return refusingLearner();
        }
    });

    /** The key-rate learner refusing to step any event that has a feature. */
    private static KeyRateLearner refusingLearner() {
        return new KeyRateLearner() {
            @Override
            public void predict(final SparseExample example, final float[] keyState, final float[] out) {
                if (example.count() > 0) {
                    throw new NonFiniteUpdateException("the key's state would overflow");
                }
                super.predict(example, keyState, out);
            }
        };
    }

    /**
     * An event whose step the learner refuses goes to the dead letters with its bytes and gives no prediction;
     * its key's state stays as it was, and a key first seen in it is not stored.
     */
    @Test
    void shouldDeadLetterAnEventWhoseStepIsRefusedAndKeepItsKeysState() throws Exception {
        try (TopologyTestDriver driver = driver("refuse-test", REFUSING_KIND, Map.of())) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            final TestOutputTopic<byte[], byte[]> deadLetters = output(driver, Topics.DLQ);
            final String refused = "{\"id\":\"r\",\"features\":{\"big\":1},\"label\":0}";
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            events.pipeInput(bytes("user0"), bytes(refused), 1L);
            events.pipeInput(bytes("user1"), bytes(refused), 2L);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{}}"), 3L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(2, answers.size(), "no prediction for the refused events");
            assertEquals(1.0, probability(answers.get(1)), 1e-6, "user0's state holds its one click, nothing more");
            final List<byte[]> letters = deadLetters.readValuesToList();
            assertEquals(2, letters.size());
            for (final byte[] letter : letters) {
                final var json = Json.MAPPER.readTree(letter);
                assertEquals("not stepped: the key's state would overflow", json.get("reason").asText());
                assertEquals(refused, new String(Base64.getDecoder().decode(json.get("original").asText()),
                        StandardCharsets.UTF_8));
            }
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            assertFalse(store.readEntity(bytes("user1"), new float[2]), "user1 was never stepped");
            assertEquals(1, store.entityCount(), "and is not counted");
        }
    }

    /** The idle time after which the engine evicts a key's state, as a learner type declares it. */
    private static final List<HyperParameter> IDLE = List.of(HyperParameter.whole(ModelProcessor.IDLE_SECONDS, 10, 0,
            1000, true, "idle time"));

    /** The same learner, declaring the idle time after which the engine evicts a key's state. */
    private static final ModelKind<SparseExample> EVICTING_KIND = ModelKind.sparse(new SparseTestType("key-rate") {
        @Override
        public List<HyperParameter> hyperParameters() {
            return IDLE;
        }

        @Override
        public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
            return new KeyRateLearner();
        }
    });

    /** The refusing learner, declaring the idle time too. */
    private static final ModelKind<SparseExample> REFUSING_EVICTING_KIND = ModelKind.sparse(
            new SparseTestType("key-rate") {
                @Override
                public List<HyperParameter> hyperParameters() {
                    return IDLE;
                }

                @Override
                public OnlineLearner<SparseExample> create(final Map<String, Double> resolved) {
                    return refusingLearner();
                }
            });

    /**
     * An event whose step the learner refuses is dead-lettered, gets no prediction and leaves its key's state
     * as it was; like any other dead-lettered record, its time does not move the eviction clock (one stamped a
     * year ahead once evicted every key).
     */
    @Test
    void shouldNotLetARefusedEventStampedAheadEvictEveryKey() throws Exception {
        try (TopologyTestDriver driver = driver("evict-refused", REFUSING_EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            final TestOutputTopic<byte[], byte[]> deadLetters = output(driver, Topics.DLQ);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"r\",\"features\":{\"big\":1},\"label\":1}"),
                    365L * 86_400_000L);
            assertEquals(1, deadLetters.readValuesToList().size(), "the refused event is dead-lettered");
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{},\"label\":0}"), 1_000L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(2, answers.size());
            assertEquals(1.0, probability(answers.get(1)), 1e-6,
                    "user0 was seen 1 s ago: a dead-lettered event's time must not have evicted it");
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            assertTrue(store.evictedThrough() <= 1_000L, "no eviction pass beyond the valid events' times");
        }
    }

    @Test
    void shouldEvictKeysIdleInEventTimeAndForgetThemAllOnReset() throws Exception {
        try (TopologyTestDriver driver = driver("evict-test", EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestInputTopic<byte[], byte[]> control = input(driver, "ctl");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            final String click = "{\"id\":\"e\",\"features\":{},\"label\":1}";
            final String ask = "{\"id\":\"q\",\"features\":{},\"label\":0}";
            events.pipeInput(bytes("user0"), bytes(click), 0L);
            events.pipeInput(bytes("user1"), bytes(click), 1_000L);
            // 14 s later user1 is seen again, before the eviction that its event's stream time triggers
            events.pipeInput(bytes("user1"), bytes(click), 15_000L);
            events.pipeInput(bytes("user0"), bytes(ask), 15_001L);
            List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(1.0, probability(answers.get(2)), 1e-6, "user1 was seen 14 s ago: not yet evicted");
            assertEquals(0.5, probability(answers.get(3)), 1e-6, "user0 was idle 15 s > 10 s: evicted");

            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.RESET, 2, null, null)),
                    15_002L);
            events.pipeInput(bytes("user1"), bytes(ask), 15_003L);
            answers = out.readRecordsToList();
            assertEquals(0.5, probability(answers.get(0)), 1e-6, "reset forgets every key's state");

            // stamped as late as a timestamp goes: no eviction pass reaches it, but a reset still does
            events.pipeInput(bytes("user2"), bytes(click), Long.MAX_VALUE);
            events.pipeInput(bytes("user2"), bytes(click), 15_004L);
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.RESET, 3, null, null)),
                    15_005L);
            events.pipeInput(bytes("user2"), bytes(click), 15_006L);
            answers = out.readRecordsToList();
            assertEquals(1.0, probability(answers.get(1)), 1e-6, "user2 is kept until the reset");
            assertEquals(0.5, probability(answers.get(2)), 1e-6, "whenever a key was last seen, reset forgets it");
        }
    }

    /**
     * Eviction passes follow the events' times alone, each kept in the store with the states it evicted, so a
     * replay or a recovery evicts the same keys after the same events: an admin command's time (when it was
     * sent) is not an event's and evicts nothing, nor is a dead-lettered record's.
     */
    @Test
    void shouldEvictOnTheEventsTimesAloneAndKeepTheLastPass() throws Exception {
        try (TopologyTestDriver driver = driver("evict-times-test", EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestInputTopic<byte[], byte[]> control = input(driver, "ctl");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 2_500L);
            assertEquals(2_000L, store.evictedThrough(), "the last pass: 2 s, the boundary the event at 2.5 s reached");
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.UPDATE, 2,
                    Map.of(ModelProcessor.IDLE_SECONDS, 10.0), null)), 1_000_000L);
            events.pipeInput(bytes("user2"), bytes("not an event, stamped a year ahead"), 365L * 86_400_000L);
            assertEquals(2_000L, store.evictedThrough(), "a dead-lettered record runs no pass");
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{},\"label\":0}"), 3_000L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(1.0, probability(answers.get(2)), 1e-6, "user0 was seen 3 s before: kept");
            assertEquals(3_000L, store.evictedThrough());
        }
    }

    /** A rollback brings back the snapshot's idle time at once, as a task started after it would read it. */
    @Test
    void shouldEvictWithTheIdleTimeARollbackBringsBack() throws Exception {
        try (TopologyTestDriver driver = driver("rollback-idle-test", EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestInputTopic<byte[], byte[]> control = input(driver, "ctl");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "s1")),
                    1L);
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.UPDATE, 2,
                    Map.of(ModelProcessor.IDLE_SECONDS, 1000.0), null)), 2L);
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.ROLLBACK, 3, null, "s1")),
                    3L);
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 15_000L);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{},\"label\":0}"), 15_001L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(0.5, probability(answers.get(answers.size() - 1)), 1e-6,
                    "user0 was idle 15 s, more than the 10 s the rollback brought back: evicted");
        }
    }

    /** A late event (out of order) does not make a key seen since look idle, with or without the cache. */
    @Test
    void shouldKeepTheLatestTimeAKeyWasSeen() throws Exception {
        try (TopologyTestDriver driver = driver("late-test", EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestOutputTopic<byte[], byte[]> out = output(driver, "out");
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 20_000L);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 5_000L);
            // a pass with its cut-off at 11 s
            events.pipeInput(bytes("user1"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 21_000L);
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"q\",\"features\":{},\"label\":0}"), 21_001L);
            final List<TestRecord<byte[], byte[]>> answers = out.readRecordsToList();
            assertEquals(1.0, probability(answers.get(3)), 1e-6, "user0 was seen at 20 s: kept");

            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            final KeyStates cached = new KeyStates(store, 2, 1 << 20, KeyStates.EARLY_WRITE_BYTES);
            final float[] state = new float[2];
            cached.write(Bytes.wrap(bytes("k1")), new float[] {1, 2}, 20_000L);
            cached.write(Bytes.wrap(bytes("k1")), new float[] {3, 4}, 5_000L);
            cached.evict(11_000L);
            assertTrue(cached.read(Bytes.wrap(bytes("k1")), state), "k1 was seen at 20 s: kept");
            assertEquals(20_000L, store.readEntitySeen(bytes("k1"), state));
            final KeyStates restarted = new KeyStates(store, 2, 1 << 20, KeyStates.EARLY_WRITE_BYTES);
            assertTrue(restarted.read(Bytes.wrap(bytes("k1")), state));
            restarted.write(Bytes.wrap(bytes("k1")), state, 6_000L);
            restarted.evict(11_000L);
            assertTrue(restarted.read(Bytes.wrap(bytes("k1")), state), "a state read from the store keeps its time");
        }
    }

    /** A restarted task starts from this count instead of reading every key's state to count them. */
    @Test
    void shouldKeepTheKeyCountWithTheStatesItCounts() throws Exception {
        try (TopologyTestDriver driver = driver("count-test", EVICTING_KIND,
                Map.of(ModelProcessor.IDLE_SECONDS, 10.0))) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            final TestInputTopic<byte[], byte[]> control = input(driver, "ctl");
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            final String click = "{\"id\":\"e\",\"features\":{},\"label\":1}";
            events.pipeInput(bytes("user0"), bytes(click), 0L);
            events.pipeInput(bytes("user1"), bytes(click), 1_000L);
            events.pipeInput(bytes("user1"), bytes(click), 2_000L);
            events.pipeInput(bytes("user2"), bytes(click), 3_000L);
            assertEquals(3, store.entityCount(), "three keys, each counted once, written with the commit");
            events.pipeInput(bytes("user2"), bytes(click), 11_500L);
            assertEquals(2, store.entityCount(), "the pass at 11 s evicted user0 (0 s), not user1 (2 s)");
            control.pipeInput(bytes("rates"), Json.bytes(new ControlMessage(ControlMessage.RESET, 2, null, null)),
                    11_501L);
            events.pipeInput(bytes("user3"), bytes(click), 11_502L);
            assertEquals(1, store.entityCount(), "reset forgot every key; user3 is new");
        }
    }

    @Test
    void shouldWriteKeyStatesBehindTheCacheAndBeforeEachCommit() throws Exception {
        try (TopologyTestDriver driver = driver("cache-test", KIND, Map.of())) {
            // one event gives the store a record context to log its changes under
            input(driver, "in")
                    .pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            final KeyStates states = new KeyStates(store, 2, 3 * (4 * 2 + KeyStates.ENTRY_OVERHEAD_BYTES),
                    KeyStates.EARLY_WRITE_BYTES);
            final float[] state = new float[2];
            for (int key = 1; key <= 5; key++) {
                states.write(Bytes.wrap(bytes("k" + key)), new float[] {key, 10 * key}, 1_000L * key);
            }
            assertTrue(store.readEntity(bytes("k1"), state), "the eldest state left the full cache for the store");
            assertEquals(10f, state[1]);
            assertTrue(store.readEntity(bytes("k2"), state));
            assertFalse(store.readEntity(bytes("k5"), state), "a cached state waits for the flush");
            assertTrue(states.read(Bytes.wrap(bytes("k5")), state), "but reads come from the cache");
            assertEquals(50f, state[1]);

            states.flush();
            assertTrue(store.readEntity(bytes("k5"), state));
            assertEquals(5f, state[0]);
            assertTrue(states.read(Bytes.wrap(bytes("k1")), state), "an evicted entry is read back from the store");
            assertEquals(1f, state[0]);

            states.write(Bytes.wrap(bytes("k4")), new float[] {40, 400}, 9_000L);
            final ModelStateStore.EntityCount count = states.evict(4_500L);
            assertEquals(4, count.evicted(), "user0 (time 0), k1, k2 and k3 were idle before 4.5 s");
            assertEquals(2, count.live());
            assertFalse(states.read(Bytes.wrap(bytes("k3")), state), "evicted from the cache too");
            assertTrue(states.read(Bytes.wrap(bytes("k4")), state));
            assertEquals(40f, state[0], "the cached change reached the store before the eviction pass");
        }
    }

    @Test
    void shouldWriteChangedStatesOutOnceEnoughHaveGathered() throws Exception {
        try (TopologyTestDriver driver = driver("early-test", KIND, Map.of())) {
            final TestInputTopic<byte[], byte[]> events = input(driver, "in");
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"e\",\"features\":{},\"label\":1}"), 0L);
            final ModelStateStore store = (ModelStateStore) driver.getStateStore(ModelTopology.STORE);
            // states of two floats, 8 bytes: three changed ones are written out together
            final KeyStates states = new KeyStates(store, 2, 1 << 20, 3 * 8);
            final float[] state = new float[2];
            states.write(Bytes.wrap(bytes("k1")), new float[] {1, 10}, 1_000L);
            states.write(Bytes.wrap(bytes("k2")), new float[] {2, 20}, 2_000L);
            states.write(Bytes.wrap(bytes("k1")), new float[] {3, 30}, 3_000L);
            assertFalse(store.readEntity(bytes("k1"), state), "two changed states wait");
            states.write(Bytes.wrap(bytes("k3")), new float[] {4, 40}, 4_000L);
            assertTrue(store.readEntity(bytes("k1"), state), "the third changed state sends all three");
            assertEquals(30f, state[1], "k1's latest state");
            assertTrue(store.readEntity(bytes("k3"), state));

            states.write(Bytes.wrap(bytes("k1")), new float[] {5, 50}, 5_000L);
            states.write(Bytes.wrap(bytes("k4")), new float[] {6, 60}, 6_000L);
            assertFalse(store.readEntity(bytes("k4"), state));
            states.flush();
            assertTrue(store.readEntity(bytes("k4"), state), "the commit's flush writes the rest");
            assertTrue(store.readEntity(bytes("k1"), state));
            assertEquals(50f, state[1]);

            // the driver collects what the store logged when it next processes an event
            events.pipeInput(bytes("user0"), bytes("{\"id\":\"f\",\"features\":{},\"label\":0}"), 7_000L);
            final List<TestRecord<byte[], byte[]>> logged = driver.createOutputTopic(
                    "early-test-" + ModelTopology.STORE + "-changelog", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()).readRecordsToList();
            assertEquals(2, logged.stream().filter(record -> endsWith(record.key(), bytes("k1"))).count(),
                    "k1, changed twice before the first write and once before the second, was written twice");
            assertEquals(1, logged.stream().filter(record -> endsWith(record.key(), bytes("k4"))).count());
        }
    }

    private static boolean endsWith(final byte[] key, final byte[] suffix) {
        return key.length >= suffix.length && java.util.Arrays.equals(key, key.length - suffix.length, key.length,
                suffix, 0, suffix.length);
    }

    /** A driver of model "rates" of {@code kind} with {@code params}, reading "in" and "ctl", writing "out". */
    private static TestInputTopic<byte[], byte[]> input(final TopologyTestDriver driver, final String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static TestOutputTopic<byte[], byte[]> output(final TopologyTestDriver driver, final String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static TopologyTestDriver driver(final String applicationId, final ModelKind<SparseExample> kind,
                                             final Map<String, Double> params) {
        final ModelDefinition definition = new ModelDefinition("rates", "key-rate", params, params, "in", "out",
                "ctl", applicationId, 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(ModelTopology.build(definition, kind, "cpu", 60_000), props);
    }

    private static double probability(final TestRecord<byte[], byte[]> record) throws Exception {
        return Json.MAPPER.readTree(record.value()).get("probability").asDouble();
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
