package io.eddy.learners.bench;

import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.rtrl.RtrlType;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rtrl learner alone, without Kafka: steps per second from hidden 64 to 1024, one event at a time
 * in double precision and, with {@code batch} > 1, in groups of distinct keys on a compute backend,
 * as the engine gathers them. Events are seeded random inputs and labels of many keys, each key with
 * its state in memory. Runs inside {@code eddy bench rtrl}, and alone ({@link #main}) on a GPU machine
 * that carries only the kernels' and learners' jars.
 */
public final class RtrlLearnerBenchmark {
    /** The hidden sizes measured. */
    public static final int[] HIDDEN = {64, 128, 256, 512, 1024};
    private static final String USAGE = "usage: RtrlLearnerBenchmark [--backend auto|cpu|cuda] [--batch B] "
            + "[--cell diagonal|elstm|mingru]";
    private static final int INPUTS = 16;
    private static final int DISTINCT_EVENTS = 20_000;

    private final String cell;
    private final int batch;
    private final int keysAtHidden64;

    /**
     * @param cell the recurrent cell
     * @param batch labelled events per update, and so keys stepped together on a backend
     * @param keysAtHidden64 keys at hidden 64; fewer at larger sizes, so that their states stay in memory
     */
    public RtrlLearnerBenchmark(final String cell, final int batch, final int keysAtHidden64) {
        this.cell = cell;
        this.batch = batch;
        this.keysAtHidden64 = keysAtHidden64;
    }

    /** Figures of one hidden size: steps/s one by one, and batched on the backend (NaN without one). */
    public record Figure(int hidden, double oneByOne, double batched) {
    }

    public static void main(final String[] args) {
        String backend = "auto";
        int batch = 32;
        String cell = "elstm";
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                System.err.println("rtrl learner benchmark: bad arguments; " + USAGE);
                System.exit(2);
            }
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--cell" -> cell = args[++i];
                default -> {
                    System.err.println("rtrl learner benchmark: unknown argument '" + args[i] + "'; " + USAGE);
                    System.exit(2);
                }
            }
        }
        final Backends.Selection selection = Backends.select(backend);
        System.out.println(selection.reason());
        try (ComputeBackend compute = selection.backend()) {
            final Map<Integer, Figure> figures = new RtrlLearnerBenchmark(cell, batch, 10_000).run(compute,
                    System.out);
            System.out.println(json(figures, compute.name(), cell, batch));
        }
    }

    /** Measures every hidden size, printing a line each; {@code compute} null measures one by one only. */
    public Map<Integer, Figure> run(final ComputeBackend compute, final PrintStream out) {
        final boolean batched = compute != null && batch > 1;
        out.println("learner alone: keys' states in memory, one thread, no Kafka; one by one in double"
                + (batched ? ", and groups of up to " + batch + " keys on the " + compute.name()
                + " backend in float32 ..." : " ..."));
        final Map<Integer, Figure> figures = new LinkedHashMap<>();
        for (final int hidden : HIDDEN) {
            final double oneByOne = stepsPerSecond(hidden, null);
            final double together = batched ? stepsPerSecond(hidden, compute) : Double.NaN;
            figures.put(hidden, new Figure(hidden, oneByOne, together));
            if (batched) {
                out.printf(Locale.ROOT, "  hidden %5d: %,12.0f steps/s one by one, %,12.0f batched on %s (%.2fx)%n",
                        hidden, oneByOne, together, compute.name(), together / oneByOne);
            } else {
                out.printf(Locale.ROOT, "  hidden %5d: %,12.0f steps/s%n", hidden, oneByOne);
            }
        }
        return figures;
    }

    /** The figures as JSON: {@code learner_steps_per_s} and {@code batched_steps_per_s} by hidden size. */
    public static String json(final Map<Integer, Figure> figures, final String backend, final String cell,
                              final int batch) {
        final StringBuilder oneByOne = new StringBuilder();
        final StringBuilder batched = new StringBuilder();
        for (final Figure f : figures.values()) {
            oneByOne.append(oneByOne.length() == 0 ? "" : ",").append('"').append(f.hidden()).append("\":")
                    .append(Math.round(f.oneByOne()));
            if (!Double.isNaN(f.batched())) {
                batched.append(batched.length() == 0 ? "" : ",").append('"').append(f.hidden()).append("\":")
                        .append(Math.round(f.batched()));
            }
        }
        return String.format(Locale.ROOT, "{\"cell\":\"%s\",\"batch\":%d,\"inputs\":%d,\"backend\":\"%s\","
                + "\"learner_steps_per_s\":{%s},\"batched_steps_per_s\":{%s}}", cell, batch, INPUTS, backend,
                oneByOne, batched);
    }

    /** Steps per second at one hidden size: one by one without a backend, else in groups on it. */
    public double stepsPerSecond(final int hidden, final ComputeBackend compute) {
        final RtrlType type = new RtrlType();
        final Map<String, Double> params = HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), Map.of("cell", cell, "inputs", INPUTS, "outputs",
                        INPUTS, "hidden", hidden, "task", "classification", "batch", batch)));
        final OnlineLearner<DenseExample> learner = compute == null ? type.create(params)
                : type.create(params, compute);
        final int keys = Math.max(100, keysAtHidden64 * 64 / hidden / 4);
        final float[][] states = new float[keys][learner.keyStateSize()];
        final DenseExample[] examples = new DenseExample[DISTINCT_EVENTS];
        final int[] owners = new int[DISTINCT_EVENTS];
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < DISTINCT_EVENTS; i++) {
            examples[i] = new DenseExample();
            final float[] x = examples[i].input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = (float) random.nextGaussian();
            }
            examples[i].setLabel(random.nextInt(INPUTS));
            owners[i] = random.nextInt(keys);
        }
        final Steps run = compute == null ? new OneByOne(learner, examples, owners, states)
                : new Grouped(learner, examples, owners, states);
        // about 2 s of one-by-one steps at every size on a 2-core machine (1,000,000 / hidden warm-up)
        run.steps(Math.max(1_000, 1_000_000L / hidden));
        final long steps = Math.max(2_000, 6_000_000L / hidden);
        final long start = System.nanoTime();
        run.steps(steps);
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    /** Feeds a learner the events in a loop. */
    private interface Steps {
        void steps(long count);
    }

    private record OneByOne(OnlineLearner<DenseExample> learner, DenseExample[] examples, int[] owners,
                            float[][] states, float[] output) implements Steps {
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
    private static final class Grouped implements Steps {
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
