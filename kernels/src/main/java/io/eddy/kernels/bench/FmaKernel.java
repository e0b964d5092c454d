package io.eddy.kernels.bench;

/** An unrolled loop of independent fused multiply-adds: the CPU's FP32 peak as Java can reach it. */
interface FmaKernel {

    /** Independent accumulators (vectors or scalars) the loop keeps in registers. */
    int ACCUMULATORS = 12;

    /** Runs {@code iterations} iterations; the result depends on every accumulator, so nothing is elided. */
    float run(int iterations);

    /** Float lanes per accumulator: 1 for the scalar loop. */
    int lanes();

    /** What the loop is, for the report. */
    String method();

    /** Floating-point operations per iteration (an FMA counts two). */
    default long flopsPerIteration() {
        return 2L * ACCUMULATORS * lanes();
    }
}
