package io.eddy.ops.bench;

import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.learners.LearnerCatalog;
import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.eval.LibraryRun;
import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * {@code eddy bench rtrl}: an RTRL model end to end on one broker (many keys, each with its hidden
 * state and sensitivities in RocksDB), then the learner alone, without Kafka, from small to large
 * hidden sizes.
 */
public final class RtrlBenchmark {
    private static final String INPUT = "bench.rtrl.in";
    private static final String OUTPUT = "bench.rtrl.out";
    private static final Duration WAIT = Duration.ofMinutes(10);
    static final int KEYS = 10_000;
    static final int INPUTS = 16;
    static final int HIDDEN = 64;
    static final int[] LEARNER_HIDDEN = {64, 128, 256, 512, 1024};

    private final String bootstrap;
    private final Path workDir;
    private final int events;
    private final String cell;
    private final int batch;
    private final String backend;
    private final PrintStream out;

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

    /** Runs everything and returns the last line: one JSON object. */
    public String run() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 1, (short) 1), new NewTopic(OUTPUT, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        out.printf(Locale.ROOT, "producing %,d events of %,d keys (input %d, %d hidden states) to %s ...%n", events,
                KEYS, INPUTS, INPUTS, INPUT);
        produce();
        out.printf(Locale.ROOT, "end to end: Eddy engine, one rtrl model (cell %s, hidden %d, batch %d), exactly-once "
                + "...%n", cell, HIDDEN, batch);
        final double e2e;
        try (Engine engine = Engine.start(EngineConfig.of(bootstrap, workDir.resolve("engine")).withComputeBackend(
                backend));
             AdminRequester requester = new AdminRequester(Map.of("bootstrap.servers", bootstrap));
             TopicCounter counter = new TopicCounter(bootstrap, OUTPUT)) {
            requester.request("{\"op\":\"create\",\"model\":\"bench\",\"type\":\"rtrl\",\"inputTopic\":\"" + INPUT
                    + "\",\"outputTopic\":\"" + OUTPUT + "\",\"params\":{\"cell\":\"" + cell + "\",\"inputs\":"
                    + INPUTS + ",\"outputs\":" + INPUTS + ",\"hidden\":" + HIDDEN
                    + ",\"batch\":" + batch + ",\"task\":\"classification\"}}", "bench-create", Duration.ofSeconds(60));
            e2e = counter.throughput(events, WAIT);
        }
        final int bytesPerKey = ModelStateStore.entityBytes(learner(HIDDEN, null).keyStateSize());
        out.printf(Locale.ROOT, "  %,.0f events/s (%,d bytes of state per key)%n", e2e, bytesPerKey);

        final Map<Integer, Double> stepsPerS = new LinkedHashMap<>();
        final Map<Integer, Double> batchedPerS = new LinkedHashMap<>();
        final String backendName;
        try (ComputeBackend compute = batch > 1 ? Backends.select(backend).backend() : null) {
            backendName = compute == null ? "none" : compute.name();
            out.println("learner alone: keys' states in memory, one thread, no Kafka; one by one in double"
                    + (compute == null ? " ..." : ", and groups of keys batched on the " + backendName
                    + " backend in float32 ..."));
            for (final int hidden : LEARNER_HIDDEN) {
                final double rate = learnerAlone(hidden, null);
                stepsPerS.put(hidden, rate);
                if (compute == null) {
                    out.printf(Locale.ROOT, "  hidden %5d: %,12.0f steps/s%n", hidden, rate);
                    continue;
                }
                final double batched = learnerAlone(hidden, compute);
                batchedPerS.put(hidden, batched);
                out.printf(Locale.ROOT, "  hidden %5d: %,12.0f steps/s one by one, %,12.0f batched on %s (%.2fx)%n",
                        hidden, rate, batched, backendName, batched / rate);
            }
        }
        return String.format(Locale.ROOT, "{\"cell\":\"%s\",\"batch\":%d,\"keys\":%d,\"inputs\":%d,\"hidden\":%d,"
                        + "\"events\":%d,\"e2e_events_per_s\":%.0f,\"key_state_bytes\":%d,\"backend\":\"%s\","
                        + "\"learner_steps_per_s\":%s,\"batched_steps_per_s\":%s}",
                cell, batch, KEYS, INPUTS, HIDDEN, events, e2e, bytesPerKey, backendName, json(stepsPerS),
                json(batchedPerS));
    }

    private static String json(final Map<Integer, Double> rates) {
        final StringBuilder json = new StringBuilder("{");
        rates.forEach((hidden, rate) -> json.append(json.length() == 1 ? "" : ",")
                .append('"').append(hidden).append("\":").append(Math.round(rate)));
        return json.append('}').toString();
    }

    private void produce() {
        final HiddenStateEntities stream = stream(events, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            while (stream.hasNext()) {
                final SequenceEvent event = stream.next();
                producer.send(new ProducerRecord<>(INPUT, event.key(), event.toJson()));
            }
        }
    }

    private static HiddenStateEntities stream(final long events, final long seed) {
        return HiddenStateEntities.builder().keys(KEYS).states(INPUTS).events(events).seed(seed).build();
    }

    @SuppressWarnings("unchecked")
    private OnlineLearner<DenseExample> learner(final int hidden, final ComputeBackend compute) {
        final LearnerType<DenseExample> type = (LearnerType<DenseExample>) LearnerCatalog.find("rtrl");
        final Map<String, Object> params = Map.of("cell", cell, "inputs", INPUTS, "outputs", INPUTS, "hidden", hidden,
                "task", "classification", "batch", batch);
        final Map<String, Double> resolved = HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), params));
        return compute == null ? type.create(resolved) : type.create(resolved, compute);
    }

    /**
     * Steps per second of one learner over pre-generated events of many keys: one by one without a
     * backend, else in groups of distinct keys as the engine gathers them.
     */
    private double learnerAlone(final int hidden, final ComputeBackend compute) {
        final OnlineLearner<DenseExample> learner = learner(hidden, compute);
        // fewer keys at large sizes keep the states in memory: 1,000 keys of hidden 1024 are ~150 MB
        final int keys = Math.max(100, KEYS * HIDDEN / hidden / 4);
        final float[][] states = new float[keys][learner.keyStateSize()];
        final int distinct = 20_000;
        final DenseExample[] examples = new DenseExample[distinct];
        final int[] owners = new int[distinct];
        final HiddenStateEntities stream = HiddenStateEntities.builder().keys(keys).states(INPUTS).events(distinct)
                .seed(3).build();
        for (int i = 0; i < distinct; i++) {
            final SequenceEvent event = stream.next();
            examples[i] = new DenseExample();
            LibraryRun.fill(event, examples[i]);
            owners[i] = Integer.parseInt(event.key().substring(1));
        }
        final LearnerRun run = compute == null ? new OneByOne(learner, examples, owners, states)
                : new Grouped(learner, examples, owners, states);
        run.steps(Math.max(2_000, 2_000_000L / hidden));
        final long steps = Math.max(2_000, 20_000_000L / hidden);
        final long start = System.nanoTime();
        run.steps(steps);
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    /** Feeds a learner the events in a loop. */
    private interface LearnerRun {
        void steps(long count);
    }

    private record OneByOne(OnlineLearner<DenseExample> learner, DenseExample[] examples, int[] owners,
                            float[][] states, float[] output) implements LearnerRun {
        OneByOne(final OnlineLearner<DenseExample> learner, final DenseExample[] examples, final int[] owners,
                 final float[][] states) {
            this(learner, examples, owners, states, new float[learner.outputSize()]);
        }

        @Override
        public void steps(final long count) {
            for (long i = 0; i < count; i++) {
                final int e = (int) (i % examples.length);
                final float[] state = states[owners[e]];
                learner.predict(examples[e], state, output);
                learner.learn(examples[e], state);
            }
        }
    }

    /** Groups of consecutive events of distinct keys, up to the learner's capacity, as the engine makes them. */
    private static final class Grouped implements LearnerRun {
        private final OnlineLearner<DenseExample> learner;
        private final DenseExample[] examples;
        private final int[] owners;
        private final float[][] states;
        private final EventGroup<DenseExample> group;
        private final int[] groupKeys;
        private final boolean[] inGroup;
        private long next;

        Grouped(final OnlineLearner<DenseExample> learner, final DenseExample[] examples, final int[] owners,
                final float[][] states) {
            this.learner = learner;
            this.examples = examples;
            this.owners = owners;
            this.states = states;
            this.group = new EventGroup<>(learner.groupCapacity(), DenseExample::new, learner.keyStateSize(),
                    learner.outputSize());
            this.groupKeys = new int[learner.groupCapacity()];
            this.inGroup = new boolean[states.length];
        }

        @Override
        public void steps(final long count) {
            final long end = next + count;
            while (next < end) {
                final int e = (int) (next % examples.length);
                final int key = owners[e];
                if (inGroup[key] || group.isFull()) {
                    flush();
                }
                group.next().copyFrom(examples[e]);
                final int slot = group.add(true);
                groupKeys[slot] = key;
                inGroup[key] = true;
                System.arraycopy(states[key], 0, group.keyState(slot), 0, states[key].length);
                next++;
            }
            flush();
        }

        private void flush() {
            learner.step(group, true);
            for (int slot = 0; slot < group.size(); slot++) {
                System.arraycopy(group.keyState(slot), 0, states[groupKeys[slot]], 0, states[groupKeys[slot]].length);
                inGroup[groupKeys[slot]] = false;
            }
            group.clear();
        }
    }
}
