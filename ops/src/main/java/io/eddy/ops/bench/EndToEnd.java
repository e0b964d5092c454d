package io.eddy.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.errors.EddyException;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.progress.ProgressBars;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.HdrHistogram.Histogram;

/**
 * What the end-to-end model benchmarks share: one-partition topics, a producer that batches for
 * throughput, one model's rate through a fresh engine over events produced beforehand, and the
 * latency of events produced at a steady rate.
 */
final class EndToEnd {
    /** Events whose latency is measured, and their rate: well below what the engine keeps up with. */
    static final int LATENCY_EVENTS = 10_000;
    static final int LATENCY_RATE_PER_S = 2_000;

    private EndToEnd() {
    }

    /** Creates one-partition topics of these names. */
    static void createTopics(final String bootstrap, final String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Arrays.stream(topics).map(name -> new NewTopic(name, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A producer of string keys and byte values that batches for throughput. */
    static KafkaProducer<String, byte[]> producer(final String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer());
    }

    /** A model's figures end to end: its rate over events produced beforehand, and its latency. */
    record Figures(double eventsPerS, Histogram latency) {
    }

    /** Sends the benchmark's create command; an error reply ends the benchmark with the engine's reason. */
    static void createModel(final AdminRequester requester, final String create) throws IOException {
        final JsonNode reply = Json.MAPPER.readTree(requester.request(create, "bench-create", Duration.ofSeconds(60)));
        if (!reply.path("ok").asBoolean()) {
            throw new EddyException("the engine refused the benchmark's model: " + reply.path("error").asText());
        }
    }

    /**
     * Starts an engine with {@code config}, creates a model with the admin command {@code create}, and
     * returns the events per second at which its {@code events} predictions reach {@code output}, counted
     * on a bar of {@code bars}; then the latency of {@link #LATENCY_EVENTS} more events that {@code paced}
     * produces at a steady rate while the engine runs.
     */
    static Figures run(final EngineConfig config, final String create, final String output, final int events,
                       final Duration wait, final ProgressBars bars,
                       final Consumer<KafkaProducer<String, byte[]>> paced) throws Exception {
        try (Engine engine = Engine.start(config);
             AdminRequester requester = new AdminRequester(Map.of("bootstrap.servers", config.bootstrapServers()));
             TopicCounter counter = new TopicCounter(config.bootstrapServers(), output)) {
            createModel(requester, create);
            final double eventsPerS;
            try (ProgressBars.Bar bar = bars.start("predictions", events, "events")) {
                eventsPerS = counter.throughput(events, wait, bar);
            }
            final Histogram latency = pacedLatency(config.bootstrapServers(), counter, paced, LATENCY_EVENTS, wait);
            return new Figures(eventsPerS, latency);
        }
    }

    /**
     * Runs {@code paced} on a thread of its own with a producer while {@code counter} records, for
     * {@code count} records, the milliseconds from each record's event time to its visible prediction.
     */
    static Histogram pacedLatency(final String bootstrap, final TopicCounter counter,
                                  final Consumer<KafkaProducer<String, byte[]>> paced, final int count,
                                  final Duration wait) throws InterruptedException {
        final Thread producer = new Thread(() -> {
            try (KafkaProducer<String, byte[]> kafka = producer(bootstrap)) {
                paced.accept(kafka);
            }
        }, "bench-paced");
        producer.start();
        final Histogram latency = counter.latency(count, wait);
        producer.join();
        return latency;
    }

    /**
     * The machine an end-to-end figure was measured on, as the CPU backend sees it (cores, and the
     * Vector API's lanes), since the figure follows the machine's kind as much as the code.
     */
    static String machine() {
        try (CpuBackend cpu = new CpuBackend()) {
            return cpu.describe();
        }
    }

    /** A latency's p50, p99 and max, with the commit interval that bounds them from below. */
    static String describe(final Histogram latency) {
        return String.format(Locale.ROOT, "p50 %d ms, p99 %d ms, max %d ms (commit interval %d ms)",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(),
                EngineConfig.DEFAULT_COMMIT_INTERVAL_MS);
    }

    /** Calls {@code send} with 0, 1, ... {@code count - 1}, each at its time on a clock of {@code perSecond}. */
    static void paced(final int count, final int perSecond, final IntConsumer send) {
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            final long due = start + i * 1_000_000_000L / perSecond;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            send.accept(i);
        }
    }
}
