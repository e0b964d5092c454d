package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.state.api.ModelMeta;
import io.eddy.state.internal.StateCodec;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly-once learning, proved: an engine process is killed with SIGKILL in the middle of a stream
 * and restarted. Its output must hold exactly one prediction per event, and its final model state
 * must equal, bit for bit, that of a model that learned the same input without interruption. Once for
 * FTRL (sparse state, updated per event), once for forward-forward (weights on the compute backend,
 * a micro-batch of 8 events pending at any moment, persisted with them), once for implicit feedback
 * (item rows created and evicted) and once for a recurrent model (every key's hidden state and
 * sensitivities, cached in memory and written to the store early and before each commit).
 */
@Tag("integration")
class KillRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 2;
    private static final int EVENTS = 24_000;

    @ParameterizedTest
    @ValueSource(strings = {"ftrl", "ff", "implicit", "rtrl"})
    void shouldLearnEveryEventExactlyOnceAcrossAKill(final String type) throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        final String input = "kill.events." + type;
        final Path stateDir = Files.createTempDirectory("eddy-kill");
        final Path log = Files.createTempFile("eddy-kill-engine", ".log");
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            kafka.createTopics(List.of(new NewTopic(input, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        EngineProcess engine = EngineProcess.start(bootstrap, stateDir, log);
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 99);
             Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Await.until(WAIT, () -> topicExists(kafka, Topics.ADMIN_REPLIES), "the engine made its topics");
            final String victimApp = admin.ok(create(type, "victim")).get("applicationId").asText();
            final Thread producer = new Thread(() -> {
                for (int i = 0; i < EVENTS; i++) {
                    final String json = type.equals("ff") || type.equals("rtrl") ? denseLabelled(i)
                            : type.equals("implicit") ? interaction(i) : events.labelled("e" + i);
                    events.send(input, "u" + (i % 50), json);
                    if (i % 500 == 499) {
                        events.flush();
                        pause(100); // about 5,000 events/s: the kill lands mid-stream
                    }
                }
                events.flush();
            }, "kill-test-producer");
            producer.start();

            try (Predictions out = new Predictions(bootstrap, "kill.out." + type + ".victim")) {
                final int beforeKill = out.awaitCount(EVENTS / 4, WAIT).size();
                assertTrue(beforeKill >= EVENTS / 4 && beforeKill < EVENTS, "killed mid-stream at " + beforeKill);
                engine.kill();
                assertFalse(engine.isAlive());
                engine = EngineProcess.start(bootstrap, stateDir, log);
                producer.join();

                final List<JsonNode> predictions = out.awaitCount(EVENTS, WAIT);
                assertEquals(EVENTS, predictions.size(), "every event predicted; engine log: " + log);
                assertEquals(EVENTS, out.drain(Duration.ofSeconds(3)).size(), "and none twice");
                assertEquals(EVENTS, predictions.stream().map(p -> p.get("id").asText()).distinct().count());
            }

            // the same input, learned by a model that is never interrupted
            final String referenceApp = admin.ok(create(type, "reference")).get("applicationId").asText();
            try (Predictions out = new Predictions(bootstrap, "kill.out." + type + ".reference")) {
                assertEquals(EVENTS, out.awaitCount(EVENTS, WAIT).size());
            }
            final Map<String, byte[]> victim = finalState(bootstrap, victimApp);
            final Map<String, byte[]> reference = finalState(bootstrap, referenceApp);
            assertEquals(reference.keySet(), victim.keySet(), "same stored keys");
            long updates = 0;
            for (final Map.Entry<String, byte[]> entry : reference.entrySet()) {
                if (entry.getKey().endsWith("/meta")) {
                    final ModelMeta expected = StateCodec.decodeMeta(entry.getValue());
                    final ModelMeta actual = StateCodec.decodeMeta(victim.get(entry.getKey()));
                    assertEquals(expected.updates(), actual.updates(), entry.getKey());
                    assertEquals(expected.generation(), actual.generation(), entry.getKey());
                    assertEquals(expected.params(), actual.params(), entry.getKey());
                    updates += actual.updates();
                } else {
                    assertTrue(Arrays.equals(entry.getValue(), victim.get(entry.getKey())),
                            "parameter block " + entry.getKey() + " differs");
                }
            }
            assertEquals(EVENTS, updates, "every labelled event learned exactly once");
            admin.deleteAllModels();
        } finally {
            engine.close();
        }
    }

    private static String create(final String type, final String model) {
        final String params = switch (type) {
            case "ff" -> "{\"inputs\":6,\"outputs\":3,\"layers\":2,\"hidden\":16,\"batch\":8,"
                    // continual backprop too: which units it replaces must survive the kill
                    + "\"replacementRate\":0.02,\"maturity\":10}";
            // more items than it may keep: which it evicts, and where it puts new ones, must survive too
            case "implicit" -> "{\"factors\":8,\"maxItems\":300}";
            // each key's hidden state and sensitivities too, written early from its cache and before each commit
            case "rtrl" -> "{\"cell\":\"elstm\",\"inputs\":6,\"outputs\":3,\"hidden\":8,"
                    + "\"task\":\"classification\"}";
            default -> "{\"hashBits\":16}";
        };
        return "{\"op\":\"create\",\"model\":\"" + type + "-" + model + "\",\"type\":\"" + type + "\",\"params\":"
                + params + ",\"inputTopic\":\"kill.events." + type + "\",\"outputTopic\":\"kill.out." + type + "."
                + model + "\"}";
    }

    /** A seeded interaction of user {@code u<index % 50>} (the record's key) with one of 500 items. */
    private static String interaction(final int index) {
        final int item = (int) (500 * Math.pow(new java.util.SplittableRandom(index).nextDouble(), 2));
        return "{\"id\":\"e" + index + "\",\"user\":\"u" + (index % 50) + "\",\"item\":\"i" + item + "\"}";
    }

    /** A seeded dense event for the forward-forward model: the class is the largest of the first three inputs. */
    private static String denseLabelled(final int index) {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(index);
        final StringBuilder x = new StringBuilder();
        int label = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 6; j++) {
            final double v = Math.round(random.nextDouble() * 100) / 100.0;
            x.append(j == 0 ? "" : ",").append(v);
            if (j < 3 && v > best) {
                best = v;
                label = j;
            }
        }
        return "{\"id\":\"e" + index + "\",\"x\":[" + x + "],\"label\":" + label + "}";
    }

    /** The committed content of a model's state changelog: last value per partition and key. */
    private static Map<String, byte[]> finalState(final String bootstrap, final String applicationId) {
        final String changelog = applicationId + "-model-state-changelog";
        final Map<String, byte[]> state = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(changelog).stream()
                    .map(info -> new TopicPartition(changelog, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    final String key = record.partition() + "/" + (record.key()[0] == 1 ? "meta"
                            : Arrays.toString(record.key()));
                    if (record.value() == null) {
                        state.remove(key);
                    } else {
                        state.put(key, record.value());
                    }
                }
            }
        }
        return state;
    }

    private static boolean topicExists(final Admin kafka, final String topic) {
        try {
            return kafka.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (final Exception e) {
            return false;
        }
    }

    private static void pause(final long ms) {
        try {
            Thread.sleep(ms); // paces the producer; no test waits on this
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
