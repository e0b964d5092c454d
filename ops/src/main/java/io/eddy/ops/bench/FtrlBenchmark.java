package io.eddy.ops.bench;

import io.eddy.connectors.synthetic.ClickStream;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.SparseExample;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.progress.ProgressBars;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.internal.model.SparseEventDecoder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * {@code eddy bench ftrl}: on one broker in one run, a plain Kafka Streams pass-through (same
 * serdes, exactly-once) against the FTRL model over the same events, event-to-prediction latency
 * at a steady rate, and the learner alone without Kafka.
 */
public final class FtrlBenchmark {
    private static final String INPUT = "bench.in";
    private static final String PASSTHROUGH_OUT = "bench.passthrough.out";
    private static final String FTRL_OUT = "bench.ftrl.out";
    private static final Duration WAIT = Duration.ofMinutes(5);

    /** What one run measured. */
    public record Result(long events, double passthroughEventsPerS, double ftrlEventsPerS, double p50Ms,
                         double p99Ms, double passthroughP50Ms, double passthroughP99Ms, double learnerUpdatesPerS,
                         long commitIntervalMs) {
        public double ratio() {
            return ftrlEventsPerS / passthroughEventsPerS;
        }

        public String json() {
            return String.format(java.util.Locale.ROOT,
                    "{\"events\":%d,\"passthrough_events_per_s\":%.0f,\"ftrl_events_per_s\":%.0f,\"ratio\":%.3f,"
                            + "\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"passthrough_p50_ms\":%.1f,"
                            + "\"passthrough_p99_ms\":%.1f,\"commit_interval_ms\":%d,"
                            + "\"learner_updates_per_s\":%.0f}",
                    events, passthroughEventsPerS, ftrlEventsPerS, ratio(), p50Ms, p99Ms, passthroughP50Ms,
                    passthroughP99Ms, commitIntervalMs, learnerUpdatesPerS);
        }
    }

    private final String bootstrap;
    private final Path workDir;
    private final int events;
    private final int latencyEvents;
    private final int latencyRatePerS;
    private final PrintStream out;
    private ProgressBars bars = ProgressBars.OFF;

