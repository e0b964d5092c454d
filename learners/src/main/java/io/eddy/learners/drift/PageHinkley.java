package io.eddy.learners.drift;

/**
 * Page-Hinkley test for a rise in the mean of a stream of per-event losses: raises an alarm when the
 * losses have, for long enough, been above their mean since the detector last started.
 *
 * <p>Each loss is first standardized, {@code z = (loss - mean) / sd}, with the running mean and
 * standard deviation of every loss since the start or the last alarm (Welford), and capped at
 * +/-{@value #MAX_STEP_SDS}. The test then keeps the cumulative sum {@code m = sum(z - delta)} and
 * its minimum {@code M}, and alarms when {@code m - M > lambda}. Standardizing makes one set of
 * defaults fit every learner's loss (log loss, cross-entropy, squared error of any scale); the cap
 * keeps a single wild loss (a confident wrong answer) from raising an alarm on its own: an alarm takes
 * at least {@code lambda / MAX_STEP_SDS} events of raised loss. It does not keep such a loss out of
 * the mean and spread: one thousands of standard deviations out widens the spread until the next
 * restart, and mutes the test until then. Falling losses (a learner getting better) never alarm.
 *
 * <p>Parameters, all in standard deviations of the loss:
 * <ul>
 *   <li>{@code delta} (default {@value #DEFAULT_DELTA}): the rise per event the test tolerates; a
 *       shift in the mean loss smaller than this is not detected;</li>
 *   <li>{@code lambda} (default {@value #DEFAULT_LAMBDA}): the alarm threshold on the accumulated
 *       rise; a shift of {@code s} standard deviations is detected after about
 *       {@code lambda / (s - delta)} events (about 110 for one standard deviation);</li>
 *   <li>{@code minEvents} (default {@value #DEFAULT_MIN_EVENTS}): losses after the start or an alarm
 *       that only estimate the mean and standard deviation, before the test begins.</li>
 * </ul>
 * With the defaults, seeded simulations of a million stationary losses (log losses of calibrated
 * predictors, squared Gaussian and log-normal errors) raise no alarm.
 *
 * <p>After an alarm the detector starts again from nothing, so it measures the new regime against
 * itself. Non-finite losses are ignored. All state is a few primitives and {@link #add} allocates
 * nothing.
 */
public final class PageHinkley implements DriftDetector {
    /** Tolerated rise of the mean loss per event, in standard deviations. */
    public static final double DEFAULT_DELTA = 0.1;
    /** Alarm threshold on the accumulated standardized rise. */
    public static final double DEFAULT_LAMBDA = 100;
    /** Losses that only estimate mean and spread after the start or an alarm. */
    public static final int DEFAULT_MIN_EVENTS = 100;
    /** Most standard deviations one loss can move the test statistic by. */
    public static final double MAX_STEP_SDS = 5;

    private double delta;
    private double lambda;
    private final int minEvents;

    private long count;
    private double mean;
    private double squaredDeviations;
    private double cumulativeRise;
    private double lowestRise;
    private long alarms;

    /** A detector with the default parameters. */
    public PageHinkley() {
        this(DEFAULT_DELTA, DEFAULT_LAMBDA, DEFAULT_MIN_EVENTS);
    }

    /**
     * @param delta     tolerated rise per event, in standard deviations; finite and not negative
     * @param lambda    alarm threshold, in standard deviations; finite and positive
     * @param minEvents losses that only estimate mean and spread before the test begins; at least 2
     */
    public PageHinkley(final double delta, final double lambda, final int minEvents) {
        if (minEvents < 2) {
            throw new IllegalArgumentException("minEvents must be at least 2, got " + minEvents);
        }
        this.minEvents = minEvents;
        retune(delta, lambda);
    }

    /**
     * Takes new {@code delta} and {@code lambda} (as in the constructor) and starts again from
     * nothing; the alarm count stays.
     */
    public void retune(final double delta, final double lambda) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and not negative, got " + delta);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and positive, got " + lambda);
        }
        this.delta = delta;
        this.lambda = lambda;
        restart();
    }

    /**
     * Adds one event's loss; true when it raises an alarm, after which the detector has started again.
     * A non-finite loss is ignored (false).
     */
    @Override
    public boolean add(final double loss) {
        if (!Double.isFinite(loss)) {
            return false;
        }
        count++;
        final double before = loss - mean;
        mean += before / count;
        squaredDeviations += before * (loss - mean);
        if (count <= minEvents) {
            return false;
        }
        final double sd = Math.sqrt(squaredDeviations / (count - 1));
        if (!(sd > 0)) {
            return false; // every loss so far equal: nothing to measure a rise against yet
        }
        final double z = Math.max(-MAX_STEP_SDS, Math.min(MAX_STEP_SDS, (loss - mean) / sd));
        cumulativeRise += z - delta;
        lowestRise = Math.min(lowestRise, cumulativeRise);
        if (cumulativeRise - lowestRise > lambda) {
            alarms++;
            restart();
            return true;
        }
        return false;
    }

    /** Forgets every loss (the alarm count stays). */
    public void restart() {
        count = 0;
        mean = 0;
        squaredDeviations = 0;
        cumulativeRise = 0;
        lowestRise = 0;
    }

    /** Alarms raised since the detector was made. */
    public long alarms() {
        return alarms;
    }

    /** Losses added since the start or the last alarm. */
    public long count() {
        return count;
    }

    /** The test statistic {@code m - M}: how far the accumulated rise stands above its lowest point. */
    public double statistic() {
        return cumulativeRise - lowestRise;
    }

    public double delta() {
        return delta;
    }

    public double lambda() {
        return lambda;
    }

    public int minEvents() {
        return minEvents;
    }
}
