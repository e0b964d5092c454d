package io.eddy.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.ComputeBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs on machines without a GPU (skipped where one is present): opening CUDA fails cleanly. */
class CudaAvailabilityTest {

    @Test
    void shouldThrowAReadableIllegalStateExceptionWithoutAGpu() {
        final IllegalStateException first;
        try {
            final ComputeBackend opened = CudaBackend.open();
            final String device = ((CudaBackend) opened).deviceName();
            opened.close();
            Assumptions.abort("a GPU is present (" + device + "); this test is for machines without one");
            return;
        } catch (IllegalStateException e) {
            first = e;
        }
        assertReadable(first);
        // A second probe in the same JVM must fail the same clean way, not with NoClassDefFoundError.
        assertReadable(assertThrows(IllegalStateException.class, CudaBackend::open));
    }

    private static void assertReadable(final IllegalStateException e) {
        final String message = e.getMessage();
        assertTrue(message != null && message.startsWith("CUDA backend unavailable: "), message);
        assertFalse(message.contains("\n"), "one line expected, got: " + message);
        assertTrue(message.length() < 300, "short message expected, got: " + message);
    }
}
