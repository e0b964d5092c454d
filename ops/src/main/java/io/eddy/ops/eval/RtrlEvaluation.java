package io.eddy.ops.eval;

import io.eddy.connectors.sequence.DelayedRecall;
import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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

    public RtrlEvaluation(final PrintStream out, final boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    /** Runs every task and returns the figures; prints a line per figure. */
    public Map<String, Object> run() {
        for (final int delay : RECALL_DELAYS) {
            recall(delay);
        }
        entities();
        return figures;
    }

    /** Events of the delayed-recall stream for delay {@code k}: the figure is measured on the last fifth. */
    public static long recallEvents(final int k) {
        return 2_000L * (k + 1) * 10;
    }

    /** (b) accuracy at recalling the token seen {@code k} steps earlier, over the last fifth of the stream. */
    public LibraryRun.Figures recall(final int k) {
        final long events = recallEvents(k);
        final SequenceStream stream = DelayedRecall.builder(k).events(events).seed(7).build();
        final OnlineLearner<DenseExample> learner = rtrl(Map.of("cell", "elstm", "inputs", stream.inputSize(),
                "outputs", stream.outputs(), "hidden", 16, "task", "classification", "learningRate", 0.01));
        final LibraryRun.Figures result = LibraryRun.run(stream, learner, true, events * 4 / 5, null);
        out.printf(Locale.ROOT, "delayed recall K=%-3d %,9d events: accuracy %.3f over the last %,d recalls"
                + " (chance %.3f)%n", k, events, result.accuracy(), result.measured(), 1.0 / stream.outputs());
        figures.put("recall_k" + k + "_accuracy", round(result.accuracy()));
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
        final LibraryRun.Figures stateful = LibraryRun.run(entityStream(events), rtrl(params), true, events / 2,
                null);
        final LibraryRun.Figures stateless = LibraryRun.run(entityStream(events), rtrl(params), false, events / 2,
                null);
        out.printf(Locale.ROOT, "10,000 entities %,9d events: loss %.4f with per-key state, %.4f stateless "
                        + "(ratio %.3f); accuracy %.3f vs %.3f%n", events, stateful.meanLoss(), stateless.meanLoss(),
                stateful.meanLoss() / stateless.meanLoss(), stateful.accuracy(), stateless.accuracy());
        figures.put("entities_loss", round(stateful.meanLoss()));
        figures.put("entities_stateless_loss", round(stateless.meanLoss()));
        figures.put("entities_loss_ratio", round(stateful.meanLoss() / stateless.meanLoss()));
        figures.put("entities_accuracy", round(stateful.accuracy()));
        figures.put("entities_stateless_accuracy", round(stateless.accuracy()));
        return new double[] {stateful.meanLoss(), stateless.meanLoss()};
    }

    static HiddenStateEntities entityStream(final long events) {
        return HiddenStateEntities.builder().keys(10_000).states(4).events(events).seed(11).build();
    }

    /** An rtrl learner with these parameters (names or numbers, as in an admin command). */
    @SuppressWarnings("unchecked")
    public static OnlineLearner<DenseExample> rtrl(final Map<String, Object> params) {
        final LearnerType<DenseExample> type = (LearnerType<DenseExample>) LearnerCatalog.find("rtrl");
        return type.create(HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), params)));
    }

    /** One JSON object of the figures, for the last line. */
    public static String json(final Map<String, Object> figures) {
        final StringBuilder json = new StringBuilder("{");
        figures.forEach((name, value) -> json.append(json.length() == 1 ? "" : ",").append('"').append(name)
                .append("\":").append(value instanceof Double d && !Double.isFinite(d) ? "null" : value));
        return json.append('}').toString();
    }

    private static double round(final double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
