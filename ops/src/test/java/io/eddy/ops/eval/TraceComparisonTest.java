package io.eddy.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.connectors.sequence.TraceConditioning;
import io.eddy.ops.progress.ProgressBars;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RTRL against truncated BPTT, each method at its best learning rate. */
class TraceComparisonTest {
    private static final long EVENTS = 4_000;
    private static final Map<String, Object> NET = Map.of("cell", "elstm", "inputs", 6, "outputs", 1,
            "hidden", 4, "task", "regression");

    @Test
    void shouldCompareTheLowestErrorsOfRunsThatRefusedNothing() {
        final TraceComparison.Result result = new TraceComparison.Result(
                List.of(new TraceComparison.Run(0.001, 0.5, 0), new TraceComparison.Run(0.003, 0.1, 3),
                        new TraceComparison.Run(0.01, 0.2, 0)),
                List.of(new TraceComparison.Run(0.001, Double.POSITIVE_INFINITY, 0),
                        new TraceComparison.Run(0.003, 0.4, 0)));
        assertEquals(0.01, result.bestRtrl().learningRate());
        assertEquals(0.003, result.bestTruncated().learningRate());
        assertEquals(0.5, result.ratio(), 1e-12);
    }

    @Test
    void shouldReportTheFirstRunWhenEveryRunRefusedEvents() {
        final TraceComparison.Result result = new TraceComparison.Result(
                List.of(new TraceComparison.Run(0.001, 0.5, 2), new TraceComparison.Run(0.003, 0.1, 3)),
                List.of(new TraceComparison.Run(0.001, 0.4, 0)));
        assertEquals(2, result.bestRtrl().refused(), "a refusing best run is visible to the caller");
    }

    @Test
    void shouldRunBothMethodsAtEveryRateInParallelAsEachWouldAlone() {
        final TraceComparison comparison = new TraceComparison(TraceComparisonTest::stream, EVENTS, NET, 4);
        final TraceComparison.Result result = comparison.run(ProgressBars.OFF, "trace conditioning");
        assertEquals(TraceComparison.LEARNING_RATES, result.rtrl().stream().map(TraceComparison.Run::learningRate)
                .toList());
        assertEquals(TraceComparison.LEARNING_RATES, result.truncated().stream()
                .map(TraceComparison.Run::learningRate).toList());
        for (final TraceComparison.Run run : result.rtrl()) {
            final Map<String, Object> params = new HashMap<>(NET);
            params.put("learningRate", run.learningRate());
            final LibraryRun.Figures alone = LibraryRun.run(stream(EVENTS), RtrlEvaluation.rtrl(params), true,
                    EVENTS / 2, null);
            assertEquals(alone.meanLoss(), run.mse(), "RTRL at " + run.learningRate());
            assertEquals(0, run.refused());
        }
        assertEquals(result, comparison.run(ProgressBars.OFF, "again"), "the same figures every time");
        assertNotEquals(result.rtrl().get(1).mse(), result.truncated().get(1).mse(),
                "a window shorter than the interval gives other gradients than RTRL's");
    }

    private static SequenceStream stream(final long events) {
        return TraceConditioning.builder().isi(6, 8).iti(10, 14).events(events).seed(5).build();
    }
}
