package io.eddy.tests.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning with {@code read_committed}, so tests see exactly what a
 * downstream consumer of an exactly-once application would see.
 */
public final class Predictions implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<JsonNode> seen = new ArrayList<>();

    public Predictions(final String bootstrapServers, final String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code count} records in all have arrived or {@code timeout} passes; returns them all. */
    public List<JsonNode> awaitCount(final int count, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            poll();
        }
        return List.copyOf(seen);
    }

    /** Polls until a record matching {@code match} arrives; returns it, or null after {@code timeout}. */
    public JsonNode awaitMatch(final Predicate<JsonNode> match, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        do {
            for (; checked < seen.size(); checked++) {
                if (match.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            poll();
        } while (System.nanoTime() < deadline || checked < seen.size());
        return null;
    }

    /** Polls until {@code done} holds for everything seen so far or {@code timeout} passes; returns it all. */
    public List<JsonNode> awaitUntil(final Predicate<List<JsonNode>> done, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen) && System.nanoTime() < deadline) {
            poll();
        }
        return List.copyOf(seen);
    }

    /** Polls for {@code quiet} more and returns everything seen. */
    public List<JsonNode> drain(final Duration quiet) {
        final long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
        }
        return List.copyOf(seen);
    }

    public List<JsonNode> seen() {
        return List.copyOf(seen);
    }

    private void poll() {
        for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            seen.add(parse(record.value()));
        }
    }

    static JsonNode parse(final byte[] value) {
        try {
            return value == null ? JSON.nullNode() : JSON.readTree(value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
