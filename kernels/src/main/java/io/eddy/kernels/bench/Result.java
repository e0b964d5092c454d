package io.eddy.kernels.bench;

/**
 * One row of the report: an operation at one shape on the CPU and, when it ran, on CUDA. Absent
 * figures are NaN. Throughputs are in {@code unit} (GFLOP/s or GB/s); shares of a peak are fractions.
 *
 * @param op operation name, e.g. {@code "gemm"}
 * @param shape its size, e.g. {@code "2048x2048x2048"}
 * @param unit {@code "GFLOP/s"} or {@code "GB/s"}
 * @param cpu CPU throughput
 * @param cpuSeconds CPU time per call
 * @param cuda CUDA throughput, NaN when CUDA did not run
 * @param cudaSeconds CUDA time per call, NaN when CUDA did not run
 * @param cpuPeakShare CPU throughput over the CPU peak, NaN where not meaningful
 * @param cudaPeakShare CUDA throughput over the GPU peak, NaN where not meaningful or unknown
 */
record Result(String op, String shape, String unit, double cpu, double cpuSeconds, double cuda,
              double cudaSeconds, double cpuPeakShare, double cudaPeakShare) {

    static final String GFLOPS = "GFLOP/s";
    static final String GBPS = "GB/s";

    /** CUDA over CPU throughput: the speedup; NaN without CUDA. */
    double ratio() {
        return cuda / cpu;
    }

    String toJson() {
        return new Json.Obj().string("op", op).string("shape", shape).string("unit", unit)
                .number("cpu", cpu).number("cuda", cuda).number("ratio", ratio())
                .number("cpuPeakShare", cpuPeakShare).number("cudaPeakShare", cudaPeakShare)
                .number("cpuMs", 1e3 * cpuSeconds).number("cudaMs", 1e3 * cudaSeconds).build();
    }
}
