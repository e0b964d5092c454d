package io.eddy.learners.api;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The standard {@link ParameterState}: one {@code float[]} that learners read and write directly,
 * with a bit set and a list of changed blocks so that marking and draining allocate nothing.
 *
 * <p>A learner that computes on a device may leave the host copy behind ({@link #deferHostCopy}): the
 * newest values then come back only when something outside the learner reads or writes them, so
 * that a step on a GPU does not copy a whole model to the host for nobody.
 */
public final class DenseParameters implements ParameterState {
    /** A count is kept as two floats below 2^20 each, both exact as floats: counts up to 2^40. */
    private static final long COUNT_SPLIT = 1L << 20;

    private final float[] values;
    private final int blockShift;
    private final int blockCount;
    private final long[] changedBits;
    private final int[] changedList;
    private int changedCount;
    private long overwrites;
    /** Brings the newest values to the host when they are elsewhere; null when the host is current. */
    private Runnable hostCopy;

    /**
     * @param size number of floats
     * @param floatsPerBlock a power of two
     */
    public DenseParameters(final int size, final int floatsPerBlock) {
        if (size <= 0 || Integer.bitCount(floatsPerBlock) != 1) {
            throw new IllegalArgumentException("size must be positive and floatsPerBlock a power of two");
        }
        this.values = new float[size];
        this.blockShift = Integer.numberOfTrailingZeros(floatsPerBlock);
        this.blockCount = (size + floatsPerBlock - 1) >>> blockShift;
        this.changedBits = new long[(blockCount + 63) >>> 6];
        this.changedList = new int[blockCount];
    }

    /**
     * The floats themselves, current ({@link #syncHost}); writers must call {@link #markChanged} for each
     * index they write.
     */
    public float[] values() {
        syncHost();
        return values;
    }

    /**
     * Says that some values are newer elsewhere (on a device) than on the host, and how to bring them
     * here: {@code copy} runs once, at the next read or write from outside the learner or {@link #syncHost}.
     */
    public void deferHostCopy(final Runnable copy) {
        hostCopy = copy;
    }

    /** Brings deferred values to the host ({@link #deferHostCopy}); does nothing when it is current. */
    public void syncHost() {
        final Runnable copy = hostCopy;
        if (copy != null) {
            hostCopy = null;
            copy.run();
        }
    }

    /** Records that float {@code index} changed. */
    public void markChanged(final int index) {
        final int block = index >>> blockShift;
        final long bit = 1L << block;
        final int word = block >>> 6;
        if ((changedBits[word] & bit) == 0) {
            changedBits[word] |= bit;
            changedList[changedCount++] = block;
        }
    }

    /** Records that the {@code length} floats from {@code from} changed. */
    public void markChanged(final int from, final int length) {
        final int block = 1 << blockShift;
        for (int i = from; i < from + length; i += block) {
            markChanged(i);
        }
        markChanged(from + length - 1);
    }

    @Override
    public void copyOut(final int from, final float[] dst, final int offset, final int length) {
        syncHost();
        System.arraycopy(values, from, dst, offset, length);
    }

    @Override
    public void blend(final int from, final float[] other, final int offset, final int length, final float share) {
        syncHost();
        for (int i = 0; i < length; i++) {
            // in double, a convex combination: share 1 gives the other value exactly, and nothing overflows
            values[from + i] = (float) (values[from + i] * (1.0 - share) + other[offset + i] * (double) share);
        }
        markChanged(from, length);
        overwrites++;
    }

    /** The count kept at {@code at} and {@code at + 1} by {@link #writeCount}. */
    public long readCount(final int at) {
        return (long) values[at] * COUNT_SPLIT + (long) values[at + 1];
    }

    /** Keeps {@code count} (below 2^40) exactly in the floats at {@code at} and {@code at + 1}. */
    public void writeCount(final int at, final long count) {
        values[at] = count / COUNT_SPLIT;
        values[at + 1] = count % COUNT_SPLIT;
        markChanged(at, 2);
    }

    @Override
    public int blockCount() {
        return blockCount;
    }

    @Override
    public int floatsPerBlock() {
        return 1 << blockShift;
    }

    @Override
    public void readBlock(final int block, final FloatBuffer dst) {
        syncHost();
        final int from = block << blockShift;
        dst.put(values, from, Math.min(1 << blockShift, values.length - from));
    }

    @Override
    public void writeBlock(final int block, final FloatBuffer src) {
        // the blocks not written must be the newest too, since the learner refreshes its copy from all
        syncHost();
        final int from = block << blockShift;
        src.get(values, from, Math.min(1 << blockShift, values.length - from));
        overwrites++;
    }

    /**
     * How many times values were written from outside the learner ({@link #writeBlock}, {@link #clear}):
     * a learner that keeps a copy elsewhere (on a GPU) refreshes it when this moves.
     */
    public long overwrites() {
        return overwrites;
    }

    @Override
    public int drainChanged(final int[] out) {
        final int n = Math.min(out.length, changedCount);
        for (int i = 0; i < n; i++) {
            final int block = changedList[changedCount - 1 - i];
            out[i] = block;
            changedBits[block >>> 6] &= ~(1L << block);
        }
        changedCount -= n;
        return n;
    }

    @Override
    public void clear() {
        hostCopy = null;
        Arrays.fill(values, 0f);
        overwrites++;
        markAllChanged();
    }

    @Override
    public void markAllChanged() {
        for (int block = 0; block < blockCount; block++) {
            markChanged(block << blockShift);
        }
    }
}
