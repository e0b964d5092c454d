package io.eddy.ops.bench;

import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.bench.RtrlLearnerBenchmark;
import io.eddy.ops.eval.RtrlEvaluation;
import io.eddy.ops.progress.ProgressBars;
import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.EngineConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.HdrHistogram.Histogram;

/**
 * {@code eddy bench rtrl}: an RTRL model end to end on one broker (many keys, each with its hidden
 * state and sensitivities in RocksDB): its rate over events produced beforehand, then the latency of
 * events produced at a steady rate; then the learner alone, without Kafka, from small to large hidden
 * sizes.
 */
public final class RtrlBenchmark {
    private static final String INPUT = "bench.rtrl.in";
    private static final String OUTPUT = "bench.rtrl.out";
    private static final Duration WAIT = Duration.ofMinutes(10);
    static final int KEYS = 10_000;
    static final int INPUTS = 16;
    static final int HIDDEN = 64;

    private final String bootstrap;
    private final Path workDir;
    private final int events;
    private final String cell;
    private final int batch;
    private final String backend;
    private final PrintStream out;
    private ProgressBars bars = ProgressBars.OFF;

    /**
     * @param backend the compute backend ({@code auto}, {@code cpu} or {@code cuda}) of the engine's
     *     model and of the batched learner runs; only nets with {@code batch > 1} use it
     */
    public RtrlBenchmark(final String bootstrap, final Path workDir, final int events, final String cell,
                         final int batch, final String backend, final PrintStream out) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
        this.events = events;
        this.cell = cell;
        this.batch = batch;
        this.backend = backend;
        this.out = out;
    }

    /** Shows the producing and the end-to-end run as progress bars on {@code progressBars}. */
    public RtrlBenchmark withProgress(final ProgressBars progressBars) {
        this.bars = progressBars;
        return this;
    }

    /** Runs everything and returns the last line: one JSON object. */
    public String run() throws Exception {
        // a cell or batch the model would refuse is a usage error now, not after a million events
        try {
            RtrlEvaluation.rtrl(Map.of("cell", cell, "batch", batch));
        } catch (final InvalidConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        EndToEnd.createTopics(bootstrap, INPUT, OUTPUT);
        out.printf(Locale.ROOT, "producing %,d events of %,d keys (input %d, %d hidden states) to %s ...%n", events,
                KEYS, INPUTS, INPUTS, INPUT);
        produce();
        final String machine = EndToEnd.machine();
        out.printf(Locale.ROOT, "end to end: Eddy engine, one rtrl model (cell %s, hidden %d, batch %d), exactly-once "
                + "(this machine: %s) ...%n", cell, HIDDEN, batch, machine);
        final HiddenStateEntities pacedStream = stream(EndToEnd.LATENCY_EVENTS, 2);
        final EndToEnd.Figures e2e = EndToEnd.run(EngineConfig.of(bootstrap, workDir.resolve("engine"))
                .withComputeBackend(backend), "{\"op\":\"create\",\"model\":\"bench\",\"type\":\"rtrl\","
                + "\"inputTopic\":\"" + INPUT + "\",\"outputTopic\":\"" + OUTPUT + "\",\"params\":{\"cell\":\"" + cell
                + "\",\"inputs\":" + INPUTS + ",\"outputs\":" + INPUTS + ",\"hidden\":" + HIDDEN + ",\"batch\":" + batch
                + ",\"task\":\"classification\"}}", OUTPUT, events, WAIT, bars,
                producer -> EndToEnd.paced(EndToEnd.LATENCY_EVENTS, EndToEnd.LATENCY_RATE_PER_S, i -> {
                    final SequenceEvent event = pacedStream.next();
                    producer.send(new ProducerRecord<>(INPUT, event.key(), event.toJson()));
                }));
        final int bytesPerKey = ModelStateStore.entityBytes(RtrlEvaluation.rtrl(Map.of("cell", cell, "inputs", INPUTS,
                "outputs", INPUTS, "hidden", HIDDEN)).keyStateSize());
        out.printf(Locale.ROOT, "  %,.0f events/s (%,d bytes of state per key)%n", e2e.eventsPerS(), bytesPerKey);
        final Histogram latency = e2e.latency();
        out.printf(Locale.ROOT, "  latency of %,d more events at %,d events/s, event time to visible prediction: %s%n",
                EndToEnd.LATENCY_EVENTS, EndToEnd.LATENCY_RATE_PER_S, EndToEnd.describe(latency));

        final RtrlLearnerBenchmark learnerAlone = new RtrlLearnerBenchmark(cell, batch, KEYS);
        final Map<Integer, RtrlLearnerBenchmark.Figure> figures;
        final String backendName;
        try (ComputeBackend compute = batch > 1 ? Backends.select(backend).backend() : null) {
            backendName = compute == null ? "none" : compute.name();
            figures = learnerAlone.run(compute, out);
        }
        final String learnerJson = RtrlLearnerBenchmark.json(figures, backendName, cell, batch);
        return String.format(Locale.ROOT, "{\"keys\":%d,\"hidden\":%d,\"events\":%d,\"e2e_events_per_s\":%.0f,"
                + "\"p50_ms\":%d,\"p99_ms\":%d,\"latency_rate_per_s\":%d,\"key_state_bytes\":%d,\"machine\":\"%s\","
                + "%s", KEYS, HIDDEN, events, e2e.eventsPerS(), latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), EndToEnd.LATENCY_RATE_PER_S, bytesPerKey, machine,
                learnerJson.substring(1));
    }

    private void produce() {
        final HiddenStateEntities stream = stream(events, 1);
        try (KafkaProducer<String, byte[]> producer = EndToEnd.producer(bootstrap);
             ProgressBars.Bar bar = bars.start("producing", events, "events")) {
            for (long sent = 1; stream.hasNext(); sent++) {
                final SequenceEvent event = stream.next();
                producer.send(new ProducerRecord<>(INPUT, event.key(), event.toJson()));
                bar.stepTo(sent);
            }
        }
    }

    private static HiddenStateEntities stream(final long events, final long seed) {
        return HiddenStateEntities.builder().keys(KEYS).states(INPUTS).events(events).seed(seed).build();
    }
}
