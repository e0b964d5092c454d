package io.eddy.learners.api;

/**
 * Prequential mean loss, and accuracy for classifiers, over a sliding window of the last
 * {@code window} labelled predictions: the figures for learners other than binary classifiers
 * (those have {@link PrequentialMetrics}). Recording allocates nothing; reading is O(1).
 */
public final class LossWindow {
    private final int window;
    private final double[] losses;
    private final boolean[] correct;
    private int next;
    private int size;
    private int correctCount;
    private double lossSum;
    private int sinceResum;

    /** @param window how many of the most recent predictions the figures cover; positive */
    public LossWindow(final int window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.window = window;
        this.losses = new double[window];
        this.correct = new boolean[window];
    }

    /** Records one prediction's loss and whether it was right (always false for regression). */
    public void record(final double loss, final boolean right) {
        boolean dominantLeft = false;
        if (size == window) {
            // a loss that made up most of the sum leaves: the small ones added beside it were rounded away,
            // and subtracting them later as they leave would take the sum below zero
            dominantLeft = Math.abs(losses[next]) > 0.5 * Math.abs(lossSum);
            lossSum -= losses[next];
            if (correct[next]) {
                correctCount--;
            }
        } else {
            size++;
        }
        losses[next] = loss;
        correct[next] = right;
        lossSum += loss;
        if (right) {
            correctCount++;
        }
        next = next + 1 == window ? 0 : next + 1;
        // re-adding the window once per window's worth of records bounds the rounding drift; and an infinite
        // loss, once it has left, would leave inf - inf in a running sum
        if (++sinceResum == window || dominantLeft || !Double.isFinite(lossSum)) {
            sinceResum = 0;
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += losses[i];
            }
            lossSum = sum;
        }
    }

    /** Predictions in the window. */
    public int count() {
        return size;
    }

    /** Mean loss over the window; NaN when empty. */
    public double meanLoss() {
        return size == 0 ? Double.NaN : lossSum / size;
    }

    /** Share of right predictions in the window; NaN when empty. */
    public double accuracy() {
        return size == 0 ? Double.NaN : (double) correctCount / size;
    }
}
