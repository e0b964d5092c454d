package io.eddy.learners.bench;

import io.eddy.kernels.Backends;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.ff.FfType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The forward-forward learner alone, without Kafka: events per second (each answered, then learned;
 * a training step every {@code batch} events) for a large net, 784-2000-2000-2000-2000, and a small
 * one, 784-500-500, on the CPU backend and, where a GPU is usable, on CUDA in the same run, with the
 * ratio. Events are stepped in groups of the learner's {@link OnlineLearner#groupCapacity}, as the
 * engine gathers them (answers in passes of many events); on the CPU also one at a time, the way
 * before groups, for the gain. Inputs are seeded random images (the GPU machine carries no dataset);
 * the arithmetic does not depend on the pixels. Runs inside {@code eddy bench ff} and alone
 * ({@link #main}) on a GPU machine.
 */
public final class FfLearnerBenchmark {
    private static final String USAGE = "usage: FfLearnerBenchmark [--backend auto|cpu|cuda] [--batch B]";
    private static final int INPUTS = 784;
    private static final int CLASSES = 10;
    /** Timed windows per figure, of which the median is reported. */
    private static final int WINDOWS = 3;
    private static final double MIN_WINDOW_SECONDS = 1.0;

    /** A net measured: its name, hidden layers and units per layer. */
    public record Net(String name, int layers, int hidden) {
    }

    /** The nets measured. */
    public static final List<Net> NETS = List.of(new Net("784-2000x4", 4, 2000), new Net("784-500x2", 2, 500));

    /** Events per second of one net on the CPU (in groups and one at a time) and on CUDA (NaN where not run). */
    public record Figure(Net net, double cpu, double cpuOneByOne, double cuda) {
    }

    private final int batch;

    public FfLearnerBenchmark(final int batch) {
        this.batch = batch;
    }

    public static void main(final String[] args) {
        String backend = "auto";
        int batch = 256;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println("ff learner benchmark: " + args[i] + " needs a value; " + USAGE);
                System.exit(2);
            }
            switch (args[i]) {
                case "--backend" -> backend = args[i + 1];
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("ff learner benchmark: unknown argument '" + args[i] + "'; " + USAGE);
                    System.exit(2);
                }
            }
        }
        final List<Figure> figures = new FfLearnerBenchmark(batch).run(backend, System.out);
        System.out.println(json(figures, batch));
    }

    /**
     * Measures every net on the CPU backend and, unless {@code backend} is {@code cpu}, on CUDA where it
     * opens ({@code cuda} fails without a GPU, {@code auto} then measures the CPU alone).
     */
    public List<Figure> run(final String backend, final PrintStream out) {
        final String choice = Backends.validate(backend);
        ComputeBackend cuda = null;
        if (!choice.equals("cpu")) {
            final Backends.Selection selection = Backends.select(choice);
            out.println(selection.reason());
            cuda = selection.backend().name().equals("cuda") ? selection.backend() : null;
            if (cuda == null) {
                selection.backend().close();
            }
        }
        final List<Figure> figures = new ArrayList<>();
        try (CpuBackend cpu = new CpuBackend()) {
            out.printf(Locale.ROOT, "ff learner alone: %d-pixel inputs, %d classes, a training step every %d events; "
                    + "CPU backend (%s)%s%n", INPUTS, CLASSES, batch, cpu.describe(), cuda == null ? "" : " and CUDA");
            for (final Net net : NETS) {
                final double onCpu = eventsPerSecond(net, cpu, true);
                final double oneByOne = eventsPerSecond(net, cpu, false);
                final double onCuda = cuda == null ? Double.NaN : eventsPerSecond(net, cuda, true);
                figures.add(new Figure(net, onCpu, oneByOne, onCuda));
                final String onGpu = cuda == null ? "" : String.format(Locale.ROOT,
                        "   cuda %,10.0f events/s   cuda/cpu %.1fx", onCuda, onCuda / onCpu);
                out.printf(Locale.ROOT, "  %-11s cpu %,10.0f events/s (one at a time %,.0f: %.1fx)%s%n", net.name(),
                        onCpu, oneByOne, onCpu / oneByOne, onGpu);
            }
        } finally {
            if (cuda != null) {
                cuda.close();
            }
        }
        return figures;
    }

    /**
     * Events per second of one net on one backend: the median of {@value #WINDOWS} timed windows, each
     * of whole training steps and at least {@value #MIN_WINDOW_SECONDS} s, after a warm-up window. One
     * short window would let a GPU's figure rest on a tenth of a second and a CPU's on one stretch of
     * a shared machine's speed, which moves the ratio between them from run to run.
     *
     * @param grouped events stepped in groups, else one at a time
     */
    public double eventsPerSecond(final Net net, final ComputeBackend backend, final boolean grouped) {
        final FfType type = new FfType();
        final Map<String, Object> given = new HashMap<>(Map.of("inputs", INPUTS, "outputs", CLASSES, "layers",
                net.layers(), "hidden", net.hidden(), "batch", batch));
        final OnlineLearner<DenseExample> learner = type.create(HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), given)), backend);
        final DenseExample[] examples = new DenseExample[batch];
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < batch; i++) {
            examples[i] = new DenseExample();
            final float[] x = examples[i].input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = random.nextInt(256) / 255f;
            }
            examples[i].setLabel(random.nextInt(CLASSES));
        }
        final Stepper stepper = new Stepper(learner, examples, grouped ? learner.groupCapacity() : 1);
        // at least two training steps, and about two seconds of work per window on a CPU to start with
        final long flopsPerEvent = 3L * CLASSES * INPUTS * net.hidden() + 3L * CLASSES * net.layers() * net.hidden()
                * net.hidden();
        long events = Math.max(2L * batch, (long) (4e10 / flopsPerEvent) / batch * batch);
        // warm-up, growing the window until it lasts long enough
        while (stepper.timed(events) < MIN_WINDOW_SECONDS) {
            events *= 2;
        }
        final double[] rates = new double[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            rates[w] = events / stepper.timed(events);
        }
        Arrays.sort(rates);
        return rates[WINDOWS / 2];
    }

    /** Feeds the examples over and over to a learner's {@link OnlineLearner#step}, in groups of a given size. */
    private static final class Stepper {
        private final OnlineLearner<DenseExample> learner;
        private final DenseExample[] examples;
        private final EventGroup<DenseExample> group;
        private long next;

        Stepper(final OnlineLearner<DenseExample> learner, final DenseExample[] examples, final int groupSize) {
            this.learner = learner;
            this.examples = examples;
            this.group = new EventGroup<>(groupSize, DenseExample::new, 0, learner.outputSize());
        }

        /** Seconds that {@code events} events take. */
        double timed(final long events) {
            final long start = System.nanoTime();
            for (long done = 0; done < events; ) {
                group.clear();
                while (!group.isFull() && done < events) {
                    group.next().copyFrom(examples[(int) (next++ % examples.length)]);
                    group.add(true);
                    done++;
                }
                learner.step(group, true);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /**
     * The figures as one JSON object: per net, events/s on the CPU (in groups, and one at a time) and on
     * CUDA (null where not run).
     */
    public static String json(final List<Figure> figures, final int batch) {
        final StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"benchmark\":\"ff\",\"batch\":%d,\"nets\":{", batch));
        for (int i = 0; i < figures.size(); i++) {
            final Figure f = figures.get(i);
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "\"%s\":{\"cpu_events_per_s\":%.1f,\"cpu_one_at_a_time_events_per_s\":%.1f,"
                            + "\"cuda_events_per_s\":%s,\"cuda_over_cpu\":%s}", f.net().name(),
                    f.cpu(), f.cpuOneByOne(),
                    Double.isNaN(f.cuda()) ? "null" : String.format(Locale.ROOT, "%.1f", f.cuda()),
                    Double.isNaN(f.cuda()) ? "null" : String.format(Locale.ROOT, "%.2f", f.cuda() / f.cpu())));
        }
        return json.append("}}").toString();
    }
}
