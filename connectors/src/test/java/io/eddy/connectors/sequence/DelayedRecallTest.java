package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DelayedRecallTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        final DelayedRecall first = DelayedRecall.builder(5).seed(3).noise(0.1).events(3_000).build();
        final DelayedRecall second = DelayedRecall.builder(5).seed(3).noise(0.1).events(3_000).build();
        final DelayedRecall other = DelayedRecall.builder(5).seed(4).noise(0.1).events(3_000).build();
        final int different = SeededStreams.eventsDifferingFromOtherSeed(first, second, other);
        assertTrue(different > 2_000, "another seed gives other events: " + different);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 20, 50})
    void shouldLabelTheRecallStepWithTheTokenShownDelayStepsBefore(final int delay) throws IOException {
        final int episodes = 400;
        final DelayedRecall stream = DelayedRecall.builder(delay).seed(delay).events((delay + 1L) * episodes).build();
        assertEquals("delayed-recall", stream.name());
        assertEquals(6, stream.inputSize(), "4 tokens, store, recall");
        assertEquals(4, stream.outputs());
        assertTrue(stream.classification());
        final int[] shownAt = new int[(delay + 1) * episodes];
        final int[] labelCounts = new int[4];
        int labelled = 0;
        for (int t = 0; stream.hasNext(); t++) {
            final JsonNode node = MAPPER.readTree(stream.next().toJson());
            final JsonNode x = node.get("x");
            assertEquals(6, x.size());
            assertNull(node.get("y"));
            int hot = -1;
            for (int i = 0; i < 4; i++) {
                if (x.get(i).intValue() == 1) {
                    assertEquals(-1, hot, "one token at a time: " + x);
                    hot = i;
                }
            }
            shownAt[t] = hot;
            final boolean store = x.get(4).intValue() == 1;
            final boolean recall = x.get(5).intValue() == 1;
            final int phase = t % (delay + 1);
            assertEquals(phase == 0, store, "store flag at step " + t);
            assertEquals(phase == 0, hot >= 0, "token shown at step " + t);
            assertEquals(phase == delay, recall, "recall flag at step " + t);
            if (recall) {
                labelled++;
                final int label = node.get("label").intValue();
                assertEquals(shownAt[t - delay], label, "the token " + delay + " steps before step " + t);
                labelCounts[label]++;
            } else {
                assertNull(node.get("label"), "only the recall step is labelled: " + node);
            }
        }
        assertEquals(episodes, labelled);
        for (final int count : labelCounts) {
            assertTrue(count > episodes / 8, "tokens drawn uniformly: " + Arrays.toString(labelCounts));
        }
    }

    @Test
    void shouldPutNoiseOnTheTokenPartOfBlankStepsOnlyWhenAsked() {
        final DelayedRecall noisy = DelayedRecall.builder(3).noise(0.05).vocab(3).events(4_000).build();
        final DelayedRecall clean = DelayedRecall.builder(3).vocab(3).events(4).build();
        double sumSquares = 0;
        int values = 0;
        while (noisy.hasNext()) {
            final SequenceEvent event = noisy.next();
            final int phase = (int) (event.index() % 4);
            if (phase == 1 || phase == 2) {
                for (int i = 0; i < 3; i++) {
                    sumSquares += event.x()[i] * event.x()[i];
                    values++;
                }
                assertEquals(0, event.x()[3]);
                assertEquals(0, event.x()[4]);
            } else if (phase == 3) {
                assertArrayEquals(new float[] {0, 0, 0, 0, 1}, event.x(), "recall step is clean");
            }
        }
        assertEquals(0.05, Math.sqrt(sumSquares / values), 0.003, "noise standard deviation");
        clean.next();
        assertArrayEquals(new float[5], clean.next().x(), "no noise by default");
    }

    @Test
    void shouldInterleaveEntitiesRoundRobinEachWithItsOwnEpisodes() {
        final DelayedRecall stream = DelayedRecall.builder(2).keys(2).events(600).build();
        final int[][] tokens = new int[2][300];
        for (int t = 0; t < 300; t++) {
            for (int k = 0; k < 2; k++) {
                final SequenceEvent event = stream.next();
                assertEquals(Integer.toString(k), event.key());
                if (t % 3 == 0) {
                    tokens[k][t] = argmax(event.x(), 4);
                } else if (t % 3 == 2) {
                    assertEquals(tokens[k][t - 2], event.label());
                } else {
                    assertFalse(event.labelled());
                }
            }
        }
        assertFalse(Arrays.equals(tokens[0], tokens[1]), "entities draw their own tokens");
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(0));
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(5).vocab(1));
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(5).noise(-1));
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(5).keys(0));
    }

    private static int argmax(final float[] x, final int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
