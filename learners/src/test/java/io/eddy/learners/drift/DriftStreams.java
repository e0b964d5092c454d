package io.eddy.learners.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/** Seeded loss streams and measurements that the drift detectors' tests share. */
final class DriftStreams {
    private DriftStreams() {
    }

    /** The log loss of a calibrated predictor's answer, or of the same answer once the labels are flipped. */
    static double calibratedLogLoss(final Random random, final boolean flipped) {
        final double p = 0.02 + 0.96 * random.nextDouble();
        final boolean label = random.nextDouble() < p;
        return -Math.log(label != flipped ? p : 1 - p);
    }

    /** The index of the first of {@code events} losses that raises an alarm; -1 if none does. */
    static long firstAlarm(final DriftDetector detector, final int events, final IntToDoubleFunction loss) {
        for (int i = 0; i < events; i++) {
            if (detector.add(loss.applyAsDouble(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes this thread allocated while 50,000 losses, with a rise near the end, went into {@code detector}. */
    static long bytesAllocatedAdding(final DriftDetector detector) {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            final long start = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++) {
                detector.add((i % 97) / 97.0 + (i > 40_000 ? 1 : 0));
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
        }
        return allocated;
    }

    /**
     * Feeds {@code plain} a seeded stream whose labels flip at {@code flipAt}, and {@code interleaved} the same
     * stream with a NaN or an infinity before every loss, each until its first alarm; asserts that no
     * non-finite loss alarms and that both alarm at the same event, after the flip.
     */
    static void assertNonFiniteLossesChangeNothing(final DriftDetector plain, final DriftDetector interleaved,
                                                   final int flipAt) {
        final Random clean = new Random(8);
        final Random dirty = new Random(8);
        final long alarmAt = firstAlarm(plain, flipAt + 1_000, i -> calibratedLogLoss(clean, i >= flipAt));
        long dirtyAlarmAt = -1;
        for (int i = 0; i < flipAt + 1_000 && dirtyAlarmAt < 0; i++) {
            assertFalse(interleaved.add(i % 3 == 0 ? Double.NaN : i % 3 == 1 ? Double.POSITIVE_INFINITY
                    : Double.NEGATIVE_INFINITY));
            if (interleaved.add(calibratedLogLoss(dirty, i >= flipAt))) {
                dirtyAlarmAt = i;
            }
        }
        assertTrue(alarmAt >= flipAt, "the clean stream alarms after the flip: " + alarmAt);
        assertEquals(alarmAt, dirtyAlarmAt, "NaN and infinities change nothing");
    }
}
