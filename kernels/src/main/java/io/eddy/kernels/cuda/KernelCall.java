package io.eddy.kernels.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * One kernel with its parameter block built once: a one-element Java array per parameter and a
 * {@link Pointer} to each, gathered into the {@code kernelParams} pointer that
 * {@code cuLaunchKernel} takes. A launch writes the new values into those arrays and reuses every
 * object, so launching allocates nothing on the Java heap (JCuda's native side reads the arrays at
 * call time). Device pointers travel as 64-bit addresses, already offset, in {@code long} slots.
 * Not thread-safe: its backend is used by one thread at a time.
 */
final class KernelCall {

    private final CudaKernel kernel;
    private final CUfunction function = new CUfunction();
    private final int[][] ints;
    private final float[][] floats;
    private final long[][] longs;
    private final Pointer parameters;

    KernelCall(final CUmodule module, final CudaKernel kernel) {
        this.kernel = kernel;
        JCudaDriver.cuModuleGetFunction(function, module, kernel.entry());
        final String signature = kernel.signature();
        final int count = signature.length();
        ints = new int[count][];
        floats = new float[count][];
        longs = new long[count][];
        final NativePointerObject[] slots = new NativePointerObject[count];
        for (int i = 0; i < count; i++) {
            final char type = signature.charAt(i);
            if (type == 'i') {
                ints[i] = new int[1];
                slots[i] = Pointer.to(ints[i]);
            } else if (type == 'f') {
                floats[i] = new float[1];
                slots[i] = Pointer.to(floats[i]);
            } else if (type == 'l' || type == 'p') {
                longs[i] = new long[1];
                slots[i] = Pointer.to(longs[i]);
            } else {
                throw new IllegalStateException("bad signature letter '" + type + "' for " + kernel.entry());
            }
        }
        parameters = Pointer.to(slots);
    }

    KernelCall i(final int slot, final int value) {
        ints[slot][0] = value;
        return this;
    }

    KernelCall f(final int slot, final float value) {
        floats[slot][0] = value;
        return this;
    }

    KernelCall l(final int slot, final long value) {
        longs[slot][0] = value;
        return this;
    }

    /** Sets a pointer parameter to element {@code offset} (in elements of 4 bytes) of {@code buffer}. */
    KernelCall p(final int slot, final DevicePointer buffer, final int offset) {
        longs[slot][0] = buffer.address() + 4L * offset;
        return this;
    }

    void launch(final CUstream stream, final int gridX, final int gridY, final int gridZ,
                final int blockX, final int blockY, final int blockZ) {
        JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream,
                parameters, null);
    }

    CudaKernel kernel() {
        return kernel;
    }
}
