package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Model merging on a real broker: a model of two partitions whose partition 0 sees only ad a (clicked) and
 * partition 1 only ad b (not clicked). With {@code syncEvery}, each partition's replica comes to answer for
 * the ad only the other saw; a model without it, on the same input, does not. The replica topic exists with
 * the model and goes with it.
 */
@Tag("integration")
class ModelMergingIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int EVENTS = 300;

    @Test
    void shouldTeachEachReplicaWhatOnlyTheOtherPartitionSaw() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        final String input = Topics.input("merged");
        final String keyOfA = keyOn(0);
        final String keyOfB = keyOn(1);
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 7);
             Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap));
             Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-merging")))) {
            assertTrue(admin.error("{\"op\":\"create\",\"model\":\"single\",\"type\":\"ftrl\","
                    + "\"params\":{\"syncEvery\":10}}").contains("several partitions"));
            final JsonNode merged = admin.ok("{\"op\":\"create\",\"model\":\"merged\",\"type\":\"ftrl\","
                    + "\"partitions\":2,\"params\":{\"syncEvery\":50}}");
            assertEquals(50, merged.get("params").get("syncEvery").asInt());
            final String syncTopic = Topics.SYNC_PREFIX + "merged." + merged.get("incarnation").asLong();
            assertTrue(topics(kafka).contains(syncTopic), "the replica topic " + syncTopic);
            admin.ok("{\"op\":\"create\",\"model\":\"apart\",\"type\":\"ftrl\",\"inputTopic\":\"" + input + "\"}");

            for (int i = 0; i < EVENTS; i++) {
                events.send(input, keyOfA, "{\"id\":\"a" + i + "\",\"features\":{\"ad\":\"a\"},\"label\":1}");
                events.send(input, keyOfB, "{\"id\":\"b" + i + "\",\"features\":{\"ad\":\"b\"},\"label\":0}");
            }
            events.flush();
            try (Predictions mergedOut = new Predictions(bootstrap, Topics.output("merged"));
                 Predictions apartOut = new Predictions(bootstrap, Topics.output("apart"))) {
                assertEquals(2 * EVENTS, mergedOut.awaitCount(2 * EVENTS, WAIT).size());
                assertEquals(2 * EVENTS, apartOut.awaitCount(2 * EVENTS, WAIT).size());
                // partition 0 never saw ad b, partition 1 never saw ad a: apart, each answers from its bias
                final double apartB = probe(events, apartOut, keyOfA, "b", "apart-b");
                final double apartA = probe(events, apartOut, keyOfB, "a", "apart-a");
                assertTrue(apartB > 0.7 && apartA < 0.3, "apart: " + apartB + ", " + apartA);
                final double[] mergedB = {1};
                final double[] mergedA = {0};
                final int[] probes = {0};
                Await.until(WAIT, () -> {
                    mergedB[0] = probe(events, mergedOut, keyOfA, "b", "merged-b" + probes[0]);
                    mergedA[0] = probe(events, mergedOut, keyOfB, "a", "merged-a" + probes[0]++);
                    return mergedB[0] < apartB - 0.2 && mergedA[0] > apartA + 0.2;
                }, "each merged replica answers for the ad only the other saw");
                System.out.printf(java.util.Locale.ROOT, "ad b on partition 0: %.3f merged, %.3f apart; ad a on "
                        + "partition 1: %.3f merged, %.3f apart (after %d probes)%n", mergedB[0], apartB, mergedA[0],
                        apartA, probes[0]);
            }
            admin.ok("{\"op\":\"delete\",\"model\":\"merged\"}");
            Await.until(WAIT, () -> !topics(kafka).contains(syncTopic), "the replica topic goes with the model");
            admin.deleteAllModels();
        }
    }

    /** The answer of the model to an unlabelled event of ad {@code ad}, keyed {@code key}. */
    private static double probe(final Events events, final Predictions out, final String key, final String ad,
                                final String id) {
        events.send(Topics.input("merged"), key, "{\"id\":\"" + id + "\",\"features\":{\"ad\":\"" + ad + "\"}}");
        events.flush();
        final JsonNode answer = out.awaitMatch(p -> p.get("id").asText().equals(id), WAIT);
        assertNotNull(answer, "no answer to " + id);
        return answer.get("probability").asDouble();
    }

    private static java.util.Set<String> topics(final Admin kafka) {
        try {
            return kafka.listTopics().names().get();
        } catch (final InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key that the default partitioner puts on {@code partition} of two. */
    private static String keyOn(final int partition) {
        for (int i = 0; ; i++) {
            final String key = "user" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return key;
            }
        }
    }
}
