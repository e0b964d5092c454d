package io.eddy.ops.bench;

import io.eddy.connectors.ratings.Interaction;
import io.eddy.connectors.ratings.RatingsGenerator;
import io.eddy.learners.bench.RecoLearnerBenchmark;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code eddy bench reco}: an implicit-feedback model end to end on one broker, the ratings
 * generator's interactions keyed by user (each user's factors in RocksDB, the items' rows in the
 * task's store), then the learners alone at 100,000 items of 64 factors ({@link RecoLearnerBenchmark}).
 */
public final class RecoBenchmark {
    private static final String INPUT = "bench.reco.in";
    private static final String OUTPUT = "bench.reco.out";
    private static final Duration WAIT = Duration.ofMinutes(10);
    static final int FACTORS = 64;

    private final String bootstrap;
    private final Path workDir;
    private final int events;
    private final int requests;
    private final PrintStream out;

    public RecoBenchmark(final String bootstrap, final Path workDir, final int events, final int requests,
                         final PrintStream out) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.events = events;
        this.requests = requests;
        this.out = out;
    }

    /** Runs everything and returns the last line: one JSON object. */
    public String run() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(OUTPUT, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        out.printf(Locale.ROOT, "producing %,d generated interactions to %s ...%n", events, INPUT);
        produce();
        out.printf(Locale.ROOT, "end to end: Eddy engine, one implicit model (%d factors, 4 negatives), exactly-once "
                + "...%n", FACTORS);
        final double e2e;
        try (Engine engine = Engine.start(EngineConfig.of(bootstrap, workDir.resolve("engine")));
             AdminRequester requester = new AdminRequester(Map.of("bootstrap.servers", bootstrap));
             TopicCounter counter = new TopicCounter(bootstrap, OUTPUT)) {
            requester.request("{\"op\":\"create\",\"model\":\"bench\",\"type\":\"implicit\",\"inputTopic\":\"" + INPUT
                    + "\",\"outputTopic\":\"" + OUTPUT + "\",\"params\":{\"factors\":" + FACTORS + "}}",
                    "bench-create", Duration.ofSeconds(60));
            e2e = counter.throughput(events, WAIT);
        }
        out.printf(Locale.ROOT, "  %,.0f interactions/s%n", e2e);
        final String learners = new RecoLearnerBenchmark(300_000, requests).run(out);
        return String.format(Locale.ROOT, "{\"events\":%d,\"e2e_interactions_per_s\":%.0f,%s", events, e2e,
                learners.substring(1));
    }

    private void produce() {
        final RatingsGenerator generator = new RatingsGenerator(RatingsGenerator.Config.defaults().withEvents(events));
        final Interaction event = new Interaction();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            while (generator.next(event)) {
                final String user = "u" + event.user();
                producer.send(new ProducerRecord<>(INPUT, user, ("{\"id\":\"e" + event.index() + "\",\"user\":\""
                        + user + "\",\"item\":\"i" + event.item() + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
