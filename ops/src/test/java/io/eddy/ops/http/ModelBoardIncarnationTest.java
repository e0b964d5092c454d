package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A model deleted and created again does not show the old model's curves. The board forgot them only when a
 * definition of another incarnation replaced one it held, not when the old model's reports reached it while it
 * held no definition (after the delete, or before the registry is read) or after the new definition (the
 * follower reads eddy.models and an hour of eddy.metrics at once on start); and a deleted model's late reports
 * were kept for ever.
 */
class ModelBoardIncarnationTest {
    private static final long STALE_AFTER_MS = 10_000;
    private static final long CREATED_AGAIN = 1_000_000;

    private static ObjectNode definition(final long incarnation, final long createdAtMs) {
        return ModelBoardTest.definition("m", incarnation)
                .put("createdAt", Instant.ofEpochMilli(createdAtMs).toString());
    }

    /** A report of the first incarnation: published before the model was created again. */
    private static ObjectNode oldReport(final long timestamp) {
        return ModelBoardTest.report("m", "0_0", timestamp, 500).put("incarnation", 1);
    }

    @Test
    void shouldNotShowReportsThatArriveAfterTheDeleteOnTheModelCreatedAgain() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        board.definition("m", definition(1, 0));
        board.report(oldReport(1_000));
        board.definition("m", null);
        // the last report the old tasks published, read after the registry's tombstone (two topics, no order)
        board.report(oldReport(2_000));
        board.definition("m", definition(2, CREATED_AGAIN));

        final JsonNode model = board.view("m", 0, Set.of(), CREATED_AGAIN).get("models").get(0);
        assertEquals(0, model.get("history").size(), "the old model's curve: " + model.get("history"));
        assertEquals(0, model.get("tasks").size(), "the old model's task: " + model.get("tasks"));
        assertEquals(0, model.get("summary").get("seen").asLong(), "the old model's counts summed into the new one's");
    }

    @Test
    void shouldNotShowAnEarlierIncarnationsReportsReplayedOnStart() {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        // on start: the registry (compacted) names incarnation 2, then the last hour of eddy.metrics is replayed,
        // which still has the reports incarnation 1 published before it was deleted
        board.definition("m", definition(2, CREATED_AGAIN));
        board.report(oldReport(CREATED_AGAIN - 600_000));
        board.report(oldReport(CREATED_AGAIN - 300_000));

        final JsonNode model = board.view("m", 0, Set.of(), CREATED_AGAIN).get("models").get(0);
        assertEquals(0, model.get("history").size(), "the old model's curve: " + model.get("history"));
        assertEquals(0, model.get("tasks").size(), "the old model's task: " + model.get("tasks"));
    }

    @Test
    void shouldForgetADeletedModelWhoseLastReportsArriveAfterTheDelete() throws Exception {
        final ModelBoard board = new ModelBoard(STALE_AFTER_MS);
        for (int i = 0; i < 1_000; i++) {
            final String name = "tmp-" + i;
            board.definition(name, ModelBoardTest.definition(name, i));
            board.report(ModelBoardTest.report(name, "0_0", i, i));
            board.definition(name, null);
            board.report(ModelBoardTest.report(name, "0_0", i + 1, i + 1));
        }
        assertEquals(0, board.definitions().size());
        final Field models = ModelBoard.class.getDeclaredField("models");
        models.setAccessible(true);
        assertEquals(0, ((Map<?, ?>) models.get(board)).size(),
                "every deleted model is still held, with up to " + ModelBoard.HISTORY_LIMIT + " reports each");
    }
}
