package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A field of a report that the collector does not know is exported as eddy_model_&lt;snake case&gt;; when that
 * name is one another field has (directly, or once Prometheus' naming strips a reserved suffix such as _total
 * or _info), the first stays and the scrape goes on (a duplicate series failed the whole scrape).
 */
class ModelMetricsCollectorNamingTest {
    @Test
    void shouldKeepScrapingWhenAnUnknownFieldMapsOntoAKnownSeries() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        // "eventsSeenTotal" -> eddy_model_events_seen_total -> sanitized to eddy_model_events_seen, the name of "seen"
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("eventsSeenTotal", 42));
        final MetricSnapshots snapshots = assertDoesNotThrow(
                () -> new ModelMetricsCollector(board, () -> 1_000).collect(), "one odd field fails no scrape");
        final String text = assertDoesNotThrow(() -> text(snapshots));
        assertTrue(text.contains("eddy_model_events_seen_total{model=\"m\",task=\"0_1\"} 42"), text);
    }

    @Test
    void shouldKeepScrapingWhenTwoUnknownFieldsMapOntoOneName() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        // "queueDepth" and "queue_depth" (or "queueDepthInfo") are both eddy_model_queue_depth
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("queueDepth", 3).put("queueDepthInfo", 4));
        assertDoesNotThrow(() -> new ModelMetricsCollector(board, () -> 1_000).collect(),
                "one odd field fails no scrape");
    }

    private static String text(final MetricSnapshots snapshots) throws java.io.IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }
}
