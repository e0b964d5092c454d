package io.eddy.learners.drift;

import java.util.Arrays;

/**
 * ADWIN, adaptive windowing (Bifet and Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SDM 2007), for a rise in the mean of a stream of per-event losses. It keeps a window of
 * recent losses and drops its older part whenever the two parts' means differ by more than chance
 * allows at confidence {@code delta}; a drop where the newer part's mean is the higher is an alarm.
 * Unlike {@link PageHinkley} it needs no threshold in standard deviations: the window grows while the
 * stream is stationary and the test sharpens with it, so a small shift is found after many events and a
 * large one after few.
 *
 * <p>The window is the paper's ADWIN2: an exponential histogram of buckets holding the sum and the
 * variance of 2^r losses, at most {@value #BUCKETS_PER_ROW} buckets of each size, so memory grows with
 * the logarithm of the window; every cut point between buckets is tested each {@value #CHECK_EVERY}
 * losses, with the variance-based bound of the authors' implementation (MOA), which scales with the
 * losses' spread, so one confidence serves losses of any scale. After an alarm the old part is gone and
 * the detector goes on with the new one; a later cut that drops only losses from before that alarm (the
 * rest of the old regime leaving) raises no second one. Non-finite losses are ignored; {@link #add}
 * allocates nothing.
 */
public final class Adwin implements DriftDetector {
    /**
     * Confidence of each cut: the chance of a false cut on a stationary stream is about this per check. The
     * authors' 0.002 assumes bounded values; losses have long tails, and on a million squared Gaussian errors
     * it cut falsely 4 times, 1e-4 never (log-normal losses: 21 and 7), for alarms somewhat later (91 events
     * after a rise of one standard deviation instead of 79, on average over five seeds).
     */
    public static final double DEFAULT_DELTA = 1e-4;
    /** Buckets of each size before two merge into one of the next size (the paper's M). */
    static final int BUCKETS_PER_ROW = 5;
    /** Losses between two tests for a cut. */
    static final int CHECK_EVERY = 32;
    /** Fewest losses on each side of a cut. */
    static final int MIN_SIDE = 10;
    /** Rows of bucket sizes 2^0 .. 2^62: more than any stream. */
    private static final int ROWS = 63;

    private double delta;
    /** Per row r, oldest first: the sums and variances of its buckets of 2^r losses. */
    private final double[] sums = new double[ROWS * (BUCKETS_PER_ROW + 1)];
    private final double[] variances = new double[ROWS * (BUCKETS_PER_ROW + 1)];
    private final int[] bucketsInRow = new int[ROWS];
    private int rows;
    private long width;
    private double total;
    private double variance;
    private long sinceCheck;
    /** Losses added since the last alarm; {@code Long.MAX_VALUE} before the first. */
    private long sinceAlarm = Long.MAX_VALUE;
    private long alarms;

    /** A detector with confidence {@link #DEFAULT_DELTA}. */
    public Adwin() {
        this(DEFAULT_DELTA);
    }

    /** @param delta the confidence of each cut, in (0, 1) */
    public Adwin(final double delta) {
        retune(delta);
    }

