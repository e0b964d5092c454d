package io.eddy.learners.api;

import java.util.Arrays;

/**
 * Prequential (test-then-train) quality of a binary classifier over a sliding window of its last
 * {@code window} labelled predictions: record each prediction before learning from its label, then
 * read log loss, accuracy, AUC and the log loss of a constant predictor over the same window.
 *
 * <p>{@link #record} runs per event and allocates nothing (ring buffers and running sums). The
 * readers are O(1), except {@link #auc()}, which sorts the window on demand into a buffer allocated
 * once. One thread calls it; it is not thread-safe.
 */
public final class PrequentialMetrics {
    /** Probabilities are clipped to [EPSILON, 1 - EPSILON] for log loss, as the learners do. */
    public static final double EPSILON = 1e-7;

    private final int window;
    private final float[] probabilities;
    private final boolean[] positives;
    /** Log loss and correctness of the same window, kept in step with the arrays here. */
    private final LossWindow losses;
    private long[] sortBuffer;
    private long total;
    private int next;
    private int size;
    private int positiveCount;

    /** @param window how many of the most recent predictions the metrics cover; positive */
    public PrequentialMetrics(final int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.window = window;
        this.probabilities = new float[window];
        this.positives = new boolean[window];
        this.losses = new LossWindow(window);
    }

    /**
     * Records one prediction and its true label, dropping the oldest when the window is full.
     *
     * @param probability the predicted probability of label 1, in [0, 1]
     * @param label 0 or 1
     * @throws IllegalArgumentException for a probability outside [0, 1] (or NaN) or another label
     */
    public void record(final float probability, final float label) {
        if (!(probability >= 0f && probability <= 1f)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        if (label != 0f && label != 1f) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        final boolean positive = label == 1f;
        if (size == window) {
            if (positives[next]) {
                positiveCount--;
            }
        } else {
            size++;
        }
        probabilities[next] = probability + 0f; // + 0f turns -0 into 0 so equal scores tie in auc
        positives[next] = positive;
        if (positive) {
            positiveCount++;
        }
        losses.record(lossOf(probability, positive), correct(probability, positive));
        next = next + 1 == window ? 0 : next + 1;
        total++;
    }

    /** Predictions the figures cover: those in the window, {@code min(total(), window())}. */
    public long count() {
        return size;
    }

    /** Predictions recorded since creation, including those that have left the window. */
    public long total() {
        return total;
    }

    /** The window length given at construction. */
    public int window() {
        return window;
    }

    /** Mean log loss over the window; NaN when it is empty. */
    public double logLoss() {
        return losses.meanLoss();
    }

    /** Share of the window where {@code probability >= 0.5} matched label 1; NaN when empty. */
    public double accuracy() {
        return losses.accuracy();
    }

    /** Share of labels that are 1 in the window; NaN when empty. */
    public double baseRate() {
        return size == 0 ? Double.NaN : (double) positiveCount / size;
    }

    /**
     * Mean log loss over the window of always predicting the window's own base rate: the best any
     * constant predictor could do there in hindsight. A learner worth having beats it. NaN when
     * the window is empty.
     */
    public double baselineLogLoss() {
        if (size == 0) {
            return Double.NaN;
        }
        final double q = clip((double) positiveCount / size);
        return -(q * Math.log(q) + (1 - q) * Math.log(1 - q));
    }

    /**
     * Area under the ROC curve over the window: the chance that a random positive scores above a
     * random negative, ties counting one half. NaN when the window lacks either class. Sorts the
     * window, O(W log W); call it when reporting, not per event.
     */
    public double auc() {
        final int pos = positiveCount;
        final int neg = size - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        if (sortBuffer == null) {
            sortBuffer = new long[window];
        }
        // One long per entry: the score's bits (order-preserving for non-negative floats) above
        // the label, so a primitive sort orders by score and groups equal scores together.
        final long[] keys = sortBuffer;
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) Float.floatToIntBits(probabilities[i]) << 1) | (positives[i] ? 1L : 0L);
        }
        Arrays.sort(keys, 0, size);
        double pairs = 0; // positive-above-negative pairs, ties counting half
        long negativesBelow = 0;
        int i = 0;
        while (i < size) {
            final long score = keys[i] >>> 1;
            long groupPos = 0;
            long groupNeg = 0;
            while (i < size && keys[i] >>> 1 == score) {
                if ((keys[i] & 1L) != 0) {
                    groupPos++;
                } else {
                    groupNeg++;
                }
                i++;
            }
            pairs += groupPos * (negativesBelow + 0.5 * groupNeg);
            negativesBelow += groupNeg;
        }
        return pairs / ((double) pos * neg);
    }

    private static boolean correct(final float probability, final boolean positive) {
        return (probability >= 0.5f) == positive;
    }

    /** Log loss of one prediction, with the probability clipped to [EPSILON, 1 - EPSILON]. */
    public static double lossOf(final double probability, final boolean positive) {
        final double p = clip(probability);
        return positive ? -Math.log(p) : -Math.log(1 - p);
    }

    private static double clip(final double p) {
        return Math.min(1 - EPSILON, Math.max(EPSILON, p));
    }
}
