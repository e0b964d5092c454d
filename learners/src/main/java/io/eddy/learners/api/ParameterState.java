package io.eddy.learners.api;

import java.nio.FloatBuffer;

/**
 * A learner's dense model state seen as fixed-size blocks of floats, with tracking of which blocks
 * changed, so the engine persists only what learning touched. Block {@code b} covers floats
 * {@code [b * floatsPerBlock(), (b + 1) * floatsPerBlock())}.
 */
public interface ParameterState {

    int blockCount();

    int floatsPerBlock();

    /** Copies block {@code block} into {@code dst} at its position. */
    void readBlock(int block, FloatBuffer dst);

    /** Overwrites block {@code block} from {@code src}; does not mark it changed. */
    void writeBlock(int block, FloatBuffer src);

    /**
     * Moves up to {@code out.length} indices of blocks changed since they were last drained into
     * {@code out}, returns how many; 0 means none remain. Allocates nothing.
     */
    int drainChanged(int[] out);

    /** Copies the {@code length} floats from {@code from} into {@code dst} at {@code offset}. */
    void copyOut(int from, float[] dst, int offset, int length);

    /**
     * Moves the {@code length} floats from {@code from} a {@code share} of the way towards {@code other}'s
     * from {@code offset} (a replica's weights), marks them changed, and counts as a write from outside the
     * learner (a copy it keeps elsewhere is refreshed).
     */
    void blend(int from, float[] other, int offset, int length, float share);

    /** Zeroes every float and marks every block changed. */
    void clear();

    /** Marks every block changed, e.g. after a rollback replaced them all. */
    void markAllChanged();
}
