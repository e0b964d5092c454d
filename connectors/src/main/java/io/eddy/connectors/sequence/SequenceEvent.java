package io.eddy.connectors.sequence;

import io.eddy.connectors.Ascii;
import java.util.Arrays;

/**
 * One event of a {@link SequenceStream}: the entity it belongs to, a dense input vector and, when
 * labelled, a regression target vector or a class label. A mutable holder that its stream refills on
 * every {@link SequenceStream#next()}; copy what must outlive the next call.
 *
 * <p>{@link #toJson()} writes it in Eddy's dense input format, with {@code "id"} the event's index:
 * <pre>{"id":"e17","x":[0,1,0.25],"y":[0.53]}    regression target
 * {"id":"e17","x":[0,1,0.25],"label":2}     class label
 * {"id":"e17","x":[0,1,0.25]}               no target: the model only advances the entity and predicts</pre>
 * The record key is {@link #key()}, the entity, so that one entity's events stay in order on one
 * partition. Whole numbers are written without a decimal point; other values as the shortest decimal
 * that reads back as the same 32-bit float, so a model sees exactly the values in this holder.
 */
public final class SequenceEvent {
    private final float[] x;
    private final float[] y;
    private final StringBuilder json = new StringBuilder(64);
    private String key;
    private long index = -1;
    private int label = -1;
    private boolean hasTarget;

    /**
     * A holder for inputs of {@code inputSize} floats and regression targets of {@code targetSize}
     * floats (0 for a classification stream).
     */
    public SequenceEvent(final int inputSize, final int targetSize) {
        if (inputSize < 1 || targetSize < 0) {
            throw new IllegalArgumentException("need inputSize >= 1 and targetSize >= 0, got " + inputSize + " and "
                    + targetSize);
        }
        this.x = new float[inputSize];
        this.y = new float[targetSize];
    }

    /**
     * Starts a new event: sets its key and index, zeroes the input and the target and drops any
     * target or label. Streams call this first, then set what is non-zero.
     */
    public void begin(final String key, final long index) {
        this.key = key;
        this.index = index;
        Arrays.fill(x, 0f);
        Arrays.fill(y, 0f);
        hasTarget = false;
        label = -1;
    }

    /** Marks the regression target in {@link #y()} as present. */
    public void markTarget() {
        if (y.length == 0) {
            throw new IllegalStateException("this holder has no room for a regression target");
        }
        hasTarget = true;
    }

    /** Sets the class label, a non-negative index. */
    public void setLabel(final int label) {
        if (label < 0) {
            throw new IllegalArgumentException("label must be non-negative, got " + label);
        }
        this.label = label;
    }

    /** Record key: the entity whose hidden state this event advances. */
    public String key() {
        return key;
    }

    /** Index of the event in its stream, from 0; -1 before the first. */
    public long index() {
        return index;
    }

    /** The input vector, written in place by the stream. */
    public float[] x() {
        return x;
    }

    /** The regression target vector, meaningful when {@link #hasTarget()}; empty for classification. */
    public float[] y() {
        return y;
    }

    /** Whether the event carries a regression target. */
    public boolean hasTarget() {
        return hasTarget;
    }

    /** The class label, or -1 when there is none. */
    public int label() {
        return label;
    }

    /** Whether the event carries something to learn from: a target or a label. */
    public boolean labelled() {
        return hasTarget || label >= 0;
    }

    /**
     * The event as JSON in Eddy's dense input format (ASCII, so also UTF-8). Reuses one
     * {@code StringBuilder}; allocates only the returned bytes.
     */
    public byte[] toJson() {
        final StringBuilder sb = json;
        sb.setLength(0);
        sb.append("{\"id\":\"e").append(index).append("\",\"x\":");
        appendArray(sb, x);
        if (hasTarget) {
            sb.append(",\"y\":");
            appendArray(sb, y);
        } else if (label >= 0) {
            sb.append(",\"label\":").append(label);
        }
        sb.append('}');
        return Ascii.bytes(sb);
    }

    private static void appendArray(final StringBuilder sb, final float[] values) {
        sb.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            final float value = values[i];
            if (!Float.isFinite(value)) {
                // JSON has no NaN or Infinity, and the engine would dead-letter the event anyway
                throw new IllegalStateException("value " + i + " of an event is " + value
                        + ", which JSON cannot carry");
            }
            final int whole = (int) value;
            if (whole == value) {
                sb.append(whole); // 0 and 1 rather than 0.0 and 1.0; -0.0 becomes 0
            } else {
                sb.append(value);
            }
        }
        sb.append(']');
    }
}
