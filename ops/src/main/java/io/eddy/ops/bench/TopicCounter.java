package io.eddy.ops.bench;

import io.eddy.ops.progress.ProgressBars;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.HdrHistogram.Histogram;

/**
 * Reads a topic as a downstream consumer would ({@code read_committed}) and measures how fast
 * records become visible, or how long after their event they arrive.
 */
final class TopicCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicCounter(final String bootstrap, final String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, before anything is written
    }

    /**
     * Waits for {@code count} new records and returns their throughput in records/s, measured from
     * the first visible batch to the last, so start-up time is left out.
     */
    double throughput(final long count, final Duration timeout, final ProgressBars.Bar bar) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        long firstBatch = 0;
        long firstNanos = 0;
        long lastNanos = 0;
        while (seen < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " records arrived within "
                        + timeout.toSeconds() + " s");
            }
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
            if (records.isEmpty()) {
                continue;
            }
            lastNanos = System.nanoTime();
            if (seen == 0) {
                firstBatch = records.count();
                firstNanos = lastNanos;
            }
            seen += records.count();
            bar.stepTo(seen);
        }
        if (seen == firstBatch) {
            // the rate is taken from the second batch on: one batch is a start, not a rate
            throw new IllegalArgumentException("all " + seen + " records arrived in one batch, too few to measure a "
                    + "rate: give more --events");
        }
        return (seen - firstBatch) / ((lastNanos - firstNanos) / 1e9);
    }

    /** Records, for {@code count} new records, the milliseconds from event time to visibility. */
    Histogram latency(final long count, final Duration timeout) {
        final Histogram histogram = new Histogram(3_600_000L, 3);
        final long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (seen < count && System.nanoTime() < deadline) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                histogram.recordValue(Math.max(0, System.currentTimeMillis() - record.timestamp()));
                seen++;
            }
        }
        if (seen < count) {
            throw new IllegalStateException("only " + seen + " of " + count + " records arrived in time");
        }
        return histogram;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
