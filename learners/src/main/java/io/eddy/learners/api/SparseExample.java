package io.eddy.learners.api;

import java.util.Arrays;

/**
 * A reusable sparse example: hashed feature indices with values, and an optional label. The
 * arrays grow when an event has more features than any before it and are otherwise reused, so
 * decoding allocates nothing in the steady state.
 */
public final class SparseExample {
    private int[] indices = new int[16];
    private float[] values = new float[16];
    private int count;
    private float label;
    private boolean labelled;

    /** Forgets features and label. */
    public void clear() {
        count = 0;
        labelled = false;
        label = 0f;
    }

    /** Adds feature {@code index} (a hash, not yet reduced to the model's size) with {@code value}. */
    public void add(final int index, final float value) {
        if (count == indices.length) {
            indices = Arrays.copyOf(indices, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        indices[count] = index;
        values[count] = value;
        count++;
    }

    public void setLabel(final float label) {
        this.label = label;
        this.labelled = true;
    }

    public int count() {
        return count;
    }

    public int[] indices() {
        return indices;
    }

    public float[] values() {
        return values;
    }

    public float label() {
        return label;
    }

    public boolean labelled() {
        return labelled;
    }
}
