package io.eddy.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.ops.broker.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Commands run as a script runs {@link Main}, their output read back, against one broker per test class. */
abstract class BrokerCommandTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path work;

    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        // as Main does, before the broker makes the first logger: the tests read the commands' stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        broker = EmbeddedBroker.start(0, work.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int code = Main.execute(args);
            System.out.flush();
            System.err.flush();
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A command's exit code and output; fields rather than a record's accessors keep the tests' reads short. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(final int code, final String out, final String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    /** Everything on the topic: polls until a poll of a few seconds brings nothing new. */
    static List<ConsumerRecord<String, byte[]>> readAll(final String topic, final int partitions) {
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            int emptyPolls = 0;
            while (emptyPolls < 3) {
                final int before = records.size();
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
                emptyPolls = records.size() == before ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }
}
