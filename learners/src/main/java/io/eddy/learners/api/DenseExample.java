package io.eddy.learners.api;

import java.util.Arrays;

/**
 * A dense example: an input vector and, when labelled, either a regression target vector or a class
 * label. A mutable holder reused across events; its arrays grow as needed and are never shrunk, so
 * filling it allocates nothing once it has seen the largest event.
 */
public final class DenseExample {
    private float[] input = new float[16];
    private int inputSize;
    private float[] target = new float[4];
    private int targetSize;
    private boolean hasTarget;
    private int label = -1;

    /** Forgets input, target and label. */
    public void clear() {
        inputSize = 0;
        targetSize = 0;
        hasTarget = false;
        label = -1;
    }

    /** Makes room for {@code size} inputs and returns the array to write them into, from index 0. */
    public float[] input(final int size) {
        if (input.length < size) {
            input = Arrays.copyOf(input, Math.max(size, input.length * 2));
        }
        inputSize = size;
        return input;
    }

    /** The input array; its first {@link #inputSize()} floats are the input. */
    public float[] input() {
        return input;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Makes room for a regression target of {@code size} floats, marks it present and returns its array. */
    public float[] target(final int size) {
        if (target.length < size) {
            target = Arrays.copyOf(target, Math.max(size, target.length * 2));
        }
        targetSize = size;
        hasTarget = true;
        return target;
    }

    /** The target array; its first {@link #targetSize()} floats are the target when {@link #hasTarget()}. */
    public float[] target() {
        return target;
    }

    public int targetSize() {
        return targetSize;
    }

    /** Whether a regression target is present. */
    public boolean hasTarget() {
        return hasTarget;
    }

    /** Sets the class label, a non-negative index. */
    public void setLabel(final int label) {
        if (label < 0) {
            throw new IllegalArgumentException("label must be non-negative, got " + label);
        }
        this.label = label;
    }

    /** The class label, or -1 when there is none. */
    public int label() {
        return label;
    }

    /** Whether the example carries something to learn from: a target or a label. */
    public boolean labelled() {
        return hasTarget || label >= 0;
    }

    /** Copies {@code other} into this holder. */
    public void copyFrom(final DenseExample other) {
        System.arraycopy(other.input, 0, input(other.inputSize), 0, other.inputSize);
        if (other.hasTarget) {
            System.arraycopy(other.target, 0, target(other.targetSize), 0, other.targetSize);
        } else {
            hasTarget = false;
            targetSize = 0;
        }
        label = other.label;
    }
}
