package io.eddy.kernels.cpu;

/** One parallel step split into numbered chunks; implementations are reused objects, not lambdas. */
interface RangeTask {

    /** Runs chunk {@code chunk} on the thread numbered {@code worker} (0 is the caller). */
    void run(int chunk, int worker);
}
