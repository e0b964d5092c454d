package io.eddy.ops.eval;

import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.rtrl.RtrlConfig;
import io.eddy.learners.rtrl.TruncatedBpttTrainer;
import io.eddy.ops.progress.ProgressBars;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * RTRL against truncated BPTT on one stream, the same net and optimiser, each method tried at every
 * learning rate of {@link #LEARNING_RATES} and compared at its best: neither figure rests on a step size
 * tuned for the other method. The runs are independent and deterministic, so they run in parallel and
 * give the same figures on any number of cores.
 */
public final class TraceComparison {
    /** Learning rates both methods are tried with: half-decades wide enough that each method's best lies inside. */
    public static final List<Double> LEARNING_RATES = List.of(0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03);

    /**
     * One method at one learning rate.
     *
     * @param mse mean squared error over the measured events it learned from
     * @param refused labelled events it could not learn from, measured or not (RTRL refused the step, or
     *     truncated BPTT's loss was not finite); a run with any is not a candidate for the best
     */
    public record Run(double learningRate, double mse, long refused) {
        boolean candidate() {
            return refused == 0 && Double.isFinite(mse);
        }
    }

    /** Every run of both methods, in the order of {@link #LEARNING_RATES}. */
    public record Result(List<Run> rtrl, List<Run> truncated) {
        /** RTRL's best run: the lowest error among runs that refused nothing; the first run when none did. */
        public Run bestRtrl() {
            return best(rtrl);
        }

        /** Truncated BPTT's best run, chosen as {@link #bestRtrl()} is. */
        public Run bestTruncated() {
            return best(truncated);
        }

        /** RTRL's best error over truncated BPTT's best. */
        public double ratio() {
            return bestRtrl().mse() / bestTruncated().mse();
        }

        private static Run best(final List<Run> runs) {
            return runs.stream().filter(Run::candidate).min(Comparator.comparingDouble(Run::mse))
                    .orElse(runs.get(0));
        }
    }

    private final LongFunction<SequenceStream> streams;
    private final long events;
    private final Map<String, Object> params;
    private final int window;

    /**
     * @param streams the stream of the given number of events, the same each time
     * @param params the net's rtrl parameters, as in an admin command, without the learning rate
     * @param window truncated BPTT's window
     */
    public TraceComparison(final LongFunction<SequenceStream> streams, final long events,
                           final Map<String, Object> params, final int window) {
        this.streams = streams;
        this.events = events;
        this.params = params;
        this.window = window;
    }

    /** Runs both methods at every learning rate, measuring the events from {@code events / 2} on. */
    public Result run(final ProgressBars bars, final String name) {
        final int rates = LEARNING_RATES.size();
        try (ProgressBars.Bar bar = bars.start(name + ", " + 2 * rates + " runs", 2 * rates * events, "events")) {
            // RTRL's runs first, then truncated BPTT's, each in the order of the rates
            final List<Callable<Run>> tasks = new ArrayList<>();
            for (final double rate : LEARNING_RATES) {
                tasks.add(() -> rtrl(CountedStream.sharing(streams.apply(events), bar), rate));
            }
            for (final double rate : LEARNING_RATES) {
                tasks.add(() -> truncated(CountedStream.sharing(streams.apply(events), bar), rate));
            }
            final List<Run> runs = inParallel(tasks);
            return new Result(runs.subList(0, rates), runs.subList(rates, 2 * rates));
        }
    }

    private Run rtrl(final SequenceStream stream, final double rate) {
        final LibraryRun.Figures figures = LibraryRun.run(stream, RtrlEvaluation.rtrl(withRate(rate)), true,
                events / 2, null);
        return new Run(rate, figures.meanLoss(), figures.refused());
    }

    private Run truncated(final SequenceStream stream, final double rate) {
        final TruncatedBpttTrainer trainer = new TruncatedBpttTrainer(
                RtrlConfig.from(RtrlEvaluation.resolve(withRate(rate))), window);
        final DenseExample example = new DenseExample();
        double sum = 0;
        long measured = 0;
        long refused = 0;
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            LibraryRun.fill(event, example);
            final double loss = trainer.step(example.input(), example);
            if (!example.labelled()) {
                continue;
            }
            if (!Double.isFinite(loss)) {
                refused++;
            } else if (event.index() >= events / 2) {
                sum += loss;
                measured++;
            }
        }
        return new Run(rate, measured == 0 ? Double.NaN : sum / measured, refused);
    }

    private Map<String, Object> withRate(final double rate) {
        final Map<String, Object> withRate = new HashMap<>(params);
        withRate.put("learningRate", rate);
        return withRate;
    }

    private static List<Run> inParallel(final List<Callable<Run>> tasks) {
        final int threads = Math.min(tasks.size(), Runtime.getRuntime().availableProcessors());
        final ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            final Thread thread = new Thread(task, "eval-trace");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final List<Run> runs = new ArrayList<>();
            for (final Future<Run> future : pool.invokeAll(tasks)) {
                runs.add(future.get());
            }
            return runs;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing RTRL with truncated BPTT", e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
