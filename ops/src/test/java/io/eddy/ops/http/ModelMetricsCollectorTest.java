package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

class ModelMetricsCollectorTest {
    @Test
    void shouldExportEachReportedFigureWithTheModelAndTaskAsLabels() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("driftAlarms", 3).put("lastDriftAtEvent", 40)
                .put("lastDriftTimestamp", 900).put("someNewFigure", 7));
        final MetricSnapshots snapshots = new ModelMetricsCollector(board, () -> 1_000).collect();

        final MetricSnapshot seen = find(snapshots, "eddy_model_events_seen");
        assertInstanceOf(CounterSnapshot.class, seen);
        final DataPointSnapshot point = seen.getDataPoints().get(0);
        assertEquals("m", point.getLabels().get("model"));
        assertEquals("0_1", point.getLabels().get("task"));
        assertEquals(42, ((CounterSnapshot.CounterDataPointSnapshot) point).getValue());
        assertEquals(0.04, gauge(snapshots, "eddy_model_latency_p99_seconds"), 1e-12, "milliseconds to seconds");
        assertEquals(0, gauge(snapshots, "eddy_model_paused"), "false is 0");
        assertEquals(7, gauge(snapshots, "eddy_model_some_new_figure"), "a field the collector does not know");
        final MetricSnapshot alarms = find(snapshots, "eddy_model_drift_alarms");
        assertInstanceOf(CounterSnapshot.class, alarms, "alarms since the task started only count up");
        assertEquals(3, ((CounterSnapshot.CounterDataPointSnapshot) alarms.getDataPoints().get(0)).getValue());
        assertEquals(40, gauge(snapshots, "eddy_model_last_drift_at_event"));
        assertEquals(0.9, gauge(snapshots, "eddy_model_last_drift_timestamp_seconds"), 1e-12,
                "milliseconds to seconds");
        assertEquals(1, gauge(snapshots, "eddy_model_info"));
        assertFalse(snapshots.stream().anyMatch(s -> s.getMetadata().getName().equals("eddy_model_auc")),
                "a figure reported as null is left out, not exported as NaN");
    }

    /** A report from elsewhere on eddy.metrics with a negative count: that point is left out, not the scrape. */
    @Test
    void shouldLeaveOutACountThatIsNotOneAndExportTheRest() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("driftAlarms", -3));
        final MetricSnapshots snapshots = new ModelMetricsCollector(board, () -> 1_000).collect();
        assertFalse(snapshots.stream().anyMatch(s -> s.getMetadata().getName().equals("eddy_model_drift_alarms")));
        assertEquals(42, ((CounterSnapshot.CounterDataPointSnapshot) find(snapshots, "eddy_model_events_seen")
                .getDataPoints().get(0)).getValue());
    }

    private static double gauge(final MetricSnapshots snapshots, final String name) {
        return ((GaugeSnapshot) find(snapshots, name)).getDataPoints().get(0).getValue();
    }

    private static MetricSnapshot find(final MetricSnapshots snapshots, final String name) {
        return snapshots.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is exported"));
    }
}
