package io.eddy.ops.bench;

import io.eddy.connectors.ratings.Interaction;
import io.eddy.connectors.ratings.RatingsGenerator;
import io.eddy.learners.bench.RecoLearnerBenchmark;
import io.eddy.ops.progress.ProgressBars;
import io.eddy.streams.api.EngineConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.HdrHistogram.Histogram;

/**
 * {@code eddy bench reco}: an implicit-feedback model end to end on one broker, the ratings
 * generator's interactions keyed by user (each user's factors in RocksDB, the items' rows in the
 * task's store): its rate over interactions produced beforehand, then the latency of interactions
 * produced at a steady rate; then the learners alone at 100,000 items of 64 factors ({@link RecoLearnerBenchmark}),
 * top-k requests one by one on the host and in batches on the compute backend named by {@code backend}.
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
    private final String backend;
    private final PrintStream out;
    private ProgressBars bars = ProgressBars.OFF;

    public RecoBenchmark(final String bootstrap, final Path workDir, final int events, final int requests,
                         final String backend, final PrintStream out) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.events = events;
        this.requests = requests;
        this.backend = backend;
        this.out = out;
    }

    /** Shows the producing and the end-to-end run as progress bars on {@code progressBars}. */
    public RecoBenchmark withProgress(final ProgressBars progressBars) {
        this.bars = progressBars;
        return this;
    }

    /** Runs everything and returns the last line: one JSON object. */
    public String run() throws Exception {
        EndToEnd.createTopics(bootstrap, INPUT, OUTPUT);
        out.printf(Locale.ROOT, "producing %,d generated interactions to %s ...%n", events, INPUT);
        produce();
        out.printf(Locale.ROOT, "end to end: Eddy engine, one implicit model (%d factors, 4 negatives), exactly-once "
                + "(this machine: %s) ...%n", FACTORS, EndToEnd.machine());
        final RatingsGenerator paced = new RatingsGenerator(RatingsGenerator.Config.defaults()
                .withEvents(EndToEnd.LATENCY_EVENTS).withSeed(43));
        final Interaction pacedEvent = new Interaction();
        final EndToEnd.Figures e2e = EndToEnd.run(EngineConfig.of(bootstrap, workDir.resolve("engine")),
                "{\"op\":\"create\",\"model\":\"bench\",\"type\":\"implicit\",\"inputTopic\":\"" + INPUT
                        + "\",\"outputTopic\":\"" + OUTPUT + "\",\"params\":{\"factors\":" + FACTORS + "}}",
                OUTPUT, events, WAIT, bars,
                producer -> EndToEnd.paced(EndToEnd.LATENCY_EVENTS, EndToEnd.LATENCY_RATE_PER_S, i -> {
                    paced.next(pacedEvent);
                    producer.send(record(pacedEvent, "p"));
                }));
        final Histogram latency = e2e.latency();
        out.printf(Locale.ROOT, "  %,.0f interactions/s%n", e2e.eventsPerS());
        out.printf(Locale.ROOT, "  latency of %,d more interactions at %,d/s, event time to visible prediction: %s%n",
                EndToEnd.LATENCY_EVENTS, EndToEnd.LATENCY_RATE_PER_S, EndToEnd.describe(latency));
        final String learners = new RecoLearnerBenchmark(300_000, requests).run(backend, out);
        return String.format(Locale.ROOT, "{\"events\":%d,\"e2e_interactions_per_s\":%.0f,\"p50_ms\":%d,"
                + "\"p99_ms\":%d,\"latency_rate_per_s\":%d,%s", events, e2e.eventsPerS(),
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), EndToEnd.LATENCY_RATE_PER_S,
                learners.substring(1));
    }

    private void produce() {
        final RatingsGenerator generator = new RatingsGenerator(RatingsGenerator.Config.defaults().withEvents(events));
        final Interaction event = new Interaction();
        try (KafkaProducer<String, byte[]> producer = EndToEnd.producer(bootstrap);
             ProgressBars.Bar bar = bars.start("producing", events, "events")) {
            while (generator.next(event)) {
                bar.stepTo(event.index() + 1);
                producer.send(record(event, "e"));
            }
        }
    }

    /** The interaction as an event keyed by its user, its id {@code idPrefix} and its index. */
    private static ProducerRecord<String, byte[]> record(final Interaction event, final String idPrefix) {
        final String user = "u" + event.user();
        return new ProducerRecord<>(INPUT, user, ("{\"id\":\"" + idPrefix + event.index() + "\",\"user\":\"" + user
                + "\",\"item\":\"i" + event.item() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
