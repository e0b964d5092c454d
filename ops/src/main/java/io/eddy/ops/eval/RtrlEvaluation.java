package io.eddy.ops.eval;

import io.eddy.connectors.sequence.DelayedRecall;
import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.connectors.sequence.TraceConditioning;
import io.eddy.learners.LearnerCatalog;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.ops.progress.ProgressBars;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code eddy eval rtrl}: the RTRL learner on the sequence tasks, each against its baseline measured
 * in the same run on the same stream. Library mode (no Kafka); the engine gives the same figures
 * because it runs the same learner on the same events in the same per-key order.
 */
public final class RtrlEvaluation {
    /** Delays of the delayed-recall task that are evaluated. */
    public static final int[] RECALL_DELAYS = {5, 20, 50};

    private final PrintStream out;
    private final boolean quick;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private ProgressBars bars = ProgressBars.OFF;

    public RtrlEvaluation(final PrintStream out, final boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    /** Shows each run's progress with {@code progress} (none by default). */
    public RtrlEvaluation withProgress(final ProgressBars progress) {
        this.bars = progress;
        return this;
    }

    /** Runs every task and returns the figures; prints a line per figure. */
    public Map<String, Object> run() {
        trace(false);
        trace(true);
        for (final int delay : RECALL_DELAYS) {
            recall(delay);
        }
        entities();
        return figures;
    }

    /** Truncation window of the BPTT baseline: shorter than every inter-stimulus interval. */
    public static final int BPTT_WINDOW = 4;

    /** Events of a trace task's stream: the figure is measured on the second half. */
    private long traceEvents() {
        return quick ? 300_000 : 1_000_000;
    }

    /**
     * (a) trace conditioning or patterning at Javed et al.'s intervals: mean squared error of the
     * prediction of the discounted future US over the second half of the stream, RTRL against truncated
     * BPTT of {@link #BPTT_WINDOW} steps, the same net and optimiser on the same events, each at its best
     * learning rate of {@link TraceComparison#LEARNING_RATES}.
     */
    public TraceComparison.Result trace(final boolean patterning) {
        final long events = traceEvents();
        final String task = patterning ? "trace_patterning" : "trace_conditioning";
        final Map<String, Object> params = Map.of("cell", "elstm", "inputs", traceStream(patterning, 1).inputSize(),
                "outputs", 1, "hidden", 16, "task", "regression");
        final String name = task.replace('_', ' ');
        final TraceComparison.Result result = new TraceComparison(n -> traceStream(patterning, n), events, params,
                BPTT_WINDOW).run(bars, name);
        out.printf(Locale.ROOT, "%s %,9d events, MSE over the second half at learning rates %s:%n", name, events,
                TraceComparison.LEARNING_RATES.stream().map(RtrlEvaluation::plain).collect(Collectors.joining(", ")));
        out.printf(Locale.ROOT, "  RTRL                       %s%n", errors(result.rtrl()));
        out.printf(Locale.ROOT, "  truncated BPTT (window %d)  %s%n", BPTT_WINDOW, errors(result.truncated()));
        final TraceComparison.Run rtrl = result.bestRtrl();
        final TraceComparison.Run truncated = result.bestTruncated();
        out.printf(Locale.ROOT, "%s: best MSE %.5f with RTRL (learning rate %s), %.5f with truncated BPTT (%s); "
                + "ratio %.3f%n", name, rtrl.mse(), plain(rtrl.learningRate()), truncated.mse(),
                plain(truncated.learningRate()), result.ratio());
        figures.put(task + "_rtrl_mse", Rounding.round6(rtrl.mse()));
        figures.put(task + "_rtrl_learning_rate", rtrl.learningRate());
        figures.put(task + "_tbptt_mse", Rounding.round6(truncated.mse()));
        figures.put(task + "_tbptt_learning_rate", truncated.learningRate());
        figures.put(task + "_ratio", Rounding.round(result.ratio()));
        if (rtrl.refused() > 0) {
            out.printf(Locale.ROOT, "  %s: every RTRL run refused events%n", task);
            figures.put(task + "_refused", rtrl.refused());
        }
        return result;
    }

    /** A learning rate as people write it: 0.0003, not 3.0E-4. */
    private static String plain(final double rate) {
        return new BigDecimal(Double.toString(rate)).stripTrailingZeros().toPlainString();
    }

    /** A run's error, or how many events it refused, for each learning rate. */
    private static String errors(final List<TraceComparison.Run> runs) {
        return runs.stream().map(run -> run.refused() > 0 ? String.format(Locale.ROOT, "%,d refused", run.refused())
                : String.format(Locale.ROOT, "%.5f", run.mse())).collect(Collectors.joining("  "));
    }

    /** Says so when the net refused events (its key state would have overflowed): they are not measured. */
    private void reportRefused(final String task, final LibraryRun.Figures run) {
        if (run.refused() > 0) {
            out.printf(Locale.ROOT, "  %s: %,d events refused, left out of the figure: the step would have made "
                    + "the key's state non-finite%n", task, run.refused());
            figures.put(task + "_refused", run.refused());
        }
    }

    static SequenceStream traceStream(final boolean patterning, final long events) {
        return TraceConditioning.builder().patterning(patterning).events(events).seed(3).build();
    }

    /** Events of the delayed-recall stream for delay {@code k}: the figure is measured on the last fifth. */
    public static long recallEvents(final int k) {
        return 2_000L * (k + 1) * 10;
    }

    /** (b) accuracy at recalling the token seen {@code k} steps earlier, over the last fifth of the stream. */
    public LibraryRun.Figures recall(final int k) {
        final long events = recallEvents(k);
        final SequenceStream stream = CountedStream.of(DelayedRecall.builder(k).events(events).seed(7).build(), bars,
                "delayed recall K=" + k);
        final OnlineLearner<DenseExample> learner = rtrl(Map.of("cell", "elstm", "inputs", stream.inputSize(),
                "outputs", stream.outputs(), "hidden", 16, "task", "classification", "learningRate", 0.01));
        final LibraryRun.Figures result = LibraryRun.run(stream, learner, true, events * 4 / 5, null);
        reportRefused("recall_k" + k, result);
        out.printf(Locale.ROOT, "delayed recall K=%-3d %,9d events: accuracy %.3f over the last %,d recalls"
                + " (chance %.3f)%n", k, events, result.accuracy(), result.measured(), 1.0 / stream.outputs());
        figures.put("recall_k" + k + "_accuracy", Rounding.round(result.accuracy()));
        figures.put("recall_k" + k + "_events", events);
        return result;
    }

    /**
     * (c) 10,000 entities interleaved at random: prequential loss of the RTRL net with each key's state
     * against the same net started from a zero state at every event.
     */
    public double[] entities() {
        final long events = quick ? 200_000 : 600_000;
        final Map<String, Object> params = Map.of("cell", "elstm", "inputs", 4, "outputs", 4, "hidden", 16,
                "task", "classification", "learningRate", 0.01);
        final LibraryRun.Figures stateful = LibraryRun.run(CountedStream.of(entityStream(events), bars,
                "10,000 entities, per-key state"), rtrl(params), true, events / 2, null);
        final LibraryRun.Figures stateless = LibraryRun.run(CountedStream.of(entityStream(events), bars,
                "10,000 entities, stateless"), rtrl(params), false, events / 2, null);
        out.printf(Locale.ROOT, "10,000 entities %,9d events: loss %.4f with per-key state, %.4f stateless "
                        + "(ratio %.3f); accuracy %.3f vs %.3f%n", events, stateful.meanLoss(), stateless.meanLoss(),
                stateful.meanLoss() / stateless.meanLoss(), stateful.accuracy(), stateless.accuracy());
        figures.put("entities_loss", Rounding.round(stateful.meanLoss()));
        figures.put("entities_stateless_loss", Rounding.round(stateless.meanLoss()));
        figures.put("entities_loss_ratio", Rounding.round(stateful.meanLoss() / stateless.meanLoss()));
        figures.put("entities_accuracy", Rounding.round(stateful.accuracy()));
        figures.put("entities_stateless_accuracy", Rounding.round(stateless.accuracy()));
        reportRefused("entities", stateful);
        return new double[] {stateful.meanLoss(), stateless.meanLoss(), stateful.refused()};
    }

    static HiddenStateEntities entityStream(final long events) {
        return HiddenStateEntities.builder().keys(10_000).states(4).events(events).seed(11).build();
    }

    /** An rtrl learner with these parameters (names or numbers, as in an admin command). */
    public static OnlineLearner<DenseExample> rtrl(final Map<String, Object> params) {
        return type().create(resolve(params));
    }

    /** An rtrl learner that steps on {@code backend} where its parameters make it use one ({@code batch} > 1). */
    public static OnlineLearner<DenseExample> rtrl(final Map<String, Object> params, final ComputeBackend backend) {
        return type().create(resolve(params), backend);
    }

    static Map<String, Double> resolve(final Map<String, Object> params) {
        return HyperParameters.resolve(type().hyperParameters(), HyperParameters.coerce(type().hyperParameters(),
                params));
    }

    @SuppressWarnings("unchecked")
    private static LearnerType<DenseExample> type() {
        return (LearnerType<DenseExample>) LearnerCatalog.find("rtrl");
    }

    /** One JSON object of the figures, for the last line. */
    public static String json(final Map<String, Object> figures) {
        final StringBuilder json = new StringBuilder("{");
        figures.forEach((name, value) -> json.append(json.length() == 1 ? "" : ",").append('"').append(name)
                .append("\":").append(value instanceof Double d && !Double.isFinite(d) ? "null" : value));
        return json.append('}').toString();
    }
}
