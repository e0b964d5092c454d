package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' client 1.x keeps '.' and '-' in a sanitized name and only escapes them to '_' when writing. The
 * collector once de-duplicated families by the sanitized name, so a field such as "events.seen" or "queue-depth"
 * got a family of its own whose Prometheus name was another one's: the snapshots (two kinds under one name) or
 * the writer (the same labels twice) then refused the whole scrape.
 */
class ModelMetricsCollectorCollisionTest {
    @Test
    void shouldKeepScrapingWhenAFieldWithADotIsWrittenUnderAKnownSeriesName() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        // a gauge "eddy_model_events.seen", written as eddy_model_events_seen: the counter of "seen"
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("events.seen", 42));
        final String text = assertDoesNotThrow(() -> text(new ModelMetricsCollector(board, () -> 1_000).collect()),
                "one odd field fails no scrape");
        assertTrue(text.contains("eddy_model_events_seen_total{model=\"m\",task=\"0_1\"} 42"), text);
    }

    @Test
    void shouldKeepScrapingWhenTwoFieldsAreWrittenUnderOneName() {
        final ModelBoard board = new ModelBoard(10_000);
        board.definition("m", ModelBoardTest.definition("m", 1));
        // eddy_model_queue-depth and eddy_model_queue_depth: two families, one name once written
        board.report(ModelBoardTest.report("m", "0_1", 1_000, 42).put("queue-depth", 3).put("queueDepth", 4));
        assertDoesNotThrow(() -> text(new ModelMetricsCollector(board, () -> 1_000).collect()),
                "one odd field fails no scrape");
    }

    private static String text(final MetricSnapshots snapshots) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }
}
