package io.eddy.kernels.bench;

import java.util.Locale;

/**
 * FP32 and memory-bandwidth peaks of known GPUs, from NVIDIA's datasheets (non-tensor FP32, boost
 * clock). A GPU's peak cannot be measured as cheaply as the CPU's, so it is looked up by device name.
 */
final class GpuPeaks {

    static final String SOURCE = "NVIDIA datasheet";

    private GpuPeaks() {
    }

    /**
     * @param gflops FP32 peak in GFLOP/s, NaN when unknown
     * @param gbps memory bandwidth in GB/s, NaN when unknown
     * @param model the datasheet's model name, or {@code "unknown"}
     * @param source where the figures come from
     */
    record Peak(double gflops, double gbps, String model, String source) {
        boolean known() {
            return Double.isFinite(gflops);
        }
    }

    /** The peaks of the device the driver calls {@code deviceName}. */
    static Peak lookup(final String deviceName) {
        final String name = deviceName == null ? "" : deviceName.toUpperCase(Locale.ROOT);
        if (name.contains("H100 NVL")) {
            return new Peak(60_000, 3_900, "H100 NVL", SOURCE);
        }
        if (name.contains("H100") && name.contains("PCIE")) {
            return new Peak(51_200, 2_000, "H100 PCIe", SOURCE);
        }
        if (name.contains("H200")) {
            return new Peak(66_900, 4_800, "H200", SOURCE);
        }
        if (name.contains("H100")) {
            return new Peak(66_900, 3_350, "H100 SXM (HBM3)", SOURCE);
        }
        return new Peak(Double.NaN, Double.NaN, "unknown", "unknown device: no datasheet figures, percentages omitted");
    }
}
