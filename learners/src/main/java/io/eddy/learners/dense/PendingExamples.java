package io.eddy.learners.dense;

import io.eddy.learners.api.DenseParameters;

/**
 * The labelled examples of a micro-batch that is not full yet, kept in the learner's parameters so
 * that they are persisted with the weights: after a restart the batch goes on where it stopped, and
 * its boundaries stay every {@code capacity} labelled events. A row is the input, the label and a
 * negative label (forward-forward's wrong label; unused by others).
 */
public final class PendingExamples {
    private final DenseParameters parameters;
    private final float[] values;
    private final int countAt;
    private final int at;
    private final int inputs;
    private final int capacity;
    /** The row the last {@link #add} overwrote, for {@link #dropLast}. */
    private final float[] overwritten;

    /**
     * @param countAt the float that holds how many rows are pending
     * @param at the first float of the rows, {@code capacity·(inputs + 2)} floats
     */
    public PendingExamples(final DenseParameters parameters, final int countAt, final int at, final int inputs,
                           final int capacity) {
        this.parameters = parameters;
        this.values = parameters.values();
        this.countAt = countAt;
        this.at = at;
        this.inputs = inputs;
        this.capacity = capacity;
        this.overwritten = new float[inputs + 2];
    }

    /** Floats the rows take. */
    public static int floats(final int inputs, final int capacity) {
        return capacity * (inputs + 2);
    }

    public int size() {
        return (int) values[countAt];
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size() == capacity;
    }

    /** Takes back the last {@link #add} (a step that used it was refused): the values are as before it. */
    public void dropLast() {
        values[countAt] = size() - 1;
        final int row = at + size() * (inputs + 2);
        System.arraycopy(overwritten, 0, values, row, inputs + 2);
        parameters.markChanged(row, inputs + 2);
        parameters.markChanged(countAt);
    }

    /** Appends a row; the caller checks that there is room. */
    public void add(final float[] x, final int label, final int negative) {
        final int row = at + size() * (inputs + 2);
        System.arraycopy(values, row, overwritten, 0, inputs + 2);
        System.arraycopy(x, 0, values, row, inputs);
        values[row + inputs] = label;
        values[row + inputs + 1] = negative;
        values[countAt] = size() + 1;
        parameters.markChanged(row, inputs + 2);
        parameters.markChanged(countAt);
    }

    /** Where row {@code i}'s input starts in the parameters' values. */
    public int input(final int i) {
        return at + i * (inputs + 2);
    }

    public int label(final int i) {
        return (int) values[input(i) + inputs];
    }

    public int negative(final int i) {
        return (int) values[input(i) + inputs + 1];
    }

    public void clear() {
        values[countAt] = 0;
        parameters.markChanged(countAt);
    }
}
