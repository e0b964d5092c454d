package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.connectors.sequence.HiddenStateEntities;
import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.ops.eval.LibraryRun;
import io.eddy.ops.eval.RtrlEvaluation;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An rtrl model through the engine learns exactly what the same learner learns as a library on the
 * same stream: per-key hidden states and sensitivities in RocksDB, carried across an engine restart
 * onto an empty state folder, give the same loss for every event, bit for bit. A second model on the
 * same input averages 8 events per update, so the engine steps groups of up to 8 distinct keys at
 * once; it too matches the library taking the events one by one.
 */
@Tag("integration")
class RtrlEngineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int KEYS = 200;
    static final int EVENTS = 4_000;
    static final Map<String, Object> PARAMS = Map.of("cell", "elstm", "inputs", 4, "outputs", 4,
            "hidden", 8, "task", "classification", "learningRate", 0.01);
    private static final int GROUP = 8;

    @Test
    void shouldLearnPerKeyExactlyAsTheLibraryDoesAcrossARestart() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        final String in = Topics.input("entities");
        final float[] expected = libraryLosses(PARAMS);
        final Map<String, Object> grouped = new java.util.HashMap<>(PARAMS);
        grouped.put("batch", GROUP);
        final float[] expectedGrouped = libraryLosses(grouped);

        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 1)) {
            final HiddenStateEntities stream = stream();
            Predictions out = null;
            Predictions outGrouped = null;
            Predictions outUncached = null;
            try {
                try (Engine engine = start(bootstrap)) {
                    final JsonNode created = admin.ok("{\"op\":\"create\",\"model\":\"entities\",\"type\":\"rtrl\","
                            + "\"params\":{\"cell\":\"elstm\",\"inputs\":4,\"outputs\":4,\"hidden\":8,"
                            + "\"task\":\"classification\",\"learningRate\":0.01}}");
                    assertEquals("elstm", created.get("params").get("cell").asText(), "choices read back by name");
                    admin.ok("{\"op\":\"create\",\"model\":\"grouped\",\"type\":\"rtrl\",\"inputTopic\":\"" + in
                            + "\",\"params\":{\"cell\":\"elstm\",\"inputs\":4,\"outputs\":4,\"hidden\":8,"
                            + "\"task\":\"classification\",\"learningRate\":0.01,\"batch\":" + GROUP + "}}");
                    // no key cache: every step reads its key's state from RocksDB and writes it back
                    admin.ok("{\"op\":\"create\",\"model\":\"uncached\",\"type\":\"rtrl\",\"inputTopic\":\"" + in
                            + "\",\"params\":{\"cell\":\"elstm\",\"inputs\":4,\"outputs\":4,\"hidden\":8,"
                            + "\"task\":\"classification\",\"learningRate\":0.01,\"keyCacheMB\":0}}");
                    out = new Predictions(bootstrap, Topics.output("entities"));
                    outGrouped = new Predictions(bootstrap, Topics.output("grouped"));
                    outUncached = new Predictions(bootstrap, Topics.output("uncached"));
                    send(events, stream, in, EVENTS / 2);
                    assertEquals(EVENTS / 2, out.awaitCount(EVENTS / 2, WAIT).size());
                    assertEquals(EVENTS / 2, outGrouped.awaitCount(EVENTS / 2, WAIT).size());
                    assertEquals(EVENTS / 2, outUncached.awaitCount(EVENTS / 2, WAIT).size());
                }
                // a new process with an empty state folder rebuilds parameters and every key's state
                try (Engine engine = start(bootstrap)) {
                    send(events, stream, in, EVENTS / 2);
                    events.send(in, "k000", "{\"id\":\"wrong-size\",\"x\":[1,2],\"label\":0}");
                    events.send(in, "k000", "{\"id\":\"unlabelled\",\"x\":[1,0,0,0]}");
                    events.flush();
                    final List<JsonNode> answers = out.awaitCount(EVENTS + 1, WAIT);
                    assertEquals(EVENTS + 1, answers.size(), "the wrong-size event goes to the dead letters");
                    assertSameLosses(expected, answers, "entities");
                    assertSameLosses(expectedGrouped, outGrouped.awaitCount(EVENTS + 1, WAIT), "grouped");
                    assertSameLosses(expected, outUncached.awaitCount(EVENTS + 1, WAIT), "uncached");
                    final JsonNode unlabelled = answers.get(EVENTS);
                    assertEquals("unlabelled", unlabelled.get("id").asText());
                    assertFalse(unlabelled.has("loss"));
                    assertEquals(4, unlabelled.get("probabilities").size());
                    assertTrue(unlabelled.get("class").asInt() >= 0);
                    try (Predictions dlq = new Predictions(bootstrap, Topics.DLQ)) {
                        final JsonNode letter = dlq.awaitMatch(l -> l.path("model").asText().equals("entities"),
                                WAIT);
                        assertNotNull(letter, "the wrong-size event is a dead letter of the model");
                        assertTrue(new String(Base64.getDecoder().decode(letter.get("original").asText()),
                                StandardCharsets.UTF_8).contains("wrong-size"), letter.toString());
                    }
                    admin.deleteAllModels();
                }
            } finally {
                if (out != null) {
                    out.close();
                }
                if (outGrouped != null) {
                    outGrouped.close();
                }
                if (outUncached != null) {
                    outUncached.close();
                }
            }
        }
    }

    /**
     * The losses of the learner run as a library, one event at a time; a net with {@code batch} > 1
     * steps on the CPU backend as the engine's model does, where the engine gathers events of up to
     * {@code batch} keys into one step wherever its commits fall.
     */
    static float[] libraryLosses(final Map<String, Object> params) {
        final float[] losses = new float[EVENTS];
        try (CpuBackend backend = new CpuBackend()) {
            LibraryRun.run(stream(), RtrlEvaluation.rtrl(params, backend), true, 0,
                    (index, loss) -> losses[(int) index] = loss);
        }
        return losses;
    }

    static void assertSameLosses(final float[] expected, final List<JsonNode> answers, final String model) {
        for (int i = 0; i < EVENTS; i++) {
            final JsonNode answer = answers.get(i);
            assertEquals("e" + i, answer.get("id").asText());
            assertEquals(expected[i], (float) answer.get("loss").asDouble(), 0f,
                    model + ": loss of event " + i + " differs from the library's");
        }
    }

    private static Engine start(final String bootstrap) throws java.io.IOException {
        return Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-rtrl"))
                .withComputeBackend("cpu"));
    }

    static HiddenStateEntities stream() {
        return HiddenStateEntities.builder().keys(KEYS).states(4).events(EVENTS).seed(5).build();
    }

    static void send(final Events events, final HiddenStateEntities stream, final String topic,
                             final int count) {
        for (int i = 0; i < count; i++) {
            final SequenceEvent event = stream.next();
            events.send(topic, event.key(), event.toJson());
        }
        events.flush();
    }
}
