package io.eddy.tests.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces simple seeded FTRL events: two ads, one that is clicked 90% of the time and one 10%. A send
 * that fails makes {@link #flush} throw with the reason, instead of leaving a test to wait for events
 * that were never written; and a topic is written only once all its partitions have a leader (on a
 * loaded machine a topic the engine has just created may have none for a while).
 */
public final class Events implements AutoCloseable {
    private static final Duration LEADERS_WAIT = Duration.ofMinutes(2);

    private final KafkaProducer<String, byte[]> producer;
    private final Random random;
    private final Set<String> ledTopics = new HashSet<>();
    private final List<Future<RecordMetadata>> unconfirmed = new ArrayList<>();

    public Events(final String bootstrapServers, final long seed) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // One request in flight. Seen once in seven full runs: a partition the broker had announced
                // but not yet loaded answered the first batch NOT_LEADER, the batches already in flight behind
                // it were written, and the retried first batch was refused as out of sequence until it expired.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        random = new Random(seed);
    }

    /** A labelled event {@code id}; its ad decides the click probability. */
    public String labelled(final String id) {
        final boolean good = random.nextBoolean();
        final int label = random.nextDouble() < (good ? 0.9 : 0.1) ? 1 : 0;
        return "{\"id\":\"" + id + "\",\"features\":{\"ad\":\"" + (good ? "good" : "bad") + "\",\"price\":"
                + (1 + random.nextInt(5)) + "},\"label\":" + label + "}";
    }

    /** The same unlabelled probe each time, to compare the model's answers. */
    public static String probe(final String id) {
        return "{\"id\":\"" + id + "\",\"features\":{\"ad\":\"good\",\"price\":3}}";
    }

    public void send(final String topic, final String key, final String json) {
        send(topic, key, json.getBytes(StandardCharsets.UTF_8));
    }

    public void send(final String topic, final String key, final byte[] value) {
        awaitLeaders(topic);
        unconfirmed.add(producer.send(new ProducerRecord<>(topic, key, value)));
    }

    private void awaitLeaders(final String topic) {
        if (ledTopics.contains(topic)) {
            return;
        }
        Await.until(LEADERS_WAIT, () -> {
            final List<PartitionInfo> partitions = producer.partitionsFor(topic);
            return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.leader() != null
                    && p.leader().id() >= 0);
        }, "every partition of " + topic + " has a leader");
        ledTopics.add(topic);
    }

    /** Sends {@code count} labelled events with ids {@code prefix0..}, keys over 8 users. */
    public void sendLabelled(final String topic, final String prefix, final int count) {
        for (int i = 0; i < count; i++) {
            send(topic, "u" + (i % 8), labelled(prefix + i));
        }
        flush();
    }

    /** Waits until every event sent so far is written; throws if one could not be. */
    public void flush() {
        producer.flush();
        try {
            for (final Future<RecordMetadata> sent : unconfirmed) {
                sent.get();
            }
        } catch (final ExecutionException e) {
            throw new IllegalStateException("an event could not be produced: " + e.getCause(), e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while events were produced", e);
        } finally {
            unconfirmed.clear();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
