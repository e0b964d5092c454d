package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.internal.json.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelBoardTest {
    private static final long STALE_AFTER_MS = 10_000;

    static ObjectNode definition(final String model, final long incarnation) {
        return Json.MAPPER.createObjectNode().put("name", model).put("type", "ftrl").put("status", "active")
                .put("generation", 1).put("incarnation", incarnation);
    }

    static ObjectNode report(final String model, final String task, final long timestamp, final long seen) {
        return Json.MAPPER.createObjectNode().put("model", model).put("task", task).put("timestamp", timestamp)
                .put("seen", seen).put("updates", seen).put("eventsPerSecond", 10.0).put("rejected", 1)
                .put("paused", false).put("p99Ms", 40).putNull("auc");
    }

    @Test
    void shouldShowOnlyModelsTheRegistryNames() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.report(report("m", "0_0", 1_000, 5));
        assertTrue(board.freshReports(1_000).isEmpty(), "a report of a model the registry does not name");
        assertEquals(0, board.view(null, 0, Set.of(), 1_000).get("models").size());

        board.definition("m", definition("m", 1));
        assertEquals(1, board.freshReports(1_000).size());
        assertEquals(1, board.view(null, 0, Set.of("m"), 1_000).get("models").size());

        board.definition("m", null);
        assertTrue(board.definitions().isEmpty(), "a deleted model is gone");
        assertTrue(board.freshReports(1_000).isEmpty());
    }

    @Test
    void shouldSumTheTasksLatestReportsAndMarkTheSilentOnesStale() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.definition("m", definition("m", 1));
        board.report(report("m", "0_0", 1_000, 5));
        board.report(report("m", "0_0", 2_000, 7));
        board.report(report("m", "0_1", 30_000, 3));
        final JsonNode model = board.view(null, 0, Set.of(), 30_000).get("models").get(0);
        assertEquals(10, model.get("summary").get("seen").asLong(), "the latest of each task: 7 + 3");
        assertEquals(2, model.get("summary").get("rejected").asLong());
        assertEquals(10.0, model.get("summary").get("eventsPerSecond").asDouble(), "only the reporting task's rate");
        assertTrue(model.get("tasks").get(0).get("stale").asBoolean(), "0_0 last reported 28 s ago");
        assertFalse(model.get("tasks").get(1).get("stale").asBoolean());
        assertEquals(1, board.freshReports(30_000).size(), "a silent task drops out of /metrics");
    }

    @Test
    void shouldSumTheTasksDriftAlarmsAndKeepTheLatestAlarmsTime() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.definition("m", definition("m", 1));
        board.report(report("m", "0_0", 1_000, 5));
        assertFalse(board.view(null, 0, Set.of(), 1_000).get("models").get(0).get("summary").has("driftAlarms"),
                "no drift figures from an engine that reports none");

        board.report(report("m", "0_0", 2_000, 7).put("driftAlarms", 2).put("lastDriftTimestamp", 1_500));
        board.report(report("m", "0_1", 2_000, 7).put("driftAlarms", 1).put("lastDriftTimestamp", 1_800));
        board.report(report("m", "0_2", 2_000, 7).put("driftAlarms", 0).putNull("lastDriftTimestamp"));
        final JsonNode summary = board.view(null, 0, Set.of(), 2_000).get("models").get(0).get("summary");
        assertEquals(3, summary.get("driftAlarms").asLong(), "2 + 1 + 0");
        assertEquals(1_800, summary.get("lastDriftTimestamp").asLong(), "the latest alarm of any task");

        final ModelBoard quiet = new ModelBoard(STALE_AFTER_MS);
        quiet.definition("m", definition("m", 1));
        quiet.report(report("m", "0_0", 1_000, 5).put("driftAlarms", 0).putNull("lastDriftTimestamp"));
        final JsonNode none = quiet.view(null, 0, Set.of(), 1_000).get("models").get(0).get("summary");
        assertEquals(0, none.get("driftAlarms").asLong());
        assertTrue(none.get("lastDriftTimestamp").isNull(), "no alarm yet");
    }

    @Test
    void shouldPageTheHistoryByArrivalAndForgetAnEarlierIncarnation() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.definition("m", definition("m", 1));
        for (int i = 1; i <= 5; i++) {
            board.report(report("m", "0_0", i * 1_000L, i));
        }
        final JsonNode all = board.view("m", 0, Set.of(), 5_000);
        assertEquals(5, all.get("lastSeq").asLong());
        assertEquals(5, all.get("models").get(0).get("history").size());
        final JsonNode newer = board.view("m", 3, Set.of(), 5_000).get("models").get(0).get("history");
        assertEquals(2, newer.size(), "only what arrived after seq 3");
        assertEquals(4, newer.get(0).get("seen").asLong());

        board.definition("m", definition("m", 2));
        final JsonNode again = board.view("m", 0, Set.of(), 5_000).get("models").get(0);
        assertEquals(0, again.get("history").size(), "a model created again starts with no curves");
        assertEquals(0, again.get("tasks").size());
    }

    @Test
    void shouldKeepABoundedHistory() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.definition("m", definition("m", 1));
        for (int i = 0; i < ModelBoard.HISTORY_LIMIT + 10; i++) {
            board.report(report("m", "0_0", i, i));
        }
        final JsonNode page = board.view("m", 0, Set.of(), 0).get("models").get(0).get("history");
        assertEquals(ModelBoard.PAGE_LIMIT, page.size(), "a first load is one page, the newest reports");
        assertEquals(ModelBoard.HISTORY_LIMIT + 9, page.get(page.size() - 1).get("seen").asLong());
    }
}
