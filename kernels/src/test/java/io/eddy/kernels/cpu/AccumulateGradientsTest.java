package io.eddy.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.kernels.api.DeviceFloats;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code accumulateGradients} on the CPU backend against the loop a learner runs on the host when it
 * sums a batch event by event: clip, add in double, round to float. With plain loops and with the
 * Vector API, and with limits that are floats (whose rows go through float arithmetic) or not.
 */
class AccumulateGradientsTest {
    private static final int OFFSET = 3;
    private static final CpuBackend SCALAR = new CpuBackend(1, false);
    private static final CpuBackend VECTOR = new CpuBackend(1, true);

    @AfterAll
    static void close() {
        SCALAR.close();
        VECTOR.close();
    }

    static Stream<Arguments> flavoursAndLimits() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : new CpuBackend[] {SCALAR, VECTOR}) {
            for (final double clip : new double[] {0.3, 0.25, 0}) {
                cases.add(Arguments.of(backend.describe(), backend, clip));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, limit {2}", autoCloseArguments = false)
    @MethodSource("flavoursAndLimits")
    void shouldSumTakenRowsInOrderAsTheHostLoopDoes(final String name, final CpuBackend backend, final double clip) {
        final int keys = 9;
        final int cols = 1001;
        final int stride = cols + 2;
        final SplittableRandom random = new SplittableRandom(7);
        final float[] g = new float[OFFSET + keys * stride];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (random.nextGaussian() * 0.5);
        }
        final float[] take = new float[keys];
        final float[] start = new float[OFFSET + cols];
        for (int j = 0; j < start.length; j++) {
            start[j] = (float) random.nextGaussian();
        }
        final float[] expected = start.clone();
        for (int b = 0; b < keys; b++) {
            take[b] = b % 3 == 2 ? 0f : 1f;
            if (take[b] == 0f) {
                continue;
            }
            for (int j = 0; j < cols; j++) {
                final double limit = clip > 0 ? clip : Double.POSITIVE_INFINITY;
                final double clipped = Math.max(-limit, Math.min(limit, (double) g[OFFSET + b * stride + j]));
                expected[OFFSET + j] = (float) (clipped + expected[OFFSET + j]);
            }
        }
        final float[] refused = run(backend, keys, cols, clip, g, stride, take, start);
        assertArrayEquals(new float[keys], refused, "no row refused");
        assertArrayEquals(expected, start);
    }

    /**
     * A sum just above the largest float rounds to it in float arithmetic, yet the host loop's double
     * test refuses it (without a limit here; a limit makes the excess too small for a double to hold):
     * the float path must leave such an element to the double path, in the middle of a row whose other
     * elements it adds.
     */
    @ParameterizedTest(name = "{0}, limit {2}", autoCloseArguments = false)
    @MethodSource("flavoursAndLimits")
    void shouldRefuseASumAboveTheLargestFloatAsTheHostLoopDoes(final String name,
                                                                final CpuBackend backend, final double clip) {
        final int cols = 40;
        final float[] g = new float[OFFSET + cols];
        final float[] sum = new float[OFFSET + cols];
        final float limit = clip > 0 ? (float) clip : Float.MAX_VALUE;
        for (int j = 0; j < cols; j++) {
            g[OFFSET + j] = 0.125f;
        }
        sum[OFFSET + 21] = Float.MAX_VALUE;
        // half an ulp of the largest float is 2^103: a smaller excess rounds back to it
        g[OFFSET + 21] = Math.min(limit, 0x1p102f);
        final float expectedFine = Math.min(limit, 0.125f);
        final boolean fits = Math.abs((double) Float.MAX_VALUE + g[OFFSET + 21]) <= Float.MAX_VALUE;
        assertEquals(clip > 0, fits, "the host loop refuses the sum only without a limit");
        final float[] refused = run(backend, 1, cols, clip, g, cols, new float[] {1f}, sum);
        assertArrayEquals(new float[] {fits ? 0f : 1f}, refused, "the row is refused as the host loop does");
        assertEquals(Float.MAX_VALUE, sum[OFFSET + 21], "the largest float either way");
        for (int j = 0; j < cols; j++) {
            if (j != 21) {
                assertEquals(expectedFine, sum[OFFSET + j], "element " + j + " is added");
            }
        }
    }

    @Test
    void shouldRefuseRowsWhoseSumIsNotAFiniteFloatAndKeepTheOldSum() {
        final int cols = 4;
        final float[] g = new float[OFFSET + 3 * cols];
        g[OFFSET + 1] = Float.NaN;                   // row 0: NaN, unclipped
        g[OFFSET + cols + 2] = Float.MAX_VALUE;      // row 1: overflows the start value below
        g[OFFSET + 2 * cols] = 1f;                   // row 2: fine
        final float[] sum = new float[OFFSET + cols];
        sum[OFFSET + 2] = Float.MAX_VALUE;
        final float[] refused = run(VECTOR, 3, cols, 0, g, cols, new float[] {1f, 1f, 1f}, sum);
        assertArrayEquals(new float[] {1f, 1f, 0f}, refused);
        assertEquals(1f, sum[OFFSET], "row 2 still added");
        assertEquals(0f, sum[OFFSET + 1], "NaN not taken");
        assertEquals(Float.MAX_VALUE, sum[OFFSET + 2], "overflow not taken");
    }

    @Test
    void shouldClipInfinitiesToTheLimit() {
        final float[] g = new float[OFFSET + 2];
        g[OFFSET] = Float.POSITIVE_INFINITY;
        g[OFFSET + 1] = Float.NEGATIVE_INFINITY;
        final float[] sum = new float[OFFSET + 2];
        final float[] refused = run(VECTOR, 1, 2, 2.0, g, 2, new float[] {1f}, sum);
        assertArrayEquals(new float[] {0f}, refused);
        assertEquals(2f, sum[OFFSET]);
        assertEquals(-2f, sum[OFFSET + 1]);
    }

    @Test
    void shouldRejectARowStrideShorterThanARow() {
        final DeviceFloats g = VECTOR.allocateFloats(100);
        final DeviceFloats sum = VECTOR.allocateFloats(10);
        final DeviceFloats flags = VECTOR.allocateFloats(10);
        assertThrows(IllegalArgumentException.class,
                () -> VECTOR.accumulateGradients(2, 10, 0, g, 0, 5, flags, 0, sum, 0, flags, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> VECTOR.accumulateGradients(11, 10, 0, g, 0, 10, flags, 0, sum, 0, flags, 0));
    }

    @Test
    void shouldRejectAWrittenRangeThatOverlapsAnotherInTheSameBuffer() {
        final DeviceFloats g = VECTOR.allocateFloats(100);
        final DeviceFloats sum = VECTOR.allocateFloats(10);
        final DeviceFloats flags = VECTOR.allocateFloats(10);
        // take and refused side by side in one buffer, as the RTRL learner passes them: allowed
        VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, sum, 0, flags, 2);
        assertThrows(IllegalArgumentException.class,
                () -> VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, sum, 0, flags, 1));
        assertThrows(IllegalArgumentException.class,
                () -> VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, g, 15, flags, 2));
        assertThrows(IllegalArgumentException.class,
                () -> VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, flags, 0, flags, 2));
        assertThrows(IllegalArgumentException.class,
                () -> VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, sum, 0, g, 19));
        // a sum after the last row's columns, in g's buffer, does not overlap
        VECTOR.accumulateGradients(2, 10, 0, g, 0, 10, flags, 0, g, 20, flags, 2);
    }

    /** Runs the operation from {@link #OFFSET} in g and sum; sum is updated in place; returns the refusals. */
    private static float[] run(final CpuBackend backend, final int keys, final int cols, final double clip,
                               final float[] g, final int stride, final float[] take, final float[] sum) {
        final DeviceFloats dg = upload(backend, g);
        final DeviceFloats dt = upload(backend, take);
        final DeviceFloats ds = upload(backend, sum);
        final DeviceFloats dr = backend.allocateFloats(keys);
        backend.accumulateGradients(keys, cols, clip, dg, OFFSET, stride, dt, 0, ds, OFFSET, dr, 0);
        backend.download(ds, 0, sum, 0, sum.length);
        final float[] refused = new float[keys];
        backend.download(dr, 0, refused, 0, keys);
        return refused;
    }

    private static DeviceFloats upload(final CpuBackend backend, final float[] values) {
        final DeviceFloats buffer = backend.allocateFloats(values.length);
        backend.upload(values, 0, buffer, 0, values.length);
        return buffer;
    }
}
