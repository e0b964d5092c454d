package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.streams.api.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record without a value (a tombstone, or an empty write from another producer of a shared output topic
 * named with --output-topic) on the prediction topic is skipped: it once stopped eddy tail, as text with exit
 * code 2 and with --json with a NullPointerException.
 */
class TailEmptyRecordTest extends BrokerCommandTest {
    @BeforeAll
    static void writeModelAndPredictions() throws Exception {
        final Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(Topics.MODELS, 1, (short) 1),
                    new NewTopic("shared.out", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.MODELS, "m",
                    "{\"name\":\"m\",\"type\":\"ftrl\",\"outputTopic\":\"shared.out\"}"));
            producer.send(new ProducerRecord<>("shared.out", "u1", null));
            producer.send(new ProducerRecord<>("shared.out", "u2", "{\"model\":\"m\",\"generation\":1,"
                    + "\"updates\":3,\"id\":\"e2\",\"probability\":0.5}"));
        }
    }

    @Test
    void shouldNotStopAtARecordWithoutAValueAsText() {
        final Run text = run("tail", "--model", "m", "--from-beginning", "--max", "1", "--idle-timeout", "30",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(ExitCode.OK, text.code, "exit " + text.code + ": " + text.err);
        assertTrue(text.out.contains("u2"), "the prediction after the empty record: " + text.out);
    }

    @Test
    void shouldNotStopAtARecordWithoutAValueAsJson() {
        final Run json = run("tail", "--model", "m", "--from-beginning", "--max", "1", "--idle-timeout", "30", "--json",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(ExitCode.OK, json.code, "exit " + json.code + ": " + json.err);
        assertTrue(json.out.contains("\"id\":\"e2\""), "the prediction after the empty record: " + json.out);
    }
}
