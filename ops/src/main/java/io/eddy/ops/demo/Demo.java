package io.eddy.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceEvent;
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
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
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
 * {@code eddy demo}: against a running broker, starts the engine and three models, and prints live
 * progress from {@code eddy.metrics} once a second. An FTRL model learns a seeded click stream whose click
 * model drifts halfway. Beside it, a recurrent model and a stateless one learn the same stream of entities
 * whose class is a hidden state that only each entity's history reveals: the recurrent model, keeping
 * every entity's state in RocksDB, pulls ahead of the best a stateless model can do.
 */
public final class Demo {
    static final String MODEL = "ctr";
    static final String ENTITIES = "entities";
    static final String STATELESS = "entities-stateless";
    /** The entity stream runs at this fraction of the click stream's events and rate. */
    private static final int ENTITY_SHARE = 5;
    private static final int ENTITY_KEYS = 1_000;

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
            create(admin, MODEL, "{\"op\":\"create\",\"model\":\"" + MODEL
                    + "\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.1,\"l1\":0.5}}");
            create(admin, ENTITIES, "{\"op\":\"create\",\"model\":\"" + ENTITIES + "\",\"type\":\"rtrl\","
                    + "\"params\":{\"cell\":\"elstm\",\"inputs\":4,\"outputs\":4,\"hidden\":16,"
                    + "\"task\":\"classification\",\"learningRate\":0.01}}");
            create(admin, STATELESS, "{\"op\":\"create\",\"model\":\"" + STATELESS + "\",\"type\":\"mlp\","
                    + "\"inputTopic\":\"" + Topics.input(ENTITIES) + "\",\"params\":{\"inputs\":4,\"outputs\":4,"
                    + "\"layers\":1,\"hidden\":16,\"batch\":1,\"learningRate\":0.01}}");
            printIntro(http);
            final Thread clicks = new Thread(this::produceClicks, "demo-clicks");
            final Thread entities = new Thread(this::produceEntities, "demo-entities");
            for (final Thread producer : List.of(clicks, entities)) {
                producer.setDaemon(true);
                producer.start();
            }
            follow(clicks, entities);
        }
    }

    /** Sends a create; a model left by an earlier run on the same broker is taken as it is. */
    private static void create(final AdminRequester admin, final String model, final String command)
            throws IOException {
        final JsonNode reply = Json.MAPPER.readTree(admin.request(command, "demo-create-" + model,
                Duration.ofSeconds(60)));
        if (!reply.path("ok").asBoolean() && !reply.path("error").asText().contains("already exists")) {
            throw new IllegalStateException("could not create the demo model '" + model + "': "
                    + reply.path("error").asText());
        }
    }

    private long entityEvents() {
        return Math.max(1, events / ENTITY_SHARE);
    }

    private int entityRate() {
        return Math.max(1, ratePerSecond / ENTITY_SHARE);
    }

    private void printIntro(final EngineHttpServer http) {
        out.printf(Locale.ROOT, "%nEddy demo: three models, each learning from every event as it arrives.%n");
        out.printf(Locale.ROOT, "  %-19s FTRL on a click stream ({\"id\",\"features\":{...},\"label\"}); its click "
                + "model drifts at event %,d%n", MODEL, events / 2);
        out.printf(Locale.ROOT, "  %-19s RTRL (eLSTM) on %,d entities ({\"id\",\"x\":[4 floats],\"label\"}), each "
                + "entity's hidden state in RocksDB%n", ENTITIES, ENTITY_KEYS);
        out.printf(Locale.ROOT, "  %-19s a stateless MLP on the same events: the class is a hidden state that only%n"
                + "  %-19s an entity's history reveals, so it cannot pass ~0.55; a per-entity filter reaches ~0.73%n",
                STATELESS, "");
        out.printf(Locale.ROOT, "  broker:       %s%n", bootstrap);
        out.printf(Locale.ROOT, "  events in:    %s, %s%n", Topics.input(MODEL), Topics.input(ENTITIES));
        out.printf(Locale.ROOT, "  predictions:  %s, %s, %s%n", Topics.output(MODEL), Topics.output(ENTITIES),
                Topics.output(STATELESS));
        out.printf(Locale.ROOT, "  metrics:      %s   rejected events: %s%n", Topics.METRICS, Topics.DLQ);
        out.printf(Locale.ROOT, "  admin:        %s (replies on %s)%n", Topics.ADMIN, Topics.ADMIN_REPLIES);
        if (http != null) {
            out.printf(Locale.ROOT, "  dashboard:    %s   (Prometheus: %smetrics)%n", http.url(), http.url());
        }
        out.println("From another terminal, for example:");
        out.printf(Locale.ROOT, "  kcat -b %s -C -t %s -X isolation.level=read_committed -o end%n", bootstrap,
                Topics.output(MODEL));
        out.printf(Locale.ROOT, "  ./eddy admin describe %s --bootstrap-servers %s%n", ENTITIES, bootstrap);
        out.printf(Locale.ROOT, "  ./eddy admin snapshot %s before-drift --bootstrap-servers %s%n", MODEL, bootstrap);
        out.printf(Locale.ROOT, "Streaming %,d click events at %,d/s and %,d entity events at %,d/s. Ctrl-C stops.%n%n",
                events, ratePerSecond, entityEvents(), entityRate());
    }

    private void produceClicks() {
        final ClickStream stream = ClickStream.builder().seed(2024).events(events).driftAt(events / 2).build();
        produce(ratePerSecond, stream::hasNext, () -> {
            final byte[] value = stream.next();
            return new ProducerRecord<>(Topics.input(MODEL), stream.key(), value);
        });
    }

    private void produceEntities() {
        final HiddenStateEntities stream = HiddenStateEntities.builder().keys(ENTITY_KEYS).events(entityEvents())
                .seed(2024).build();
        produce(entityRate(), stream::hasNext, () -> {
            final SequenceEvent event = stream.next();
            return new ProducerRecord<>(Topics.input(ENTITIES), event.key(), event.toJson());
        });
    }

    /** Sends {@code next}'s records at {@code rate} a second while {@code more} says so and the demo runs. */
    private void produce(final int rate, final BooleanSupplier more,
                         final Supplier<ProducerRecord<String, byte[]>> next) {
        final long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; more.getAsBoolean() && !stopped; i++) {
                final long due = start + i * 1_000_000_000L / rate;
                final long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    sleepNanos(wait);
                }
                producer.send(next.get());
            }
        }
    }

    /** Prints a progress line a second, summing the per-task metrics records of each demo model. */
    private void follow(final Thread clicks, final Thread entities) {
        final Map<String, Map<String, JsonNode>> latest = new HashMap<>();
        for (final String model : List.of(MODEL, ENTITIES, STATELESS)) {
            latest.put(model, new HashMap<>());
        }
        try (KafkaConsumer<String, byte[]> metrics = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(Topics.METRICS, 0);
            metrics.assign(List.of(partition));
            metrics.seekToEnd(List.of(partition));
            out.printf(Locale.ROOT, "  %-64s | %s%n", MODEL + ": clicks", ENTITIES + ": hidden states, accuracy");
            out.println("    events   events/s   log loss  (constant)     AUC   p99 ms  alarms |    events     RTRL"
                    + "  stateless");
            long seen = 0;
            long entitiesSeen = 0;
            boolean driftAnnounced = false;
            while (!stopped && (clicks.isAlive() || entities.isAlive() || seen < events
                    || entitiesSeen < entityEvents())) {
                boolean news = false;
                for (final ConsumerRecord<String, byte[]> record : metrics.poll(Duration.ofMillis(1_000))) {
                    final JsonNode report = Json.read(record.value(), JsonNode.class);
                    final String model = report.path("model").asText();
                    final Map<String, JsonNode> tasks = latest.get(model);
                    if (tasks != null) {
                        tasks.put(report.path("task").asText(), report);
                        news |= model.equals(MODEL);
                    }
                }
                if (!news) {
                    continue; // a line a metrics interval, when the click model reports, with the others' latest
                }
                seen = (long) sum(latest.get(MODEL), "seen");
                entitiesSeen = (long) sum(latest.get(ENTITIES), "seen");
                if (!driftAnnounced && seen >= events / 2) {
                    driftAnnounced = true;
                    out.printf(Locale.ROOT, "  -- %s's click model has drifted: watch its log loss jump, an alarm, "
                            + "then the loss recover --%n", MODEL);
                }
                final JsonNode ctr = any(latest.get(MODEL));
                out.printf(Locale.ROOT, "%10d %10.0f %10s %11s %7s %8s %7d | %9d %8s %10s%n", seen,
                        sum(latest.get(MODEL), "eventsPerSecond"), number(ctr, "logLoss", 4),
                        "(" + number(ctr, "baselineLogLoss", 4) + ")", number(ctr, "auc", 3),
                        number(ctr, "p99Ms", 0), (long) sum(latest.get(MODEL), "driftAlarms"), entitiesSeen,
                        number(any(latest.get(ENTITIES)), "accuracy", 3),
                        number(any(latest.get(STATELESS)), "accuracy", 3));
            }
        }
        out.println(stopped ? "Stopped." : "Done: every event was scored, then learned.");
    }

    private static double sum(final Map<String, JsonNode> tasks, final String field) {
        double total = 0;
        for (final JsonNode report : tasks.values()) {
            total += report.path(field).asDouble();
        }
        return total;
    }

    /** A report of one of the model's tasks (the demo's models have one each), or null before the first. */
    private static JsonNode any(final Map<String, JsonNode> tasks) {
        return tasks.isEmpty() ? null : tasks.values().iterator().next();
    }

    private static String number(final JsonNode report, final String field, final int decimals) {
        final JsonNode value = report == null ? null : report.get(field);
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
