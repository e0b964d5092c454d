package io.eddy.connectors.sequence;

import java.util.NoSuchElementException;

/**
 * What every {@link SequenceStream} shares: its shape, the count of events and the reusable holder.
 * A subclass only fills the next event in {@link #fill}.
 */
public abstract class AbstractSequenceStream implements SequenceStream {
    private final String name;
    private final int inputSize;
    private final int outputs;
    private final boolean classification;
    private final long totalEvents;
    private final SequenceEvent event;
    private long index = -1;

    protected AbstractSequenceStream(final String name, final int inputSize, final int outputs,
                                     final boolean classification, final long totalEvents) {
        if (totalEvents < 0) {
            throw new IllegalArgumentException("events must be >= 0, got " + totalEvents);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.outputs = outputs;
        this.classification = classification;
        this.totalEvents = totalEvents;
        this.event = new SequenceEvent(inputSize, classification ? 0 : outputs);
    }

    /**
     * Fills {@code event} as the event at {@code index}: calls {@link SequenceEvent#begin} first, then
     * sets the non-zero inputs and the target or label, if any.
     */
    protected abstract void fill(SequenceEvent event, long index);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int inputSize() {
        return inputSize;
    }

    @Override
    public final int outputs() {
        return outputs;
    }

    @Override
    public final boolean classification() {
        return classification;
    }

    @Override
    public final long totalEvents() {
        return totalEvents;
    }

    @Override
    public final boolean hasNext() {
        return index + 1 < totalEvents;
    }

    @Override
    public final SequenceEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has produced all its " + totalEvents + " events");
        }
        index++;
        fill(event, index);
        return event;
    }

    /** Index of the current event, from 0; -1 before the first {@link #next()}. */
    public final long index() {
        return index;
    }

    /** Record keys {@code prefix + i} for i in [0, n), zero-padded to one width when {@code pad}. */
    static String[] keys(final String prefix, final int n, final boolean pad) {
        final String[] keys = new String[n];
        final int width = Integer.toString(Math.max(0, n - 1)).length();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append(prefix);
            final String digits = Integer.toString(i);
            for (int d = digits.length(); pad && d < width; d++) {
                sb.append('0');
            }
            keys[i] = sb.append(digits).toString();
        }
        return keys;
    }
}
