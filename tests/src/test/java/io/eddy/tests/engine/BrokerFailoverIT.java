package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.BrokerCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a cluster of three brokers (replication factor 3, {@code min.insync.replicas} 2), the engine puts
 * three replicas on every topic it makes, its models' state changelogs included, and when the broker
 * that leads a recurrent model's changelog stops mid-stream, the model goes on and learns every event
 * exactly once: its losses equal, bit for bit, those of the learner run as a library on the same stream.
 */
@Tag("integration")
class BrokerFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String MODEL = "failover";

    @Test
    void shouldLearnEveryEventOnceWhileTheChangelogLeaderStops() throws Exception {
        final int events = RtrlEngineIT.EVENTS;
        final float[] expected = RtrlEngineIT.libraryLosses(RtrlEngineIT.PARAMS);
        try (BrokerCluster cluster = BrokerCluster.start(Files.createTempDirectory("eddy-cluster"))) {
            final String bootstrap = cluster.bootstrapServers();
            try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                 AdminClientForTests admin = new AdminClientForTests(bootstrap);
                 Events producer = new Events(bootstrap, 1);
                 Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-failover"))
                         .withComputeBackend("cpu").withReplicationFactor((short) BrokerCluster.SIZE))) {
                admin.ok("{\"op\":\"create\",\"model\":\"" + MODEL + "\",\"type\":\"rtrl\",\"params\":{"
                        + "\"cell\":\"elstm\",\"inputs\":4,\"outputs\":4,\"hidden\":8,"
                        + "\"task\":\"classification\",\"learningRate\":0.01}}");
                final HiddenStateEntities stream = RtrlEngineIT.stream();
                try (Predictions out = new Predictions(bootstrap, Topics.output(MODEL))) {
                    RtrlEngineIT.send(producer, stream, Topics.input(MODEL), events / 2);
                    assertEquals(events / 2, out.awaitCount(events / 2, WAIT).size());

                    final Map<String, TopicDescription> topics = kafka.describeTopics(kafka.listTopics().names()
                            .get()).allTopicNames().get();
                    final String changelog = topics.keySet().stream()
                            .filter(name -> name.contains(MODEL) && name.endsWith("-changelog")).findFirst()
                            .orElseThrow(() -> new AssertionError("no changelog among " + topics.keySet()));
                    assertTrue(topics.keySet().containsAll(Set.of(Topics.ADMIN, Topics.MODELS, Topics.METRICS,
                            Topics.DLQ, Topics.input(MODEL), Topics.output(MODEL))), topics.keySet()::toString);
                    for (final TopicDescription topic : topics.values()) {
                        for (final TopicPartitionInfo partition : topic.partitions()) {
                            assertEquals(BrokerCluster.SIZE, partition.replicas().size(), topic.name() + " replicas");
                        }
                    }

                    // the stop comes while the engine is still working through the events just sent
                    RtrlEngineIT.send(producer, stream, Topics.input(MODEL), events / 4);
                    final int stopped = topics.get(changelog).partitions().get(0).leader().id();
                    cluster.stop(stopped);
                    RtrlEngineIT.send(producer, stream, Topics.input(MODEL), events / 4);
                    final List<JsonNode> answers = out.awaitCount(events, WAIT);
                    RtrlEngineIT.assertSameLosses(expected, answers, MODEL);
                    assertEquals(events, out.drain(Duration.ofSeconds(2)).size(), "no event answered twice");
                    final int leader = kafka.describeTopics(List.of(changelog)).allTopicNames().get().get(changelog)
                            .partitions().get(0).leader().id();
                    assertTrue(leader != stopped, "another broker leads the changelog now");
                }
            }
        }
    }
}
