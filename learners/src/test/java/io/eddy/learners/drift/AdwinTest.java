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

class AdwinTest {
    private static final int STATIONARY_EVENTS = 200_000;
    private static final int SHIFT_AT = 10_000;

    @Test
    void shouldRaiseNoAlarmOnStationaryLogLosses() {
        final Random random = new Random(1);
        final Adwin detector = new Adwin();
        for (int i = 0; i < STATIONARY_EVENTS; i++) {
            assertFalse(detector.add(calibratedLogLoss(random, false)), "false alarm at event " + i);
        }
        assertEquals(0, detector.alarms());
        assertTrue(detector.width() > STATIONARY_EVENTS / 2, "the window grows while nothing changes: "
                + detector.width());
    }

    @Test
    void shouldRaiseNoAlarmOnStationarySkewedLosses() {
        final Random random = new Random(2);
        final Adwin detector = new Adwin();
        for (int i = 0; i < STATIONARY_EVENTS; i++) {
            final double error = random.nextGaussian();
            assertFalse(detector.add(error * error), "false alarm at event " + i);
        }
        assertEquals(0, detector.alarms());
    }

    @Test
    void shouldAlarmSoonAfterTheLabelsFlipAndKeepOnlyTheNewRegime() {
        final Random random = new Random(3);
        final Adwin detector = new Adwin();
        final long alarmAt = firstAlarm(detector, SHIFT_AT + 1_000, i -> calibratedLogLoss(random, i >= SHIFT_AT));
        assertTrue(alarmAt >= SHIFT_AT && alarmAt < SHIFT_AT + 100, "alarm at event " + alarmAt);
        for (int i = 0; i < 2_000; i++) {
            detector.add(calibratedLogLoss(random, true));
        }
        assertTrue(detector.width() < 2_000 + alarmAt - SHIFT_AT + 2 * Adwin.CHECK_EVERY,
                "the losses from before the flip are dropped: window " + detector.width());
        // flipped calibrated answers have a mean log loss of about 1.4, the right ones about 0.5
        assertTrue(detector.mean() > 1.2, "the window's mean is the new regime's: " + detector.mean());
    }

    /** One change is one alarm, however many cuts it takes to leave the window; a further rise is another. */
    @Test
    void shouldRaiseOneAlarmPerChange() {
        final Random random = new Random(9);
        final Adwin detector = new Adwin();
        for (int i = 0; i < 3 * SHIFT_AT; i++) {
            final double level = i < SHIFT_AT ? 1.0 : i < 2 * SHIFT_AT ? 2.0 : 3.0;
            detector.add(level + 0.3 * random.nextGaussian());
            if (i == 2 * SHIFT_AT - 1) {
                assertEquals(1, detector.alarms(), "one alarm for the first rise");
            }
        }
        assertEquals(2, detector.alarms(), "and one for the second");
    }

    /** A shift of one standard deviation: found, and later than a larger shift is. */
    @Test
    void shouldFindASmallShiftLaterThanALargeOne() {
        final long small = firstAlarm(new Adwin(), SHIFT_AT + 5_000, shifted(new Random(4), 0.3));
        final long large = firstAlarm(new Adwin(), SHIFT_AT + 5_000, shifted(new Random(4), 1.5));
        assertTrue(small >= SHIFT_AT && small < SHIFT_AT + 500, "a shift of one sd alarms at " + small);
        assertTrue(large >= SHIFT_AT && large < small, "five sd alarm at " + large + ", one sd at " + small);
    }

    /** A stricter confidence takes at least as long on the same shift; retuning restarts and keeps the count. */
    @Test
    void shouldRetuneItsConfidenceKeepingTheAlarmCount() {
        final Adwin detector = new Adwin();
        final long loose = firstAlarm(detector, SHIFT_AT + 5_000, shifted(new Random(6), 0.3));
        assertEquals(1, detector.alarms());
        detector.retune(1e-9);
        assertEquals(0, detector.width(), "retuning starts again");
        final long strict = firstAlarm(detector, SHIFT_AT + 5_000, shifted(new Random(6), 0.3));
        assertTrue(loose >= SHIFT_AT && strict > loose, "delta 0.002 alarms at " + loose + ", 1e-9 at " + strict);
        assertEquals(2, detector.alarms());
        assertThrows(IllegalArgumentException.class, () -> detector.retune(0));
        assertThrows(IllegalArgumentException.class, () -> detector.retune(1));
        assertThrows(IllegalArgumentException.class, () -> new Adwin(Double.NaN));
    }

    @Test
    void shouldNeverAlarmWhileTheLossFallsButForgetTheOldLevel() {
        final Random random = new Random(7);
        final Adwin detector = new Adwin();
        for (int i = 0; i < 50_000; i++) {
            final double level = i < 25_000 ? 2.0 : 0.5;
            assertFalse(detector.add(level * (1 + 0.2 * random.nextGaussian())), "alarm at event " + i);
        }
        assertTrue(detector.width() <= 25_000 + 2 * Adwin.CHECK_EVERY, "the higher losses before the fall are dropped: "
                + detector.width());
        assertEquals(0.5, detector.mean(), 0.01);
    }

    @Test
    void shouldIgnoreNonFiniteLosses() {
        final Adwin plain = new Adwin();
        final Adwin interleaved = new Adwin();
        assertNonFiniteLossesChangeNothing(plain, interleaved, SHIFT_AT);
        assertEquals(plain.width(), interleaved.width());
        assertEquals(plain.mean(), interleaved.mean());
    }

    /** The exponential histogram keeps the exact count and sum of the window, however its buckets merged. */
    @Test
    void shouldKeepTheWindowsCountAndSumExactly() {
        final Adwin detector = new Adwin();
        for (int i = 0; i < 100_000; i++) {
            detector.add(0.5);
        }
        assertEquals(100_000, detector.width());
        assertEquals(0.5, detector.mean());
        assertEquals(0, detector.alarms());
    }

    @Test
    void shouldAllocateNothingWhenAdding() {
        final Adwin detector = new Adwin();
        final long allocated = bytesAllocatedAdding(detector);
        assertTrue(allocated < 4_096, "bytes allocated over 50,000 losses: " + allocated);
    }

    /** Losses of 1 ± 0.3 that rise by {@code by} at {@link #SHIFT_AT}. */
    private static IntToDoubleFunction shifted(final Random random, final double by) {
        return i -> 1.0 + 0.3 * random.nextGaussian() + (i >= SHIFT_AT ? by : 0);
    }
}
