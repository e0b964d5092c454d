package io.eddy.learners.drift;

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
}
