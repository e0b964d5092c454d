package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.ops.broker.EmbeddedBroker;
import io.eddy.streams.api.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's follower outlives a cluster that is not there yet: it tries again and then follows. */
class TopicFollowerRetryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @BeforeAll
    static void quietLogs() {
        // as Main does, before Kafka makes its first logger: CLI tests later in this JVM read stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    @Test
    void shouldFollowOnceTheClusterAndItsTopicsAppear() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        final String bootstrap = "localhost:" + port;
        final ModelBoard board = new ModelBoard(60_000);
        final Map<String, Object> client = Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 500,
                "request.timeout.ms", 400, "reconnect.backoff.max.ms", 200);
        try (TopicFollower follower = new TopicFollower(client, board, Duration.ofMillis(100))) {
            follower.start();
            awaitTrue(() -> follower.failures() >= 2, "the follower failed and tried again without a broker");
            try (EmbeddedBroker broker = EmbeddedBroker.start(port, work.resolve("broker"))) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    admin.createTopics(List.of(new NewTopic(Topics.MODELS, 1, (short) 1))).all().get();
                    // one topic is not enough: a follower that began then would never read the other
                    final int failuresWithOneTopic = follower.failures();
                    awaitTrue(() -> follower.failures() > failuresWithOneTopic + 1,
                            "the follower tried again while " + Topics.METRICS + " was missing");
                    admin.createTopics(List.of(new NewTopic(Topics.METRICS, 1, (short) 1))).all().get();
                }
                final long now = System.currentTimeMillis();
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new ByteArraySerializer())) {
                    producer.send(new ProducerRecord<>(Topics.MODELS, "m",
                            bytes(ModelBoardTest.definition("m", 1)))).get();
                    producer.send(new ProducerRecord<>(Topics.METRICS, "m",
                            bytes(ModelBoardTest.report("m", "0_0", now, 7)))).get();
                }
                awaitTrue(() -> board.freshReports(now).size() == 1, "the board shows the model's report");
                assertEquals(7, board.freshReports(now).get(0).get("seen").asLong());
                assertEquals("m", board.definitions().get(0).get("name").asText());
            }
        }
    }

    private static byte[] bytes(final ObjectNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitTrue(final BooleanSupplier condition, final String description)
            throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + description);
            Thread.sleep(20);
        }
    }
}
