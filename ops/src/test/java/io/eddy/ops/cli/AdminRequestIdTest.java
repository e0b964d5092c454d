package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.AdminCommandParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request id of eddy admin, against a stand-in engine that answers as the engine's AdminProcessor does
 * (the reply is keyed by AdminCommandParser.requestId: the record key when not empty, else the JSON's
 * "requestId").
 */
class AdminRequestIdTest extends BrokerCommandTest {
    private static volatile boolean stop;
    private static Thread engine;

    @BeforeAll
    static void startStandInEngine() throws Exception {
        final Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(Topics.ADMIN, 1, (short) 1),
                    new NewTopic(Topics.ADMIN_REPLIES, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        final KafkaConsumer<String, byte[]> commands = new KafkaConsumer<>(client, new StringDeserializer(),
                new ByteArrayDeserializer());
        final TopicPartition partition = new TopicPartition(Topics.ADMIN, 0);
        commands.assign(List.of(partition));
        commands.seekToEnd(List.of(partition));
        commands.position(partition);
        engine = new Thread(() -> {
            try (commands; KafkaProducer<String, String> replies = new KafkaProducer<>(client, new StringSerializer(),
                    new StringSerializer())) {
                while (!stop) {
                    for (final ConsumerRecord<String, byte[]> record : commands.poll(Duration.ofMillis(100))) {
                        final String id = AdminCommandParser.requestId(record.key(), record.value());
                        final String reply = id == null
                                ? "{\"requestId\":null,\"ok\":false,\"error\":\"missing request id\"}"
                                : "{\"requestId\":\"" + id + "\",\"ok\":true,\"result\":{\"models\":[]}}";
                        replies.send(new ProducerRecord<>(Topics.ADMIN_REPLIES, id, reply));
                    }
                    replies.flush();
                }
            }
        }, "stand-in-engine");
        engine.setDaemon(true);
        engine.start();
    }

    @AfterAll
    static void stopStandInEngine() throws InterruptedException {
        stop = true;
        engine.join(10_000);
    }

    /** An empty --request-id is refused: sent as an empty key, which the engine ignores, no reply would match. */
    @Test
    void shouldRefuseAnEmptyRequestIdInsteadOfWaitingForAReplyThatCannotMatch() {
        final Run sane = run("admin", "list", "--bootstrap-servers", broker.bootstrapServers(), "--timeout", "10");
        assertEquals(ExitCode.OK, sane.code, "the stand-in engine answers: " + sane.err);
        final Run empty = run("admin", "list", "--request-id", "", "--bootstrap-servers", broker.bootstrapServers(),
                "--timeout", "3");
        assertEquals(ExitCode.USAGE, empty.code, "exit " + empty.code + ": " + empty.err);
    }

    /** A raw command's own requestId is its id (it was replaced by a random one). */
    @Test
    void shouldKeepTheRequestIdARawCommandCarries() throws Exception {
        final Run raw = run("admin", "raw", "{\"op\":\"list\",\"requestId\":\"r1\"}", "--json",
                "--bootstrap-servers", broker.bootstrapServers(), "--timeout", "10");
        assertEquals(ExitCode.OK, raw.code, raw.err);
        assertEquals("r1", MAPPER.readTree(raw.out).path("requestId").asText(), raw.out);
    }
}
