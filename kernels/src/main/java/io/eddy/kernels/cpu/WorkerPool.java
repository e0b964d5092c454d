package io.eddy.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that run the chunks of one {@link RangeTask} together with the caller.
 * Allocation-free per call (unlike an executor's futures): chunks are claimed from one atomic word that
 * holds the round's number and the next chunk, so a late worker can never claim a chunk of a later round.
 */
final class WorkerPool implements AutoCloseable {

    private static final int SPINS_BEFORE_PARK = 2_000;

    private final Thread[] workers;
    /** High 32 bits: round; low 32 bits: next chunk to claim. */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile RangeTask task;
    private volatile int chunks;
    private volatile boolean closed;
    private volatile Throwable failure;

    WorkerPool(final int threads) {
        workers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            final int worker = i + 1;
            workers[i] = new Thread(() -> workLoop(worker), "eddy-cpu-backend-" + worker);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** Threads that run chunks, the caller included. */
    int threads() {
        return workers.length + 1;
    }

    /** Runs chunks {@code 0..count-1} of {@code work}, in parallel when there are several, and waits. */
    void run(final RangeTask work, final int count) {
        if (count <= 0) {
            return;
        }
        if (count == 1 || workers.length == 0) {
            for (int c = 0; c < count; c++) {
                work.run(c, 0);
            }
            return;
        }
        // Open the new round with nothing claimable first: a worker still looking at the last round
        // must not see this round's task and count beside the last round's claim word.
        final int round = (int) (claims.get() >>> 32) + 1;
        claims.set(((long) round << 32) | Integer.MAX_VALUE);
        task = work;
        chunks = count;
        failure = null;
        unfinished.set(count);
        claims.set((long) round << 32);
        for (final Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        claimAndRun(round, 0);
        int spins = 0;
        while (unfinished.get() > 0) {
            if (++spins < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        task = null;
        final Throwable failed = failure;
        if (failed instanceof RuntimeException e) {
            throw e;
        } else if (failed instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (final Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    private void workLoop(final int worker) {
        int lastRound = 0;
        int idle = 0;
        while (!closed) {
            final long state = claims.get();
            final int round = (int) (state >>> 32);
            if (round != lastRound && (int) state != Integer.MAX_VALUE) {  // a round still opening is skipped
                lastRound = round;
                idle = 0;
                claimAndRun(round, worker);
            } else if (++idle < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void claimAndRun(final int round, final int worker) {
        while (true) {
            final long state = claims.get();
            if ((int) (state >>> 32) != round) {
                return;
            }
            final int chunk = (int) state;
            final RangeTask work = task;
            if (chunk >= chunks || work == null) {
                return;
            }
            if (!claims.compareAndSet(state, state + 1)) {
                continue;
            }
            try {
                work.run(chunk, worker);
            } catch (Throwable t) {
                failure = t;
            } finally {
                unfinished.decrementAndGet();
            }
        }
    }
}
