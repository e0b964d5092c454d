package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.ops.broker.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The embedded broker keeps topics and committed records across a restart on the same folder. */
@Tag("integration")
class BrokerIT {

    @Test
    void shouldKeepTransactionalRecordsAcrossARestart() throws Exception {
        final Path dataDir = Files.createTempDirectory("eddy-broker-it");
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, dataDir)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "broker-it"),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    final byte[] value = ("{\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("kept", "k", value));
                }
                producer.commitTransaction();
            }
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, dataDir);
             Predictions kept = new Predictions(broker.bootstrapServers(), "kept")) {
            assertEquals(10, kept.awaitCount(10, Duration.ofSeconds(30)).size());
            assertEquals(10, kept.drain(Duration.ofMillis(500)).size(), "nothing more, nothing twice");
        }
    }
}
