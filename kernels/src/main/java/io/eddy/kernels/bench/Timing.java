package io.eddy.kernels.bench;

import io.eddy.kernels.api.ComputeBackend;
import java.util.Arrays;

/**
 * Times one operation on one backend: warm-up calls first (the JIT, the GPU's clocks and caches), then
 * groups of back-to-back calls, each group ended by {@link ComputeBackend#synchronize()} before the clock
 * stops, until about {@code targetSeconds} have been measured. The figure is the median group's time
 * per call; the best is kept too. Nothing is allocated between the clock readings.
 */
final class Timing {

    /** A first call slower than this is warm-up enough: big operations do not repeat it. */
    private static final double SLOW_CALL_SECONDS = 0.25;
    /** A warm-up call this much faster than the fastest before means the warm-up is not over. */
    private static final double IMPROVING = 0.9;
    private static final int MAX_GROUPS = 200;
    private static final int MAX_CALLS_PER_GROUP = 1_000_000;

    private final double warmSeconds;
    private final double maxWarmSeconds;
    private final double targetSeconds;
    private final double groupSeconds;

    /**
     * @param warmSeconds minimum warm-up time (at least two calls unless one is slow; longer while calls
     *     keep getting faster)
     * @param maxWarmSeconds warm-up time after which it stops even while calls still get faster
     * @param targetSeconds measured time to aim for (at least three groups, two for calls over a second)
     */
    Timing(final double warmSeconds, final double maxWarmSeconds, final double targetSeconds) {
        this.warmSeconds = warmSeconds;
        this.maxWarmSeconds = maxWarmSeconds;
        this.targetSeconds = targetSeconds;
        this.groupSeconds = targetSeconds / 10;  // long enough to amortise a synchronize and launch latency
    }

    static Timing forMode(final boolean quick) {
        return quick ? new Timing(0.02, 0.5, 0.05) : new Timing(0.1, 2.0, 0.3);
    }

    /**
     * @param medianSeconds median per-call time over the groups
     * @param bestSeconds best group's per-call time
     * @param calls calls measured (warm-up excluded)
     */
    record Measurement(double medianSeconds, double bestSeconds, long calls) {
    }

    Measurement measure(final ComputeBackend backend, final Runnable call) {
        backend.synchronize();
        final long warmStart = System.nanoTime();
        double fastest = Double.POSITIVE_INFINITY;
        int warmCalls = 0;
        boolean improving = true;
        double warmed = 0;
        do {
            final long t0 = System.nanoTime();
            call.run();
            backend.synchronize();
            final double seconds = (System.nanoTime() - t0) / 1e9;
            // still warming up (JIT, clocks, caches) while calls keep getting clearly faster
            improving = seconds < IMPROVING * fastest;
            fastest = Math.min(fastest, seconds);
            warmCalls++;
            warmed = (System.nanoTime() - warmStart) / 1e9;
        } while (fastest <= SLOW_CALL_SECONDS && warmed < maxWarmSeconds
                && (warmCalls < 2 || warmed < warmSeconds || improving));

        final int perGroup = (int) Math.max(1, Math.min(MAX_CALLS_PER_GROUP, groupSeconds / fastest));
        final int minGroups = fastest > 1.0 ? 2 : 3;
        final double[] perCall = new double[MAX_GROUPS];
        int groups = 0;
        double total = 0;
        while (groups < MAX_GROUPS && (groups < minGroups || total < targetSeconds)) {
            final long t0 = System.nanoTime();
            for (int i = 0; i < perGroup; i++) {
                call.run();
            }
            backend.synchronize();
            final double seconds = (System.nanoTime() - t0) / 1e9;
            perCall[groups++] = seconds / perGroup;
            total += seconds;
        }
        final double[] sorted = Arrays.copyOf(perCall, groups);
        Arrays.sort(sorted);
        final double median = groups % 2 == 1 ? sorted[groups / 2]
                : (sorted[groups / 2 - 1] + sorted[groups / 2]) / 2;
        return new Measurement(median, sorted[0], (long) groups * perGroup);
    }
}
