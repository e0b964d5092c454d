package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** JSON has no NaN or Infinity: an event never says them, and no task's settings can make one. */
class NonFiniteJsonTest {
    @Test
    void shouldRefuseToWriteANonFiniteValue() {
        final SequenceEvent event = new SequenceEvent(2, 0);
        event.begin("k", 0);
        event.x()[1] = Float.POSITIVE_INFINITY;
        final IllegalStateException refused = assertThrows(IllegalStateException.class, event::toJson);
        assertEquals("value 1 of an event is Infinity, which JSON cannot carry", refused.getMessage());
    }

    @Test
    void shouldRefuseASignalOrNoiseThatWouldOverflowAFloat() {
        // 1e39 is a finite double but an infinite float: every x[state] would have been Infinity
        assertEquals("signal must be in [-1e30, 1e30], got 1.0E39",
                assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().signal(1e39))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> HiddenStateEntities.builder().noise(1e31));
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(5).noise(1e31));
        assertThrows(IllegalArgumentException.class, () -> DelayedRecall.builder(5).noise(-1));
        final SequenceStream largest = HiddenStateEntities.builder().signal(-1e30).noise(1e30).keys(1).events(1_000)
                .build();
        while (largest.hasNext()) {
            largest.next().toJson(); // every value finite at the largest settings
        }
    }
}
