package io.eddy.ops.replay;

import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.errors.EddyException;
import io.eddy.ops.kafka.KafkaReachability;
import io.eddy.ops.kafka.KafkaUnreachableException;
import io.eddy.ops.progress.ProgressBars;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code eddy replay}: produces a {@link SequenceStream}'s events to a topic, keyed by entity, or any
 * other {@link Source}'s records, at a steady rate or as fast as the producer goes, with a progress
 * bar where one is wanted and a summary at the end. The topic must exist (creating the model creates
 * its input topic).
 */
public final class Replay {
    private static final long SECOND = 1_000_000_000L;

    private final Map<String, Object> clientProperties;
    private final String topic;
    private final Source source;
    private final double ratePerSecond;
    private final PrintStream out;
    private ProgressBars bars = ProgressBars.OFF;
    private long total;
    private Duration timeout = Duration.ofSeconds(30);
    /** Released by {@link #stop()} (or an interrupt): a wait for the next event at a slow rate ends at once. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    /**
     * @param clientProperties Kafka client settings, bootstrap servers included
     * @param ratePerSecond events per second; 0 for as fast as possible
     */
    public Replay(final Map<String, Object> clientProperties, final String topic, final SequenceStream stream,
                  final double ratePerSecond, final PrintStream out) {
        this(clientProperties, topic, Source.of(stream), ratePerSecond, out);
    }

    /**
     * @param clientProperties Kafka client settings, bootstrap servers included
     * @param ratePerSecond events per second; 0 for as fast as possible
     */
    public Replay(final Map<String, Object> clientProperties, final String topic, final Source source,
                  final double ratePerSecond, final PrintStream out) {
        requireRate(ratePerSecond);
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.source = source;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    /** Refuses a rate that is negative or not finite; 0 is as fast as possible. */
    public static void requireRate(final double ratePerSecond) {
        if (!(ratePerSecond >= 0 && ratePerSecond < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the rate must be >= 0 events/s (0 = as fast as possible), got "
                    + ratePerSecond);
        }
    }

    /** Shows progress on {@code bars} towards {@code total} events (0 when the stream has no known end). */
    public Replay withProgress(final ProgressBars progressBars, final long totalEvents) {
        this.bars = progressBars;
        this.total = totalEvents;
        return this;
    }

    /** How long to wait for Kafka to answer before the first event (default 30 s). */
    public Replay withTimeout(final Duration kafkaTimeout) {
        this.timeout = kafkaTimeout;
        return this;
    }

    /** Makes {@link #run} stop producing at its next event (from a shutdown hook, say). */
    public void stop() {
        stopping.countDown();
    }

    /**
     * Checks that the topic exists, produces until the stream ends or {@link #stop()}, waits for the
     * broker to acknowledge every event and returns how many were sent.
     *
     * @throws KafkaUnreachableException when Kafka does not answer within the timeout
     * @throws EddyException when the topic is missing or the broker refuses an event
     */
    public long run() {
        KafkaReachability.require(clientProperties, timeout);
        requireTopic();
        final Map<String, Object> props = new HashMap<>(clientProperties);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
             ProgressBars.Bar bar = bars.start("replay " + source.name(), total, "events")) {
            while (source.hasNext() && !stopped() && failure.get() == null) {
                if (ratePerSecond > 0) {
                    final long wait = start + (long) (sent * (SECOND / ratePerSecond)) - System.nanoTime();
                    if (wait > 1_000_000 && waitUnlessStopped(wait)) {
                        break;
                    }
                }
                source.advance();
                producer.send(new ProducerRecord<>(topic, source.key(), source.value()), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                sent++;
                bar.stepTo(sent);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new EddyException("producing to " + topic + " failed: " + failure.get().getMessage(), failure.get());
        }
        final double seconds = (System.nanoTime() - start) / (double) SECOND;
        out.printf(Locale.ROOT, "%s %,d %s events to %s in %.1f s (%,.0f events/s).%n",
                stopped() ? "Stopped after sending" : "Sent", sent, source.name(), topic, seconds,
                seconds > 0 ? sent / seconds : 0);
        return sent;
    }

    private void requireTopic() {
        try (Admin admin = Admin.create(clientProperties)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new EddyException("topic " + topic + " does not exist: create the model first (it creates its "
                        + "input topic), or name an existing topic with --topic");
            }
            throw new EddyException("cannot look up topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw KafkaReachability.unreachable(clientProperties.get("bootstrap.servers"), timeout, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EddyException("interrupted while looking up topic " + topic, e);
        }
    }

    /** Waits {@code nanos} unless stopped or interrupted first; whether it was. */
    private boolean waitUnlessStopped(final long nanos) {
        try {
            return stopping.await(nanos, TimeUnit.NANOSECONDS);
        } catch (final InterruptedException e) {
            stopping.countDown();
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    /**
     * What a replay produces, one record at a time: {@link #advance()} moves to the next record, whose
     * key and value {@link #key()} and {@link #value()} then give.
     */
    public interface Source {
        /** Its name in the summary, e.g. {@code delayed-recall}. */
        String name();

        /** Whether {@link #advance()} has another record. */
        boolean hasNext();

        /** Moves to the next record. */
        void advance();

        /** The current record's key. */
        String key();

        /** The current record's value, bytes that the caller may keep. */
        byte[] value();

        /** A sequence stream's events, keyed by entity, in Eddy's dense JSON input format. */
        static Source of(final SequenceStream stream) {
            return new Source() {
                private SequenceEvent event;

                @Override
                public String name() {
                    return stream.name();
                }

                @Override
                public boolean hasNext() {
                    return stream.hasNext();
                }

                @Override
                public void advance() {
                    event = stream.next();
                }

                @Override
                public String key() {
                    return event.key();
                }

                @Override
                public byte[] value() {
                    return event.toJson();
                }
            };
        }
    }
}
