package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import org.apache.kafka.streams.TopologyTestDriver;

/** Restarting a task in a {@link TopologyTestDriver}: what the tests of state kept across a restart share. */
final class DriverRestarts {
    private DriverRestarts() {
    }

    /**
     * Closes {@code driver} cleanly (its stores flushed and closed) but leaves its state directory, which a
     * plain close deletes, so that a second driver on the same directory starts from that state.
     */
    static void closeKeepingState(final TopologyTestDriver driver) {
        try {
            final Field stateDirectory = TopologyTestDriver.class.getDeclaredField("stateDirectory");
            stateDirectory.setAccessible(true);
            stateDirectory.set(driver, null);
        } catch (final ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        assertThrows(NullPointerException.class, driver::close, "all but the state directory's deletion");
    }
}
