package io.eddy.kernels;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.kernels.cuda.CudaBackend;
import java.util.Locale;

/**
 * Chooses a {@link ComputeBackend} from {@code auto}, {@code cpu} or {@code cuda}. {@code auto} takes
 * CUDA when a device, a driver and JCuda's natives load, and the CPU otherwise; it never throws
 * because of CUDA. The caller logs {@link Selection#reason()}: this module has no logging dependency.
 */
public final class Backends {

    /** The names {@link #select} accepts. */
    public static final String CHOICES = "auto, cpu, cuda";

    private Backends() {
    }

    /** A backend and one line saying which it is and why. */
    public record Selection(ComputeBackend backend, String reason) {
    }

    /**
     * Opens the backend named by {@code choice} (case-insensitive).
     *
     * @throws IllegalArgumentException for a name other than {@link #CHOICES}
     * @throws IllegalStateException for {@code cuda} where CUDA cannot be used, with the reason
     */
    public static Selection select(final String choice) {
        switch (validate(choice)) {
            case "cpu":
                return cpu("cpu backend (asked for)");
            case "cuda": {
                final ComputeBackend cuda = CudaBackend.open();
                return new Selection(cuda, "cuda backend on " + ((CudaBackend) cuda).deviceName() + " (asked for)");
            }
            case "auto": {
                try {
                    final ComputeBackend cuda = CudaBackend.open();
                    return new Selection(cuda, "cuda backend on " + ((CudaBackend) cuda).deviceName()
                            + " (auto: a GPU is usable)");
                } catch (IllegalStateException e) {
                    return cpu("cpu backend (auto: " + e.getMessage() + ")");
                }
            }
            default:
                throw new IllegalStateException("unreachable: " + choice);
        }
    }

    /** Checks a backend name without opening anything; returns it in lower case. */
    public static String validate(final String choice) {
        final String name = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        if (!name.equals("auto") && !name.equals("cpu") && !name.equals("cuda")) {
            throw new IllegalArgumentException("unknown compute backend '" + choice + "'; use one of " + CHOICES);
        }
        return name;
    }

    private static Selection cpu(final String why) {
        final CpuBackend cpu = new CpuBackend();
        return new Selection(cpu, why + ", " + cpu.describe());
    }
}
