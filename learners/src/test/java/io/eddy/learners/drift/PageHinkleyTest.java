package io.eddy.learners.drift;

import static io.eddy.learners.drift.DriftStreams.assertNonFiniteLossesChangeNothing;
import static io.eddy.learners.drift.DriftStreams.bytesAllocatedAdding;
import static io.eddy.learners.drift.DriftStreams.calibratedLogLoss;
import static io.eddy.learners.drift.DriftStreams.firstAlarm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {
    private static final int STATIONARY_EVENTS = 200_000;
    private static final int SHIFT_AT = 10_000;

    @Test
    void shouldRaiseNoAlarmOnStationaryLogLosses() {
        final Random random = new Random(1);
        final PageHinkley detector = new PageHinkley();
        for (int i = 0; i < STATIONARY_EVENTS; i++) {
            assertFalse(detector.add(calibratedLogLoss(random, false)), "false alarm at event " + i);
        }
        assertEquals(0, detector.alarms());
    }

    @Test
    void shouldRaiseNoAlarmOnStationarySkewedLosses() {
        // squared Gaussian errors: a long right tail, the hard case for a test that sums rises
        final Random random = new Random(2);
        final PageHinkley detector = new PageHinkley();
        for (int i = 0; i < STATIONARY_EVENTS; i++) {
            final double error = random.nextGaussian();
            assertFalse(detector.add(error * error), "false alarm at event " + i);
        }
        assertEquals(0, detector.alarms());
    }

    @Test
    void shouldAlarmSoonAfterTheLabelsFlip() {
        final Random random = new Random(3);
        final PageHinkley detector = new PageHinkley();
        final long alarmAt = firstAlarm(detector, SHIFT_AT + 1_000, i -> calibratedLogLoss(random, i >= SHIFT_AT));
        assertTrue(alarmAt >= SHIFT_AT && alarmAt < SHIFT_AT + 100, "alarm at event " + alarmAt);
    }

    @Test
    void shouldAlarmWithinTwoHundredFiftyEventsOfAShiftOfOneStandardDeviation() {
        final Random random = new Random(4);
        final PageHinkley detector = new PageHinkley();
        final long alarmAt = firstAlarm(detector, SHIFT_AT + 1_000,
                i -> 1.0 + 0.3 * random.nextGaussian() + (i >= SHIFT_AT ? 0.3 : 0));
        assertTrue(alarmAt >= SHIFT_AT && alarmAt < SHIFT_AT + 250, "alarm at event " + alarmAt);
    }

    /** A higher threshold takes longer to alarm on the same shift; retuning restarts and keeps the count. */
    @Test
    void shouldRetuneItsThresholdKeepingTheAlarmCount() {
        final PageHinkley detector = new PageHinkley();
        firstAlarm(detector, SHIFT_AT + 1_000, shifted(new Random(6)));
        assertEquals(1, detector.alarms());
        detector.retune(PageHinkley.DEFAULT_DELTA, 4 * PageHinkley.DEFAULT_LAMBDA);
        assertEquals(0, detector.count(), "retuning starts again");
        assertEquals(1, detector.alarms(), "and keeps the count");
        final PageHinkley fresh = new PageHinkley();
        final long soon = firstAlarm(fresh, SHIFT_AT + 1_000, shifted(new Random(7)));
        final long late = firstAlarm(detector, SHIFT_AT + 1_000, shifted(new Random(7)));
        assertTrue(soon >= SHIFT_AT && late > soon + 100, "threshold 100 alarms at " + soon + ", 400 at " + late);
        assertEquals(2, detector.alarms());
        assertThrows(IllegalArgumentException.class, () -> detector.retune(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> detector.retune(-1, 100));
    }

    /** Losses of 1 ± 0.3 that rise by one standard deviation at {@link #SHIFT_AT}. */
    private static IntToDoubleFunction shifted(final Random random) {
        return i -> 1.0 + 0.3 * random.nextGaussian() + (i >= SHIFT_AT ? 0.3 : 0);
    }

    @Test
    void shouldStartAgainAfterAnAlarmAndMeasureTheNewLevelAgainstItself() {
        final Random random = new Random(5);
        final PageHinkley detector = new PageHinkley();
        firstAlarm(detector, SHIFT_AT + 1_000, i -> 1.0 + 0.3 * random.nextGaussian() + (i >= SHIFT_AT ? 1 : 0));
        assertEquals(1, detector.alarms());
        assertEquals(0, detector.count(), "the losses before the alarm are forgotten");
        assertEquals(0, detector.statistic());
        for (int i = 0; i < STATIONARY_EVENTS; i++) {
            assertFalse(detector.add(2.0 + 0.3 * random.nextGaussian()), "alarm on the new level at " + i);
        }
        assertEquals(1, detector.alarms());
        final long second = firstAlarm(detector, 1_000, i -> 3.0 + 0.3 * random.nextGaussian());
        assertTrue(second >= 0, "a further rise alarms again");
        assertEquals(2, detector.alarms());
    }

    @Test
    void shouldNeverAlarmWhileTheLossFalls() {
        final Random random = new Random(6);
        final PageHinkley detector = new PageHinkley();
        for (int i = 0; i < 50_000; i++) {
            final double level = 2.0 * Math.exp(-i / 5_000.0) + 0.3;
            assertFalse(detector.add(level * (1 + 0.2 * random.nextGaussian())), "alarm at event " + i);
        }
    }

    @Test
    void shouldNotAlarmOnOneWildLoss() {
        final Random random = new Random(7);
        final PageHinkley detector = new PageHinkley();
        for (int i = 0; i < 20_000; i++) {
            detector.add(0.01 + 0.001 * random.nextGaussian());
        }
        final double before = detector.statistic();
        assertFalse(detector.add(30), "a single confident wrong answer, thousands of standard deviations up");
        assertTrue(detector.statistic() - before <= PageHinkley.MAX_STEP_SDS,
                "one loss moves the test by at most the cap: " + before + " to " + detector.statistic());
    }

    @Test
    void shouldIgnoreNonFiniteLosses() {
        final PageHinkley plain = new PageHinkley();
        final PageHinkley interleaved = new PageHinkley();
        assertNonFiniteLossesChangeNothing(plain, interleaved, SHIFT_AT);
        assertEquals(plain.count(), interleaved.count());
        assertEquals(plain.statistic(), interleaved.statistic());
    }

    @Test
    void shouldStayQuietAndFiniteOnConstantLosses() {
        final PageHinkley detector = new PageHinkley();
        for (int i = 0; i < 10_000; i++) {
            assertFalse(detector.add(0.5));
        }
        assertEquals(0, detector.statistic());
    }

    @Test
    void shouldAllocateNothingWhenAdding() {
        final PageHinkley detector = new PageHinkley();
        final long allocated = bytesAllocatedAdding(detector);
        assertTrue(allocated < 4_096, "bytes allocated over 50,000 losses: " + allocated);
    }

    @Test
    void shouldRefuseParametersThatMakeNoTest() {
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(-0.1, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(Double.NaN, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(0.1, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(0.1, Double.POSITIVE_INFINITY, 100));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(0.1, 100, 1));
    }
}
