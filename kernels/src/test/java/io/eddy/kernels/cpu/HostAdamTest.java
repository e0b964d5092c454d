package io.eddy.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HostAdam} with plain loops and with the Vector API against the update written out element by
 * element in double: the same bits, over ranges whose ends fall inside and outside a vector, and no
 * write at all when a value would leave the floats.
 */
class HostAdamTest {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    @Test
    void shouldRunTheVectorApiWhereAskedAndPlainLoopsOtherwise() {
        assertTrue(new HostAdam(8, true).vectorised(), "surefire's argLine adds jdk.incubator.vector");
        assertFalse(new HostAdam(8, false).vectorised());
    }

    @ParameterizedTest(name = "vector API {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveTheBitsOfTheUpdateWrittenOutInDouble(final boolean vectorApi) {
        final SplittableRandom random = new SplittableRandom(11);
        for (final int stride : new int[] {1, 3, 8, 37, 1001}) {
            final HostAdam adam = new HostAdam(stride, vectorApi);
            for (final double limit : new double[] {0.5, Double.POSITIVE_INFINITY}) {
                final int from = stride > 3 ? 1 + random.nextInt(3) : 0;
                final int to = stride - (stride > 3 ? random.nextInt(3) : 0);
                final float[] state = randomState(random, stride);
                final float[] expected = state.clone();
                for (int step = 1; step <= 5; step++) {
                    final double[] grad = new double[stride];
                    for (int i = 0; i < stride; i++) {
                        grad[i] = random.nextGaussian() * (i % 5 == 0 ? 3 : 0.05);
                    }
                    final double rate = 0.001 / (1 - Math.pow(BETA1, step));
                    final double correction2 = 1 - Math.pow(BETA2, step);
                    update(expected, stride, from, to, grad, limit, rate, correction2);
                    assertTrue(adam.step(state, from, to, grad, limit, BETA1, BETA2, rate, correction2));
                    assertArrayEquals(expected, state, "stride " + stride + ", limit " + limit + ", step " + step);
                }
            }
        }
    }

    @ParameterizedTest(name = "vector API {0}")
    @ValueSource(booleans = {false, true})
    void shouldWriteNothingWhenAValueWouldNotBeAFiniteFloat(final boolean vectorApi) {
        final int stride = 21;
        final HostAdam adam = new HostAdam(stride, vectorApi);
        final SplittableRandom random = new SplittableRandom(5);
        // early, late and last, so that some lie in vectors and some in the scalar tail
        for (final int bad : new int[] {1, 16, 20}) {
            final float[] state = randomState(random, stride);
            final float[] before = state.clone();
            final double[] grad = new double[stride];
            grad[bad] = Double.NaN;
            assertFalse(adam.step(state, 0, stride, grad, Double.POSITIVE_INFINITY, BETA1, BETA2, 0.001, 0.5));
            assertArrayEquals(before, state, "a NaN gradient at " + bad);

            // finite in double, too large for a float: the second moment's g·g
            grad[bad] = 1e30;
            assertFalse(adam.step(state, 0, stride, grad, Double.POSITIVE_INFINITY, BETA1, BETA2, 0.001, 0.5));
            assertArrayEquals(before, state, "a second moment beyond the floats at " + bad);

            // the same gradient clipped is fine
            assertTrue(adam.step(state, 0, stride, grad, 1.0, BETA1, BETA2, 0.001, 0.5));
        }
    }

    @Test
    void shouldRefuseARangeOutsideTheState() {
        final HostAdam adam = new HostAdam(4, true);
        final float[] state = new float[12];
        final double[] grad = new double[4];
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.step(state, 2, 5, grad, 1, BETA1, BETA2, 0.001, 0.5));
        assertEquals("range [2, 5) outside [0, 4)", e.getMessage());
    }

    private static float[] randomState(final SplittableRandom random, final int stride) {
        final float[] state = new float[3 * stride];
        for (int i = 0; i < stride; i++) {
            state[i] = (float) random.nextGaussian();
            state[stride + i] = (float) (0.01 * random.nextGaussian());
            state[2 * stride + i] = (float) (1e-4 * random.nextDouble());
        }
        return state;
    }

    /** The update as {@link HostAdam#step} defines it, one element at a time. */
    private static void update(final float[] state, final int stride, final int from, final int to,
                               final double[] grad, final double limit, final double rate, final double correction2) {
        for (int i = from; i < to; i++) {
            final double g = Math.max(-limit, Math.min(limit, grad[i]));
            final double m = BETA1 * state[stride + i] + (1 - BETA1) * g;
            final double v = BETA2 * state[2 * stride + i] + (1 - BETA2) * g * g;
            state[i] = (float) (state[i] - rate * m / (Math.sqrt(v / correction2) + 1e-8));
            state[stride + i] = (float) m;
            state[2 * stride + i] = (float) v;
        }
    }
}
