package io.eddy.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.kernels.api.DeviceFloats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code accumulateGradients} on the CPU backend against the loop a learner runs on the host when it
 * sums a batch event by event: clip, add in double, round to float.
 */
class AccumulateGradientsTest {
    private static final int OFFSET = 3;
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuBackend();
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @Test
    void shouldSumTakenRowsInOrderAsTheHostLoopDoes() {
        final int keys = 9;
        final int cols = 1001;
        final int stride = cols + 2;
        final double clip = 0.3;
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
                final double clipped = Math.max(-clip, Math.min(clip, (double) g[OFFSET + b * stride + j]));
                expected[OFFSET + j] = (float) (clipped + expected[OFFSET + j]);
            }
        }
        final float[] refused = run(keys, cols, clip, g, stride, take, start);
        assertArrayEquals(new float[keys], refused, "no row refused");
        assertArrayEquals(expected, start);
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
        final float[] refused = run(3, cols, 0, g, cols, new float[] {1f, 1f, 1f}, sum);
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
        final float[] refused = run(1, 2, 2.0, g, 2, new float[] {1f}, sum);
        assertArrayEquals(new float[] {0f}, refused);
        assertEquals(2f, sum[OFFSET]);
        assertEquals(-2f, sum[OFFSET + 1]);
    }

    @Test
    void shouldRejectARowStrideShorterThanARow() {
        final DeviceFloats g = cpu.allocateFloats(100);
        final DeviceFloats sum = cpu.allocateFloats(10);
        final DeviceFloats flags = cpu.allocateFloats(10);
        assertThrows(IllegalArgumentException.class,
                () -> cpu.accumulateGradients(2, 10, 0, g, 0, 5, flags, 0, sum, 0, flags, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.accumulateGradients(11, 10, 0, g, 0, 10, flags, 0, sum, 0, flags, 0));
    }

    /** Runs the operation from {@link #OFFSET} in g and sum; sum is updated in place; returns the refusals. */
    private static float[] run(final int keys, final int cols, final double clip, final float[] g, final int stride,
                               final float[] take, final float[] sum) {
        final DeviceFloats dg = upload(g);
        final DeviceFloats dt = upload(take);
        final DeviceFloats ds = upload(sum);
        final DeviceFloats dr = cpu.allocateFloats(keys);
        cpu.accumulateGradients(keys, cols, clip, dg, OFFSET, stride, dt, 0, ds, OFFSET, dr, 0);
        cpu.download(ds, 0, sum, 0, sum.length);
        final float[] refused = new float[keys];
        cpu.download(dr, 0, refused, 0, keys);
        return refused;
    }

    private static DeviceFloats upload(final float[] values) {
        final DeviceFloats buffer = cpu.allocateFloats(values.length);
        cpu.upload(values, 0, buffer, 0, values.length);
        return buffer;
    }
}
