package io.eddy.tests.engine;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
final class Await {
    private Await() {
    }

    static void until(final Duration timeout, final BooleanSupplier condition, final String description) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("timed out after " + timeout.toSeconds() + " s waiting until "
                        + description);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted waiting until " + description);
            }
        }
    }
}
