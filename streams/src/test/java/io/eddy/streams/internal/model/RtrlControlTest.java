package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.internal.admin.ControlMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Snapshot, rollback and reset of an rtrl model: the shared parameters (with Adam's moments and a
 * partly summed batch) come back exactly; reset also forgets every key's recurrent state.
 */
class RtrlControlTest {
    private static final String PROBE = "{\"id\":\"probe\",\"x\":[1,0,0,1]}";

    private ModelDriver model;

    @Test
    void shouldRollBackSharedParametersExactlyAndForgetKeyStatesOnReset() throws IOException {
        try (ModelDriver driver = new ModelDriver("rtrl", Map.of("inputs", 4, "outputs", 3, "hidden", 8, "task",
                "classification", "batch", 3))) {
            model = driver;
            train(200, "k", 1); // 200 events: a batch of 3 is partly summed when the snapshot is taken
            final JsonNode atSnapshot = ask("fresh-1");
            model.send(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "v1"));
            train(150, "k", 2);
            assertFalse(Arrays.equals(probabilities(atSnapshot), probabilities(ask("fresh-2"))),
                    "training after the snapshot moves the model");

            model.send(new ControlMessage(ControlMessage.ROLLBACK, 2, null, "v1"));
            final JsonNode rolledBack = ask("fresh-3");
            assertEquals(2, rolledBack.get("generation").asInt());
            assertEquals(atSnapshot.get("updates").asLong(), rolledBack.get("updates").asLong());
            assertArrayEquals(probabilities(atSnapshot), probabilities(rolledBack),
                    "a fresh key sees exactly the parameters of the snapshot");
            // Adam's moments and the partial batch sum came back too: the same events (of new keys, so
            // that no key's own state differs) take the rolled-back model to the same place twice
            train(150, "a", 3);
            final double[] afterRollbackTraining = probabilities(ask("fresh-4"));
            model.send(new ControlMessage(ControlMessage.ROLLBACK, 3, null, "v1"));
            train(150, "b", 3);
            assertArrayEquals(afterRollbackTraining, probabilities(ask("fresh-5")));

            model.send(new ControlMessage(ControlMessage.RESET, 4, null, null));
            final JsonNode reset = ask("fresh-6");
            assertEquals(0, reset.get("updates").asLong());
            train(30, "other", 4);
            assertArrayEquals(probabilities(ask("k0")), probabilities(ask("fresh-7")),
                    "after a reset a key trained before answers as a key never seen");
        }
    }

    /** Seeded labelled events of 5 keys, random labels: enough to move the parameters. */
    private void train(final int n, final String prefix, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<String[]> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int bit = random.nextInt(2);
            batch.add(new String[] {prefix + (i % 5), "{\"id\":\"t\",\"x\":[" + bit + "," + (1 - bit)
                    + ",0.5,-0.5],\"label\":" + random.nextInt(3) + "}"});
        }
        model.feed(batch);
    }

    private JsonNode ask(final String key) throws IOException {
        return model.ask(key, PROBE);
    }

    private static double[] probabilities(final JsonNode prediction) {
        return ModelDriver.probabilities(prediction);
    }
}
