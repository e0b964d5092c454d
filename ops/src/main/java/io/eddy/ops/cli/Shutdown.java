package io.eddy.ops.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks until Ctrl-C (SIGINT/SIGTERM), then runs a clean stop before the JVM exits. */
final class Shutdown {
    private Shutdown() {
    }

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
}
