package io.eddy.kernels.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU's FP32 peak as measured in this JVM: one plain thread per core runs an {@link FmaKernel} at
 * the same time as the others (a barrier starts each repeat together); a repeat's rate is the sum of
 * the threads' rates, and the peak is the best repeat. Each thread first warms up until the loop runs
 * compiled: the rate has stopped improving, is above what interpreted or C1 code reaches (the Vector
 * API is hundreds of times slower before C2 compiles it), and the JIT has been quiet for a slice.
 */
final class FmaPeak {

    /** Iterations per kernel call: tens of microseconds, so reading the clock between calls is free. */
    private static final int CHUNK = 4_096;
    private static final double IMPROVING = 1.03;
    /** GFLOP/s per lane that only compiled code beats (interpreted Vector API code runs at ~0.01 per lane). */
    private static final double COMPILED_GFLOPS_PER_LANE = 0.5;
    /** Compilation milliseconds per slice that still count as a quiet JIT (small methods keep compiling). */
    private static final long JIT_QUIET_MILLIS = 2;

    private FmaPeak() {
    }

    /**
     * @param gflops the best repeat's summed rate
     * @param threads threads that ran at once
     * @param lanes float lanes per accumulator (1: scalar fallback)
     * @param vectorApi whether the Vector API kernel ran
     * @param method what the loop is
     * @param repeats repeats measured
     */
    record Peak(double gflops, int threads, int lanes, boolean vectorApi, String method, int repeats) {
    }

    /** Durations of one measurement: warm-up bounds, repeat length and count. */
    record Plan(double minWarmSeconds, double maxWarmSeconds, double sliceSeconds, double repeatSeconds,
                int repeats) {

        static Plan forMode(final boolean quick) {
            return quick ? new Plan(0.1, 3.0, 0.025, 0.04, 3) : new Plan(0.3, 5.0, 0.05, 0.2, 5);
        }
    }

    /** The Vector API kernel where this JVM has the module, the scalar one otherwise. */
    static FmaKernel kernel() {
        try {
            final Class<?> type = Class.forName(FmaPeak.class.getPackageName() + ".VectorFmaKernel");
            return (FmaKernel) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarFmaKernel();
        }
    }

    /** Measures with {@code threads} threads at once. */
    static Peak measure(final int threads, final Plan plan) {
        final FmaKernel kernel = kernel();
        compilationMillis();  // initialises the management beans before any thread starts timing
        final double[][] rates = new double[plan.repeats()][threads];
        final float[] sinks = new float[threads];
        final CyclicBarrier barrier = new CyclicBarrier(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    sinks[thread] = work(kernel, plan, barrier, rates, thread);
                } catch (BrokenBarrierException e) {
                    failure.compareAndSet(null, e);  // another thread failed first and broke the barrier
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, e);
                    barrier.reset();
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure.set(e);
                    barrier.reset();
                }
            }, "eddy-fma-peak-" + t);
            workers[t].setDaemon(true);
            workers[t].start();
        }
        for (final Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the CPU peak", e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("CPU peak measurement failed: " + failure.get(), failure.get());
        }
        double best = 0;
        for (final double[] repeat : rates) {
            double sum = 0;
            for (final double rate : repeat) {
                sum += rate;
            }
            best = Math.max(best, sum);
        }
        float sink = 0;
        for (final float s : sinks) {
            sink += s;
        }
        if (!Float.isFinite(sink)) {
            throw new IllegalStateException("the FMA loop diverged: " + sink);
        }
        return new Peak(best, threads, kernel.lanes(), !(kernel instanceof ScalarFmaKernel),
                kernel.method(), plan.repeats());
    }

    private static float work(final FmaKernel kernel, final Plan plan, final CyclicBarrier barrier,
                              final double[][] rates, final int thread)
            throws InterruptedException, BrokenBarrierException {
        float sink = 0;
        final long start = System.nanoTime();
        final double compiledRate = COMPILED_GFLOPS_PER_LANE * kernel.lanes();
        double previous = 0;
        long compileMillis = compilationMillis();
        while (true) {
            final long sliceStart = System.nanoTime();
            long iterations = 0;
            do {
                sink += kernel.run(CHUNK);
                iterations += CHUNK;
            } while (System.nanoTime() - sliceStart < plan.sliceSeconds() * 1e9);
            final long now = System.nanoTime();
            final double rate = iterations * (double) kernel.flopsPerIteration() / (now - sliceStart);
            final double warmed = (now - start) / 1e9;
            final long compiled = compilationMillis();
            final boolean jitQuiet = compiled - compileMillis <= JIT_QUIET_MILLIS;
            compileMillis = compiled;
            if (warmed >= plan.maxWarmSeconds() || (warmed >= plan.minWarmSeconds() && rate <= previous * IMPROVING
                    && rate >= compiledRate && jitQuiet)) {
                break;
            }
            previous = Math.max(previous, rate);
        }
        for (int r = 0; r < plan.repeats(); r++) {
            barrier.await();
            final long repeatStart = System.nanoTime();
            long iterations = 0;
            do {
                sink += kernel.run(CHUNK);
                iterations += CHUNK;
            } while (System.nanoTime() - repeatStart < plan.repeatSeconds() * 1e9);
            // flops per nanosecond are GFLOP/s
            rates[r][thread] = iterations * (double) kernel.flopsPerIteration() / (System.nanoTime() - repeatStart);
        }
        return sink;
    }

    /** Total JIT compilation time so far, or 0 where the JVM does not report it. */
    static long compilationMillis() {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
