package io.eddy.streams.internal.model;

import io.eddy.learners.api.ParameterState;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Model merging for one task: every {@code syncEvery} learned events it sends the weights of its replica
 * ({@link io.eddy.learners.api.OnlineLearner#replicaSpans}) to the tasks of the model's other partitions,
 * through the model's replica topic, and moves its own weights 1/partitions of the way towards each
 * replica's it receives. Messages go in the task's transaction, and are read in the receiving task's, so
 * each is merged exactly once; one of another generation (sent before a reset, rollback or update that the
 * receiver has seen, or after one it has not) is not merged.
 *
 * <p>A message is a chunk of one span: its key the sender's partition (4 bytes), its value a version byte,
 * the sender's generation (8 bytes), the first float's index and the float count (4 bytes each), then the
 * floats, all big-endian.
 */
final class Replicas {
    /** Floats in one message: 256 KiB, well within a record's megabyte. */
    static final int CHUNK_FLOATS = 1 << 16;
    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + 8 + 4 + 4;

    private final ParameterState parameters;
    private final int[] spans;
    private final int partition;
    private final float share;
    private final long every;
    private final float[] chunk;
    private long sentAtUpdates;

    /**
     * @param spans pairs of first float and length: the learner's
     *     {@link io.eddy.learners.api.OnlineLearner#replicaSpans}
     * @param updates the task's update count now: the next sync comes when it reaches the next multiple of
     *     {@code every}, as it would have without the restart (the schedule is the update count's alone)
     */
    Replicas(final ParameterState parameters, final int[] spans, final int partition, final int partitions,
             final long every, final long updates) {
        this.parameters = parameters;
        this.spans = spans.clone();
        this.partition = partition;
        this.share = 1f / partitions;
        this.every = every;
        int longest = 0;
        for (int s = 1; s < spans.length; s += 2) {
            longest = Math.max(longest, spans[s]);
        }
        this.chunk = new float[Math.min(CHUNK_FLOATS, longest)];
        this.sentAtUpdates = boundary(updates);
    }

    /** The multiple of {@code syncEvery} at or below {@code updates}: where the last sync was due. */
    private long boundary(final long updates) {
        return updates - Math.floorMod(updates, every);
    }

    /** Whether {@code updates} has reached the multiple of {@code syncEvery} after the last sync. */
    boolean due(final long updates) {
        return updates - sentAtUpdates >= every;
    }

    /** Takes a reset or rollback's update count: the next sync comes at the next multiple of {@code syncEvery}. */
    void restartAt(final long updates) {
        sentAtUpdates = boundary(updates);
    }

    /** Sends this replica's weights as messages to {@code out}; returns how many. */
    int send(final long generation, final long updates, final Consumer<byte[]> out) {
        sentAtUpdates = boundary(updates);
        int messages = 0;
        for (int s = 0; s < spans.length; s += 2) {
            final int end = spans[s] + spans[s + 1];
            for (int from = spans[s]; from < end; from += chunk.length) {
                final int count = Math.min(chunk.length, end - from);
                parameters.copyOut(from, chunk, 0, count);
                final ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + 4 * count)
                        .put(VERSION).putLong(generation).putInt(from).putInt(count);
                value.asFloatBuffer().put(chunk, 0, count);
                out.accept(value.array());
                messages++;
            }
        }
        return messages;
    }

    /** The key of this task's messages: its partition. */
    byte[] key() {
        return ByteBuffer.allocate(4).putInt(partition).array();
    }

    /**
     * Merges a replica's message into this replica's weights.
     *
     * @return null when merged, else why not
     */
    String merge(final byte[] key, final byte[] value, final long generation) {
        if (key == null || key.length != 4 || value == null || value.length < HEADER_BYTES || value[0] != VERSION) {
            return "not a replica message of this engine";
        }
        if (ByteBuffer.wrap(key).getInt() == partition) {
            return "sent by this partition's task";
        }
        final ByteBuffer message = ByteBuffer.wrap(value, 1, value.length - 1);
        final long sentGeneration = message.getLong();
        if (sentGeneration != generation) {
            return "of generation " + sentGeneration + ", not " + generation;
        }
        final int from = message.getInt();
        final int count = message.getInt();
        if (count <= 0 || count > chunk.length || value.length != HEADER_BYTES + 4L * count
                || !inOneSpan(from, count)) {
            return "floats " + from + " to " + ((long) from + count) + " are not weights of this model";
        }
        message.asFloatBuffer().get(chunk, 0, count);
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(chunk[i])) {
                return "a weight is not finite";
            }
        }
        parameters.blend(from, chunk, 0, count, share);
        return null;
    }

    private boolean inOneSpan(final int from, final int count) {
        for (int s = 0; s < spans.length; s += 2) {
            if (from >= spans[s] && (long) from + count <= (long) spans[s] + spans[s + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Sends a task's message to every partition but its own (named by the key). */
    static final class OtherPartitions implements StreamPartitioner<byte[], byte[]> {
        @Override
        public Optional<Set<Integer>> partitions(final String topic, final byte[] key, final byte[] value,
                                                 final int partitionCount) {
            final int sender = ByteBuffer.wrap(key).getInt();
            final Set<Integer> others = new HashSet<>();
            for (int p = 0; p < partitionCount; p++) {
                if (p != sender) {
                    others.add(p);
                }
            }
            return Optional.of(others);
        }
    }
}
