package io.eddy.ops.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Clean stops on Ctrl-C (SIGINT/SIGTERM), before the JVM exits. */
final class Shutdown {
    private Shutdown() {
    }

    /** Blocks until Ctrl-C, then runs {@code stop} before the JVM exits. */
    static void awaitThen(final Runnable stop) {
        final CountDownLatch done = new CountDownLatch(1);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            done.countDown();
        }, "eddy-shutdown"));
        try {
            done.await();
        } catch (final InterruptedException e) {
            main.interrupt();
        }
    }

    /**
     * While open, Ctrl-C runs {@code stop} and lets the JVM exit once this guard is closed (the work
     * wound down), or after {@code limit} at most. Closing it without Ctrl-C removes the hook, so a
     * normal end exits at once.
     */
    static Guard guard(final String name, final Duration limit, final Runnable stop) {
        return new Guard(name, limit, stop);
    }

    /** See {@link #guard}. */
    static final class Guard implements AutoCloseable {
        private final CountDownLatch closed = new CountDownLatch(1);
        private final Thread hook;

        private Guard(final String name, final Duration limit, final Runnable stop) {
            // the hook waits for the work, not for the main thread: that thread ends in System.exit,
            // which itself waits for the hooks
            this.hook = new Thread(() -> {
                stop.run();
                try {
                    closed.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is shutting down: the hook is running, and now returns
            }
        }
    }
}