    /** Takes a new confidence and starts again from nothing; the alarm count stays. */
    public void retune(final double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must lie in (0, 1), got " + delta);
        }
        this.delta = delta;
        restart();
    }

    @Override
    public boolean add(final double loss) {
        if (!Double.isFinite(loss)) {
            return false;
        }
        width++;
        if (width > 1) {
            final double deviation = loss - total / (width - 1);
            variance += (width - 1) * deviation * deviation / width;
        }
        total += loss;
        if (sinceAlarm < Long.MAX_VALUE) {
            sinceAlarm++;
        }
        push(0, loss, 0);
        if (++sinceCheck < CHECK_EVERY) {
            return false;
        }
        sinceCheck = 0;
        // a rise whose cut dropped only losses from before the last alarm is that change still leaving the
        // window, not a new one
        final boolean rose = cut() && width < sinceAlarm;
        if (rose) {
            alarms++;
            sinceAlarm = 0;
        }
        return rose;
    }

    /** Appends a bucket of 2^row losses as the newest of its row, merging full rows upward. */
    private void push(final int row, final double sum, final double bucketVariance) {
        int r = row;
        double s = sum;
        double v = bucketVariance;
        while (true) {
            if (r == rows) {
                rows++;
            }
            final int at = r * (BUCKETS_PER_ROW + 1);
            sums[at + bucketsInRow[r]] = s;
            variances[at + bucketsInRow[r]] = v;
            if (++bucketsInRow[r] <= BUCKETS_PER_ROW) {
                return;
            }
            // the row's two oldest buckets become one of the next row
            final double size = Math.pow(2, r);
            final double mean0 = sums[at] / size;
            final double mean1 = sums[at + 1] / size;
            s = sums[at] + sums[at + 1];
            v = variances[at] + variances[at + 1] + size * (mean0 - mean1) * (mean0 - mean1) / 2;
            System.arraycopy(sums, at + 2, sums, at, bucketsInRow[r] - 2);
            System.arraycopy(variances, at + 2, variances, at, bucketsInRow[r] - 2);
            bucketsInRow[r] -= 2;
            r++;
        }
    }

    /**
     * Drops the window's older part while some cut splits it into parts whose means differ by more than
     * the bound; true when a dropped part had the lower mean (the loss rose).
     */
    private boolean cut() {
        boolean rose = false;
        boolean dropped = true;
        while (dropped && width > 2L * MIN_SIDE) {
            dropped = false;
            long n0 = 0;
            long n1 = width;
            double sum0 = 0;
            double sum1 = total;
            scan:
            for (int r = rows - 1; r >= 0; r--) {
                final long size = 1L << r;
                final int at = r * (BUCKETS_PER_ROW + 1);
                for (int b = 0; b < bucketsInRow[r]; b++) {
                    n0 += size;
                    n1 -= size;
                    sum0 += sums[at + b];
                    sum1 -= sums[at + b];
                    if (n1 < MIN_SIDE) {
                        break scan;
                    }
                    if (n0 >= MIN_SIDE && differ(n0, n1, sum0 / n0 - sum1 / n1)) {
                        rose |= sum0 / n0 < sum1 / n1;
                        dropOldest();
                        dropped = true;
                        break scan;
                    }
                }
            }
        }
        return rose;
    }

    /** Whether means of parts of n0 and n1 losses that differ by {@code gap} differ by more than chance. */
    private boolean differ(final long n0, final long n1, final double gap) {
        final double logTerm = Math.log(2 * Math.log(width) / delta);
        final double harmonic = 1.0 / (n0 - MIN_SIDE + 1) + 1.0 / (n1 - MIN_SIDE + 1);
        final double windowVariance = variance / width;
        final double bound = Math.sqrt(2 * harmonic * windowVariance * logTerm) + 2.0 / 3 * logTerm * harmonic;
        return Math.abs(gap) > bound;
    }

    /** Drops the window's oldest bucket. */
    private void dropOldest() {
        final int r = rows - 1;
        final int at = r * (BUCKETS_PER_ROW + 1);
        final long size = 1L << r;
        final double sum = sums[at];
        final double bucketVariance = variances[at];
        System.arraycopy(sums, at + 1, sums, at, bucketsInRow[r] - 1);
        System.arraycopy(variances, at + 1, variances, at, bucketsInRow[r] - 1);
        if (--bucketsInRow[r] == 0) {
            rows--;
        }
        width -= size;
        total -= sum;
        if (width == 0) {
            variance = 0;
            return;
        }
        final double gap = sum / size - total / width;
        variance = Math.max(0, variance - bucketVariance - size * width * gap * gap / (size + width));
    }

    /** Forgets every loss (the alarm count stays). */
    public void restart() {
        Arrays.fill(bucketsInRow, 0);
        rows = 0;
        width = 0;
        total = 0;
        variance = 0;
        sinceCheck = 0;
        sinceAlarm = Long.MAX_VALUE;
    }

    /** Alarms raised since the detector was made. */
    public long alarms() {
        return alarms;
    }

    /** Losses in the window now. */
    public long width() {
        return width;
    }

    /** The mean loss over the window; NaN when it is empty. */
    public double mean() {
        return width == 0 ? Double.NaN : total / width;
    }

    public double delta() {
        return delta;
    }
}
