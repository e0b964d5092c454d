package io.eddy.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DenseMath} on the Java Vector API: a 6 × 2-vector register tile (12 accumulators, as in
 * BLIS-style micro-kernels), so each loaded B vector feeds six FMAs. Loaded reflectively: without
 * {@code --add-modules jdk.incubator.vector} this class fails to link and {@link ScalarMath} is used.
 */
final class VectorApiMath implements DenseMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int ROWS = 6;
    private static final int COLS = 2 * LANES;
    /** Doubles in a vector, and floats of the same count in a vector of half its width, for widening. */
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF_FLOATS = VectorSpecies.of(float.class,
            VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> HALF_INTS = VectorSpecies.of(int.class, HALF_FLOATS.vectorShape());
    private static final int DOUBLE_LANES = DOUBLES.length();

    @Override
    public int tileRows() {
        return ROWS;
    }

    @Override
    public int tileCols() {
        return COLS;
    }

    @Override
    public void tile(final int kc, final float[] ap, final int ao, final float[] bp, final int bo, final float[] c,
                     final int co, final int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        for (int p = 0; p < kc; p++) {
            final int b = bo + p * COLS;
            final FloatVector b0 = FloatVector.fromArray(SPECIES, bp, b);
            final FloatVector b1 = FloatVector.fromArray(SPECIES, bp, b + LANES);
            final int a = ao + p * ROWS;
            FloatVector x = FloatVector.broadcast(SPECIES, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, ap[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, ap[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        addRow(c, co, c00, c01);
        addRow(c, co + ldc, c10, c11);
        addRow(c, co + 2 * ldc, c20, c21);
        addRow(c, co + 3 * ldc, c30, c31);
        addRow(c, co + 4 * ldc, c40, c41);
        addRow(c, co + 5 * ldc, c50, c51);
    }

    @Override
    public float dot(final int n, final float[] a, final int ao, final float[] b, final int bo) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, ao + i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + i + LANES), s1);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    @Override
    public int addClamped(final int n, final float limit, final float[] g, final int go, final float[] sum,
                          final int so) {
        final FloatVector upper = FloatVector.broadcast(SPECIES, limit);
        final FloatVector lower = FloatVector.broadcast(SPECIES, -limit);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            final FloatVector t = FloatVector.fromArray(SPECIES, sum, so + i)
                    .add(FloatVector.fromArray(SPECIES, g, go + i).max(lower).min(upper));
            // NaN compares false, so it is caught too
            if (!t.abs().compare(VectorOperators.LT, Float.MAX_VALUE).allTrue()) {
                return i;
            }
            t.intoArray(sum, so + i);
        }
        return ScalarMath.addClampedFrom(i, n, limit, g, go, sum, so);
    }

    @Override
    public void axpy(final int n, final float alpha, final float[] x, final int xo, final float[] y, final int yo) {
        final FloatVector scale = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xo + i).fma(scale, FloatVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            // fused like the lanes, so that an element's result does not depend on where n ends
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    private static void addRow(final float[] c, final int at, final FloatVector low, final FloatVector high) {
        FloatVector.fromArray(SPECIES, c, at).add(low).intoArray(c, at);
        FloatVector.fromArray(SPECIES, c, at + LANES).add(high).intoArray(c, at + LANES);
    }

    @Override
    public boolean adamInDouble(final int from, final int to, final int stride, final double[] grad,
                                final double limit, final double beta1, final double beta2, final double rate,
                                final double correction2, final float[] values, final float[] next,
                                final double[] wide) {
        final int mean = stride;
        final int variance = 2 * stride;
        // the scalar loops compute (1 - beta) anew for every element: the same double each time
        final double keep1 = 1 - beta1;
        final double keep2 = 1 - beta2;
        IntVector carries = IntVector.zero(HALF_INTS);
        int i = from;
        for (; i + DOUBLE_LANES <= to; i += DOUBLE_LANES) {
            final DoubleVector g = DoubleVector.fromArray(DOUBLES, grad, i).min(limit).max(-limit);
            final DoubleVector m = widen(values, mean + i).mul(beta1).add(g.mul(keep1));
            final DoubleVector v = widen(values, variance + i).mul(beta2).add(g.mul(keep2).mul(g));
            final DoubleVector p = widen(values, i).sub(m.mul(rate).div(v.div(correction2).sqrt().add(1e-8)));
            carries = carries.or(narrowInto(p, next, i)).or(narrowInto(m, next, mean + i))
                    .or(narrowInto(v, next, variance + i));
        }
        final boolean finite = carries.reduceLanes(VectorOperators.OR) >= 0;
        return ScalarMath.adamInDoubleFrom(i, to, stride, grad, limit, beta1, beta2, rate, correction2, values, next,
                wide) && finite;
    }

    private static DoubleVector widen(final float[] values, final int at) {
        return (DoubleVector) FloatVector.fromArray(HALF_FLOATS, values, at).convertShape(VectorOperators.F2D, DOUBLES,
                0);
    }

    /** Rounds {@code x} to floats at {@code into[at...]}; the lanes' {@link ScalarMath#nonFiniteCarry}. */
    private static IntVector narrowInto(final DoubleVector x, final float[] into, final int at) {
        final FloatVector narrow = (FloatVector) x.convertShape(VectorOperators.D2F, HALF_FLOATS, 0);
        narrow.intoArray(into, at);
        return narrow.reinterpretAsInts().and(0x7f800000).add(0x00800000);
    }
}
