package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The messages of model merging: what a task sends, when, to whom, and which it merges. */
class ReplicasTest {
    /** Weights in two spans, the first longer than a message: 150,000 floats, then 10 after a gap. */
    private static final int[] SPANS = {0, 150_000, 200_000, 10};

    private static DenseParameters parameters(final float value) {
        final DenseParameters parameters = new DenseParameters(200_016, 1024);
        java.util.Arrays.fill(parameters.values(), value);
        return parameters;
    }

    @Test
    void shouldSendEverySpanInChunksEverySyncEveryUpdates() {
        final Replicas replicas = new Replicas(parameters(2f), SPANS, 3, 4, 100, 150);
        assertFalse(replicas.due(199), "a task (re)started at 150 updates syncs at 200, as one that ran on");
        assertTrue(replicas.due(200));
        final List<byte[]> sent = new ArrayList<>();
        assertEquals(4, replicas.send(7, 210, sent::add), "65,536 + 65,536 + 18,928 floats, then 10");
        long floats = 0;
        for (final byte[] message : sent) {
            final ByteBuffer value = ByteBuffer.wrap(message);
            assertEquals(1, value.get());
            assertEquals(7, value.getLong(), "the sender's generation");
            final int from = value.getInt();
            final int count = value.getInt();
            assertEquals(17 + 4 * count, message.length);
            assertTrue(count <= Replicas.CHUNK_FLOATS && message.length < (1 << 20) - 1024, "well within a record");
            assertEquals(2f, value.getFloat(17 + 4 * (count - 1)), "the weights themselves");
            assertTrue(from == 200_000 || from + count <= 150_000, "within a span: " + from);
            floats += count;
        }
        assertEquals(150_010, floats);
        assertFalse(replicas.due(299), "the next at the next multiple of syncEvery");
        assertTrue(replicas.due(300));
        replicas.restartAt(0);
        assertFalse(replicas.due(99), "a reset's update count restarts the count");
        assertEquals(3, ByteBuffer.wrap(replicas.key()).getInt(), "keyed by the sender's partition");
    }

    @Test
    void shouldMergeOnlyWellFormedWeightsOfTheSameGenerationFromAnotherPartition() {
        final List<byte[]> sent = new ArrayList<>();
        new Replicas(parameters(4f), SPANS, 1, 2, 1, 0).send(7, 1, sent::add);
        final DenseParameters mine = parameters(2f);
        final Replicas replicas = new Replicas(mine, SPANS, 0, 2, 1, 0);
        final byte[] fromOne = ByteBuffer.allocate(4).putInt(1).array();

        assertNotNull(replicas.merge(replicas.key(), sent.get(0), 7), "its own");
        assertNotNull(replicas.merge(fromOne, sent.get(0), 8), "another generation");
        assertNotNull(replicas.merge(fromOne, new byte[] {1, 2, 3}, 7), "too short");
        final byte[] outside = sent.get(3).clone();
        ByteBuffer.wrap(outside).putInt(9, 150_000);
        assertNotNull(replicas.merge(fromOne, outside, 7), "floats between the spans are not weights");
        final byte[] infinite = sent.get(3).clone();
        ByteBuffer.wrap(infinite).putFloat(17, Float.POSITIVE_INFINITY);
        assertNotNull(replicas.merge(fromOne, infinite, 7), "a non-finite weight");
        final byte[] cut = java.util.Arrays.copyOf(sent.get(3), sent.get(3).length - 4);
        assertNotNull(replicas.merge(fromOne, cut, 7), "fewer floats than it says");
        assertEquals(2f, mine.values()[200_000], "none of those changed a weight");

        for (final byte[] message : sent) {
            assertNull(replicas.merge(fromOne, message, 7));
        }
        assertEquals(3f, mine.values()[0], "halfway, with two partitions");
        assertEquals(3f, mine.values()[149_999]);
        assertEquals(3f, mine.values()[200_009]);
        assertEquals(2f, mine.values()[150_000], "what is not a weight is left alone");
        final int[] changed = new int[mine.blockCount()];
        assertTrue(mine.drainChanged(changed) > 0, "merged weights are stored with the next commit");
    }

    @Test
    void shouldSendToEveryPartitionButTheSenders() {
        final Replicas.OtherPartitions partitioner = new Replicas.OtherPartitions();
        final byte[] two = ByteBuffer.allocate(4).putInt(2).array();
        assertEquals(Set.of(0, 1, 3), partitioner.partitions("t", two, new byte[0], 4).orElseThrow());
    }
}
