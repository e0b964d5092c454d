package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.internal.admin.ControlMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot, rollback and reset of the forward-forward net and its backprop baseline through the
 * engine. Their weights live on the compute backend; after a rollback or a reset the backend's copy
 * must follow the restored values, and the unfinished micro-batch and Adam's moments must come back
 * too, so that the same events take the model to the same place twice.
 */
class FfControlTest {
    private static final String PROBE = "{\"id\":\"probe\",\"x\":[1,0,0.5,-0.5,0,1]}";

    @ParameterizedTest
    @ValueSource(strings = {"ff", "mlp"})
    void shouldRollBackExactlyAndStartAfreshOnReset(final String type) throws IOException {
        try (ModelDriver model = new ModelDriver(type, Map.of("inputs", 6, "outputs", 3, "layers", 2,
                "hidden", 8, "batch", 4, "learningRate", 0.01))) {
            final double[] untrained = ModelDriver.probabilities(model.ask("p", PROBE));
            model.feed(events(103, 1)); // 103 events: a micro-batch of 4 is three quarters full
            final JsonNode atSnapshot = model.ask("p", PROBE);
            assertEquals(103, atSnapshot.get("updates").asLong());
            model.send(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "v1"));
            model.feed(events(50, 2));
            assertFalse(Arrays.equals(ModelDriver.probabilities(atSnapshot),
                    ModelDriver.probabilities(model.ask("p", PROBE))), "training after the snapshot moves the model");

            model.send(new ControlMessage(ControlMessage.ROLLBACK, 2, null, "v1"));
            final JsonNode rolledBack = model.ask("p", PROBE);
            assertEquals(atSnapshot.get("updates").asLong(), rolledBack.get("updates").asLong());
            assertArrayEquals(ModelDriver.probabilities(atSnapshot), ModelDriver.probabilities(rolledBack),
                    "the backend computes with the snapshot's weights");
            model.feed(events(50, 3));
            final double[] afterTraining = ModelDriver.probabilities(model.ask("p", PROBE));
            model.send(new ControlMessage(ControlMessage.ROLLBACK, 3, null, "v1"));
            model.feed(events(50, 3));
            assertArrayEquals(afterTraining, ModelDriver.probabilities(model.ask("p", PROBE)),
                    "the pending micro-batch and Adam's moments came back with the weights");

            model.send(new ControlMessage(ControlMessage.RESET, 4, null, null));
            final JsonNode reset = model.ask("p", PROBE);
            assertEquals(0, reset.get("updates").asLong());
            assertArrayEquals(untrained, ModelDriver.probabilities(reset), "a reset starts from the seeded weights");
        }
    }

    /**
     * An event too large for the net, completing a micro-batch, makes its update overflow: it goes to the dead
     * letters, its micro-batch is dropped with it, and the model goes on learning from the next events as if
     * that micro-batch had never been. Kept, it would refuse every later update and the model would learn
     * nothing more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ff", "mlp"})
    void shouldDeadLetterAnEventTooLargeForTheNetAndGoOnLearning(final String type) throws IOException {
        try (ModelDriver model = new ModelDriver(type, Map.of("inputs", 6, "outputs", 3, "layers", 2,
                "hidden", 8, "batch", 4, "learningRate", 0.01))) {
            model.feed(events(103, 1)); // a micro-batch of 4 is three quarters full
            assertEquals(List.of(), model.deadLetterReasons());
            final String huge = "{\"id\":\"huge\",\"x\":[1e18,1e18,0,0,0,0],\"label\":0}";
            model.feed(List.<String[]>of(new String[] {"k0", huge}));
            final List<String> reasons = model.deadLetterReasons();
            assertEquals(1, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("not learned: "), reasons.get(0));
            assertTrue(reasons.get(0).endsWith("the 3 earlier events of its micro-batch are not learned either"),
                    reasons.get(0));
            assertEquals(100, model.ask("p", PROBE).get("updates").asLong(), "the micro-batch is dropped");

            final double[] before = ModelDriver.probabilities(model.ask("p", PROBE));
            model.feed(events(50, 2));
            assertEquals(List.of(), model.deadLetterReasons(), "the next micro-batches are learned");
            final JsonNode after = model.ask("p", PROBE);
            assertEquals(150, after.get("updates").asLong());
            assertFalse(Arrays.equals(before, ModelDriver.probabilities(after)), "the model moved");
        }
    }

    /** Seeded labelled events of 7 keys: the class is the largest of the first three inputs. */
    static List<String[]> events(final int n, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<String[]> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final StringBuilder x = new StringBuilder();
            int label = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 6; j++) {
                final double v = Math.round(random.nextDouble() * 100) / 100.0;
                x.append(j == 0 ? "" : ",").append(v);
                if (j < 3 && v > best) {
                    best = v;
                    label = j;
                }
            }
            events.add(new String[] {"k" + (i % 7), "{\"id\":\"t\",\"x\":[" + x + "],\"label\":" + label + "}"});
        }
        return events;
    }
}
