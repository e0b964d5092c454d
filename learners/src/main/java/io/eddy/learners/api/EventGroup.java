package io.eddy.learners.api;

import java.util.function.Supplier;

/**
 * Events of distinct keys that a learner steps together ({@link OnlineLearner#step}): their
 * examples, their keys' states, and room for what the step gives back, outputs and losses. The
 * holder is reused: {@link #clear} empties it; {@link #next} is the example of the next free slot, to
 * fill before {@link #add} takes the slot.
 *
 * @param <E> the learner's example type
 */
public final class EventGroup<E> {
    private final Object[] examples;
    private final float[][] keyStates;
    private final float[][] outputs;
    private final boolean[] labelled;
    private final float[] losses;
    private final String[] notLearned;
    private final String[] notStepped;
    private final int[] earlierUnlearned;
    private int size;

    public EventGroup(final int capacity, final Supplier<E> newExample, final int keyStateSize,
                      final int outputSize) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a group holds at least one event, asked for " + capacity);
        }
        examples = new Object[capacity];
        keyStates = new float[capacity][keyStateSize];
        outputs = new float[capacity][outputSize];
        labelled = new boolean[capacity];
        losses = new float[capacity];
        notLearned = new String[capacity];
        notStepped = new String[capacity];
        earlierUnlearned = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            examples[i] = newExample.get();
        }
    }

    public int capacity() {
        return examples.length;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == examples.length;
    }

    public void clear() {
        size = 0;
    }

    /** The example holder of the next free slot, to decode into before {@link #add}. */
    public E next() {
        if (isFull()) {
            throw new IllegalStateException("the group is full (" + examples.length + " events)");
        }
        return example(size);
    }

    /**
     * Takes the next slot, whose {@link #next example} is filled; set its {@link #keyState} before the step.
     *
     * @param isLabelled whether the event carries a target, so that the step learns from it
     * @return the slot's index
     */
    public int add(final boolean isLabelled) {
        if (isFull()) {
            throw new IllegalStateException("the group is full (" + examples.length + " events)");
        }
        final int slot = size++;
        labelled[slot] = isLabelled;
        losses[slot] = Float.NaN;
        notLearned[slot] = null;
        notStepped[slot] = null;
        earlierUnlearned[slot] = 0;
        return slot;
    }

    @SuppressWarnings("unchecked")
    public E example(final int slot) {
        return (E) examples[slot];
    }

    public float[] keyState(final int slot) {
        return keyStates[slot];
    }

    public float[] output(final int slot) {
        return outputs[slot];
    }

    public boolean labelled(final int slot) {
        return labelled[slot];
    }

    /** The loss of the slot's prediction; NaN for an event without a target. */
    public float loss(final int slot) {
        return losses[slot];
    }

    /** Why a labelled event of a learning step was not learned (a refused non-finite update), or null. */
    public String notLearned(final int slot) {
        return notLearned[slot];
    }

    /**
     * Why the event was not stepped at all (its step would have made the key's state non-finite), or
     * null when it was. A slot not stepped keeps its key's state as it was, has no output and was not
     * learned from.
     */
    public String notStepped(final int slot) {
        return notStepped[slot];
    }

    /** Records that the slot's event was not stepped, and why; see {@link #notStepped}. */
    public void notStepped(final int slot, final String why) {
        notStepped[slot] = why;
    }

    /** Records the outcome of a labelled event: its loss, and why it was not learned (null if it was). */
    public void outcome(final int slot, final float loss, final String whyNotLearned) {
        losses[slot] = loss;
        notLearned[slot] = whyNotLearned;
    }

    /** Records a labelled event whose update was refused: its loss, and the refusal; see {@link #notLearned}. */
    public void refused(final int slot, final float loss, final NonFiniteUpdateException refusal) {
        outcome(slot, loss, refusal.getMessage());
        earlierUnlearned[slot] = refusal.earlierEventsUnlearned();
    }

    /**
     * How many events learned before this slot's (in this group or earlier ones) its refused update took back
     * with it: not learned after all. Zero but for a learner that drops a refused micro-batch whole.
     */
    public int earlierUnlearned(final int slot) {
        return earlierUnlearned[slot];
    }
}
