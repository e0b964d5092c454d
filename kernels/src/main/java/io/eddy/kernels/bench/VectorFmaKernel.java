package io.eddy.kernels.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FmaKernel} on the Java Vector API: twelve {@code SPECIES_PREFERRED} accumulators, each updated
 * {@code acc = acc·m + c} (converging, so no overflow and no denormals). Loaded reflectively by
 * {@link FmaPeak}: without {@code --add-modules jdk.incubator.vector} it fails to link.
 */
final class VectorFmaKernel implements FmaKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final float MUL = 0.999_999f;
    private static final float ADD = 1e-6f;

    @Override
    public float run(final int iterations) {
        final FloatVector m = FloatVector.broadcast(SPECIES, MUL);
        final FloatVector c = FloatVector.broadcast(SPECIES, ADD);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.10f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 0.11f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 0.12f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 0.13f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 0.14f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 0.15f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 0.16f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 0.17f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 0.18f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 0.19f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 0.20f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 0.21f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Override
    public int lanes() {
        return SPECIES.length();
    }

    @Override
    public String method() {
        return "Java Vector API FMA loop (" + lanes() + " float lanes x " + ACCUMULATORS + " accumulators)";
    }
}
