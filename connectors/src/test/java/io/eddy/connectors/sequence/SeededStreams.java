package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

/** Checks the sequence tasks share: a seed fixes the stream. */
final class SeededStreams {
    private SeededStreams() {
    }

    /**
     * Asserts that {@code first} and {@code second} (same seed) give the same events, keys and bytes,
     * and end together; returns how many of them differ from those of {@code other} (another seed).
     */
    static int eventsDifferingFromOtherSeed(final SequenceStream first, final SequenceStream second,
                                            final SequenceStream other) {
        int different = 0;
        while (first.hasNext()) {
            final SequenceEvent a = first.next();
            final SequenceEvent b = second.next();
            assertEquals(a.key(), b.key(), "key of event " + a.index());
            final byte[] json = a.toJson();
            assertArrayEquals(json, b.toJson(), "event " + a.index());
            if (!Arrays.equals(json, other.next().toJson())) {
                different++;
            }
        }
        assertFalse(second.hasNext(), "the same seed gives as many events");
        return different;
    }
}
