package io.eddy.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.connectors.synthetic.ClickStream;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.http.EngineHttpServer;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code eddy demo}: against a running broker, starts the engine, creates an FTRL model, streams a
 * seeded click stream whose click model drifts halfway, and prints live progress from
 * {@code eddy.metrics} once a second.
 */
public final class Demo {
    static final String MODEL = "ctr";

    private final String bootstrap;
    private final Path stateDir;
    private final long events;
    private final int ratePerSecond;
    private final PrintStream out;
    private int httpPort;
    private volatile boolean stopped;

    public Demo(final String bootstrap, final Path stateDir, final long events, final int ratePerSecond,
                final PrintStream out) {
        this.bootstrap = bootstrap;
        this.stateDir = stateDir;
        this.events = events;
        this.ratePerSecond = ratePerSecond;
        this.out = out;
    }

    /** Serves the dashboard and {@code /metrics} on {@code port} while the demo runs; 0 (the default): not. */
    public Demo withHttpPort(final int port) {
        this.httpPort = port;
        return this;
    }

    /** Makes {@link #run} finish at its next progress line (from a shutdown hook, say). */
    public void stop() {
        stopped = true;
    }

    public void run() throws IOException {
        final EngineConfig config = EngineConfig.of(bootstrap, stateDir).withMetricsIntervalMs(1_000);
        try (Engine engine = Engine.start(config);
             EngineHttpServer http = httpPort == 0 ? null
                     : EngineHttpServer.start(engine, config, new InetSocketAddress(httpPort));
             AdminRequester admin = new AdminRequester(Map.of("bootstrap.servers", bootstrap))) {
            final JsonNode reply = Json.MAPPER.readTree(admin.request("{\"op\":\"create\",\"model\":\"" + MODEL
                    + "\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.1,\"l1\":0.5}}", "demo-create",
                    Duration.ofSeconds(60)));
            if (!reply.path("ok").asBoolean() && !reply.path("error").asText().contains("already exists")) {
                throw new IllegalStateException("could not create the demo model: " + reply.path("error").asText());
            }
            printIntro(http);
            final Thread producer = new Thread(this::produce, "demo-producer");
            producer.setDaemon(true);
            producer.start();
            follow(producer);
        }
    }

    private void printIntro(final EngineHttpServer http) {
        out.printf(Locale.ROOT, "%nEddy demo: FTRL click-through model '%s' learning from every event.%n", MODEL);
        out.printf(Locale.ROOT, "  broker:       %s%n", bootstrap);
        out.printf(Locale.ROOT, "  events in:    %s  (JSON: {\"id\",\"features\":{...},\"label\"})%n",
                Topics.input(MODEL));
        out.printf(Locale.ROOT, "  predictions:  %s%n", Topics.output(MODEL));
        out.printf(Locale.ROOT, "  metrics:      %s   rejected events: %s%n", Topics.METRICS, Topics.DLQ);
        out.printf(Locale.ROOT, "  admin:        %s (replies on %s)%n", Topics.ADMIN, Topics.ADMIN_REPLIES);
        if (http != null) {
            out.printf(Locale.ROOT, "  dashboard:    %s   (Prometheus: %smetrics)%n", http.url(), http.url());
        }
        out.println("From another terminal, for example:");
        out.printf(Locale.ROOT, "  kcat -b %s -C -t %s -X isolation.level=read_committed -o end%n", bootstrap,
                Topics.output(MODEL));
        out.printf(Locale.ROOT, "  ./eddy admin describe %s --bootstrap-servers %s%n", MODEL, bootstrap);
        out.printf(Locale.ROOT, "  ./eddy admin snapshot %s before-drift --bootstrap-servers %s%n", MODEL, bootstrap);
        out.printf(Locale.ROOT, "Streaming %,d events at %,d/s; the click model drifts at event %,d. Ctrl-C stops.%n%n",
                events, ratePerSecond, events / 2);
    }

    private void produce() {
        final ClickStream stream = ClickStream.builder().seed(2024).events(events).driftAt(events / 2).build();
        final long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; stream.hasNext() && !stopped; i++) {
                final long due = start + i * 1_000_000_000L / ratePerSecond;
                final long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    sleepNanos(wait);
                }
                final byte[] value = stream.next();
                producer.send(new ProducerRecord<>(Topics.input(MODEL), stream.key(), value));
            }
        }
    }

    /** Prints a progress line a second, summing the per-task metrics records of the demo model. */
    private void follow(final Thread producer) {
        final Map<String, JsonNode> latestPerTask = new HashMap<>();
        try (KafkaConsumer<String, byte[]> metrics = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(Topics.METRICS, 0);
            metrics.assign(List.of(partition));
            metrics.seekToEnd(List.of(partition));
            out.println("    events   events/s   log loss  (constant)     AUC   p99 ms  drift alarms   phase");
            long seen = 0;
            while (!stopped && (producer.isAlive() || seen < events)) {
                boolean news = false;
                for (final ConsumerRecord<String, byte[]> record : metrics.poll(Duration.ofMillis(1_000))) {
                    final JsonNode report = Json.read(record.value(), JsonNode.class);
                    if (MODEL.equals(report.path("model").asText())) {
                        latestPerTask.put(report.path("task").asText(), report);
                        news = true;
                    }
                }
                if (!news) {
                    continue; // a line only for new reports, not the same figures again
                }
                seen = 0;
                double rate = 0;
                long driftAlarms = 0;
                for (final JsonNode report : latestPerTask.values()) {
                    seen += report.path("seen").asLong();
                    rate += report.path("eventsPerSecond").asDouble();
                    driftAlarms += report.path("driftAlarms").asLong();
                }
                final JsonNode any = latestPerTask.values().iterator().next();
                out.printf(Locale.ROOT, "%10d %10.0f %10s %11s %7s %8s %13d   %s%n", seen, rate,
                        number(any, "logLoss", 4), "(" + number(any, "baselineLogLoss", 4) + ")",
                        number(any, "auc", 3), number(any, "p99Ms", 0), driftAlarms,
                        seen < events / 2 ? "before drift" : "AFTER DRIFT: watch the loss jump, then recover");
            }
        }
        out.println(stopped ? "Stopped." : "Done: every event was scored, then learned.");
    }

    private static String number(final JsonNode report, final String field, final int decimals) {
        final JsonNode value = report.get(field);
        return value == null || value.isNull() ? "-" : String.format(Locale.ROOT, "%." + decimals + "f",
                value.asDouble());
    }

    private static void sleepNanos(final long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
