package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HiddenStateEntitiesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        final HiddenStateEntities first = HiddenStateEntities.builder().seed(5).events(3_000).build();
        final HiddenStateEntities second = HiddenStateEntities.builder().seed(5).events(3_000).build();
        final HiddenStateEntities other = HiddenStateEntities.builder().seed(6).events(3_000).build();
        assertEquals(3_000, SeededStreams.eventsDifferingFromOtherSeed(first, second, other),
                "another seed gives other events");
    }

    @Test
    void shouldWriteLabelledEventsKeyedByEntity() throws IOException {
        final HiddenStateEntities stream = HiddenStateEntities.builder().seed(2).events(20_000).build();
        assertEquals("hidden-state", stream.name());
        assertEquals(4, stream.inputSize());
        assertEquals(4, stream.outputs());
        assertTrue(stream.classification());
        final Map<String, Integer> perKey = new HashMap<>();
        final double[] sum = new double[4];
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            final JsonNode node = MAPPER.readTree(event.toJson());
            assertEquals("e" + event.index(), node.get("id").textValue());
            assertTrue(event.key().matches("k\\d{4}"), event.key());
            perKey.merge(event.key(), 1, Integer::sum);
            assertEquals(4, node.get("x").size());
            assertNull(node.get("y"));
            final int label = node.get("label").intValue();
            assertTrue(label >= 0 && label < 4, node.toString());
            for (int i = 0; i < 4; i++) {
                final double x = node.get("x").get(i).doubleValue();
                assertEquals(event.x()[i], (float) x, "the JSON says what the holder holds");
                assertEquals(x, Math.rint(x * 1e4) / 1e4, 1e-9, "4 decimals");
                sum[i] += x - (i == label ? 1 : 0);
            }
        }
        assertTrue(perKey.size() > 8_000, "entities picked uniformly among 10,000: " + perKey.size());
        for (final double s : sum) {
            assertEquals(0, s / 20_000, 0.03, "noise has mean 0");
        }
        assertTrue(HiddenStateEntities.builder().keys(10).events(1).build().next().key().matches("k\\d"));
    }

    @Test
    void shouldChangeAnEntitysStateWithTheStatedFrequency() {
        final HiddenStateEntities stream = HiddenStateEntities.builder().seed(3).keys(100).stay(0.9)
                .events(200_000).build();
        final int[] last = new int[100];
        Arrays.fill(last, -1);
        final long[] initial = new long[4];
        final long[][] moves = new long[4][4];
        long steps = 0;
        long changes = 0;
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            final int key = Integer.parseInt(event.key().substring(1));
            final int label = event.label();
            if (last[key] < 0) {
                initial[label]++;
            } else {
                steps++;
                if (label != last[key]) {
                    changes++;
                    moves[last[key]][label]++;
                }
            }
            last[key] = label;
        }
        // ~200,000 steps: the standard deviation of the change rate is ~0.0007
        assertEquals(0.1, (double) changes / steps, 0.004, "changes " + changes + " of " + steps);
        for (int from = 0; from < 4; from++) {
            for (int to = 0; to < 4; to++) {
                if (from != to) {
                    assertEquals(1 / 3.0, (double) moves[from][to] / Arrays.stream(moves[from]).sum(), 0.03,
                            "a move goes to any other state: " + Arrays.toString(moves[from]));
                }
            }
            assertTrue(initial[from] > 10, "first states uniform: " + Arrays.toString(initial));
        }
    }

    /**
     * The reason for this stream: a stateless classifier's best, argmax(x), against the exact HMM
     * forward filter of each key. With the defaults, measured here: argmax 0.552, filter 0.729.
     */
    @Test
    void shouldRewardAModelThatKeepsEachEntitysHistory() {
        final int events = 200_000;
        final HiddenStateEntities stream = HiddenStateEntities.builder().seed(1).events(events).build();
        final int states = stream.states();
        final double move = (1 - stream.stay()) / (states - 1);
        final double scale = stream.signal() / (stream.noise() * stream.noise());
        final Map<String, double[]> beliefs = new HashMap<>();
        final double[] likelihood = new double[states];
        long argmaxRight = 0;
        long filterRight = 0;
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            final float[] x = event.x();
            double[] belief = beliefs.get(event.key());
            if (belief == null) {
                belief = new double[states];
                Arrays.fill(belief, 1.0 / states);
                beliefs.put(event.key(), belief);
            } else {
                for (int i = 0; i < states; i++) {
                    belief[i] = stream.stay() * belief[i] + move * (1 - belief[i]);
                }
            }
            // p(x | state i) is proportional to exp(signal * x_i / noise^2): the other factors are common
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < states; i++) {
                likelihood[i] = scale * x[i];
                top = Math.max(top, likelihood[i]);
            }
            double total = 0;
            for (int i = 0; i < states; i++) {
                belief[i] *= Math.exp(likelihood[i] - top);
                total += belief[i];
            }
            for (int i = 0; i < states; i++) {
                belief[i] /= total;
            }
            argmaxRight += argmax(x) == event.label() ? 1 : 0;
            filterRight += argmax(belief) == event.label() ? 1 : 0;
        }
        final double argmaxAccuracy = (double) argmaxRight / events;
        final double filterAccuracy = (double) filterRight / events;
        System.out.printf("hidden-state, defaults, %d events: argmax(x) %.4f, forward filter %.4f%n", events,
                argmaxAccuracy, filterAccuracy);
        assertEquals(0.552, argmaxAccuracy, 0.01, "argmax(x) accuracy");
        assertTrue(filterAccuracy > argmaxAccuracy + 0.15, "the filter " + filterAccuracy + " vs argmax "
                + argmaxAccuracy);
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().states(1));
        assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().stay(1.5));
        assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().keys(0));
        assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().noise(-0.1));
    }

    private static int argmax(final float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argmax(final double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