    public FtrlBenchmark(final String bootstrap, final Path workDir, final int events, final PrintStream out) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.events = events;
        this.latencyRatePerS = 2_000;
        this.latencyEvents = 10_000;
        this.out = out;
    }

    /** Shows the producing and each throughput run as progress bars on {@code progressBars}. */
    public FtrlBenchmark withProgress(final ProgressBars progressBars) {
        this.bars = progressBars;
        return this;
    }

    public Result run() throws Exception {
        final long commitIntervalMs = EngineConfig.DEFAULT_COMMIT_INTERVAL_MS;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(PASSTHROUGH_OUT, 1, (short) 1),
                    new NewTopic(FTRL_OUT, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        out.printf("producing %,d synthetic click events to %s ...%n", events, INPUT);
        produce(events);

        out.println("pass-through: Kafka Streams, exactly-once, byte[] serdes ...");
        // a first pass warms the JVM (class loading, JIT) so the baseline is not penalised for going first
        out.printf("  warm-up pass: %,.0f events/s%n", passthrough("bench-passthrough-warmup", commitIntervalMs, null));
        final Histogram passthroughLatency = new Histogram(3_600_000L, 3);
        final double passthrough = passthrough("bench-passthrough", commitIntervalMs, passthroughLatency);
        out.printf("  %,.0f events/s; at %,d events/s: p50 %d ms, p99 %d ms%n", passthrough, latencyRatePerS,
                passthroughLatency.getValueAtPercentile(50), passthroughLatency.getValueAtPercentile(99));

        out.println("ftrl: Eddy engine, one FTRL model over the same events ...");
        try (Engine engine = Engine.start(EngineConfig.of(bootstrap, workDir.resolve("engine")));
             AdminRequester requester = new AdminRequester(Map.of("bootstrap.servers", bootstrap));
             TopicCounter counter = new TopicCounter(bootstrap, FTRL_OUT);
             ProgressBars.Bar bar = bars.start("ftrl", events + latencyEvents, "events")) {
            EndToEnd.createModel(requester, "{\"op\":\"create\",\"model\":\"bench\",\"type\":\"ftrl\",\"inputTopic\":\""
                    + INPUT + "\",\"outputTopic\":\"" + FTRL_OUT + "\"}");
            // the input also holds the pass-through's paced latency events by now: all go through the model
            final double ftrl = counter.throughput(events + latencyEvents, WAIT, bar);
            bar.close();
            out.printf("  %,.0f events/s (%.2f x pass-through)%n", ftrl, ftrl / passthrough);

            out.printf("latency: %,d events at %,d events/s, event time to visible prediction ...%n",
                    latencyEvents, latencyRatePerS);
            final Histogram latency = pacedLatency(counter);
            out.printf("  %s%n", EndToEnd.describe(latency));

            out.println("learner alone: predict + learn on pre-decoded events, one thread, no Kafka ...");
            final double learner = learnerAlone();
            out.printf("  %,.0f updates/s%n", learner);
            return new Result(events, passthrough, ftrl, latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99), passthroughLatency.getValueAtPercentile(50),
                    passthroughLatency.getValueAtPercentile(99), learner, commitIntervalMs);
        }
    }

    /** Streams paced events into the input while {@code counter} measures event-to-output latency. */
    private Histogram pacedLatency(final TopicCounter counter) throws InterruptedException {
        return EndToEnd.pacedLatency(bootstrap, counter, this::producePaced, latencyEvents, WAIT);
    }

    /** Runs a pass-through over the input; also measures paced latency into {@code latency} unless null. */
    private double passthrough(final String applicationId, final long commitIntervalMs, final Histogram latency)
            throws InterruptedException {
        final Topology topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), INPUT);
        topology.addSink("out", PASSTHROUGH_OUT, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
                "in");
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        props.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("passthrough").toString());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        try (TopicCounter counter = new TopicCounter(bootstrap, PASSTHROUGH_OUT);
             KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.start();
            final double throughput;
            try (ProgressBars.Bar bar = bars.start("pass-through", events, "events")) {
                throughput = counter.throughput(events, WAIT, bar);
            }
            if (latency != null) {
                latency.add(pacedLatency(counter));
            }
            return throughput;
        }
    }

    private void produce(final int count) {
        final ClickStream stream = ClickStream.builder().seed(1).events(count).build();
        try (KafkaProducer<String, byte[]> producer = EndToEnd.producer(bootstrap);
             ProgressBars.Bar bar = bars.start("producing", count, "events")) {
            for (long sent = 1; stream.hasNext(); sent++) {
                final byte[] value = stream.next();
                producer.send(new ProducerRecord<>(INPUT, stream.key(), value));
                bar.stepTo(sent);
            }
        }
    }

    private void producePaced(final KafkaProducer<String, byte[]> producer) {
        final ClickStream stream = ClickStream.builder().seed(2).events(latencyEvents).build();
        EndToEnd.paced(latencyEvents, latencyRatePerS, i -> {
            final byte[] value = stream.next();
            producer.send(new ProducerRecord<>(INPUT, stream.key(), value));
        });
    }

    @SuppressWarnings("unchecked")
    private double learnerAlone() {
        final LearnerType<SparseExample> type = (LearnerType<SparseExample>) LearnerCatalog.find("ftrl");
        final OnlineLearner<SparseExample> learner = type.create(HyperParameters.resolve(type.hyperParameters(),
                Map.of()));
        final int distinct = Math.min(events, 100_000);
        final SparseExample[] examples = new SparseExample[distinct];
        final SparseEventDecoder decoder = new SparseEventDecoder();
        final ClickStream stream = ClickStream.builder().seed(3).events(distinct).build();
        for (int i = 0; i < distinct; i++) {
            examples[i] = type.newExample();
            decoder.decode(stream.next(), examples[i]);
        }
        final float[] output = new float[1];
        final float[] noKeyState = new float[0];
        runLearner(learner, examples, output, noKeyState, 3 * distinct); // warm-up: let the JIT compile
        final long updates = 20L * distinct;
        final long start = System.nanoTime();
        runLearner(learner, examples, output, noKeyState, updates);
        return updates / ((System.nanoTime() - start) / 1e9);
    }

    private static void runLearner(final OnlineLearner<SparseExample> learner, final SparseExample[] examples,
                                   final float[] output, final float[] keyState, final long updates) {
        for (long i = 0; i < updates; i++) {
            final SparseExample example = examples[(int) (i % examples.length)];
            learner.predict(example, keyState, output);
            learner.learn(example, keyState);
        }
    }
}
