package io.eddy.kernels.cuda;

import java.nio.ByteBuffer;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * One kernel with its parameter block built once, in pinned host memory that {@link CudaBackend} owns:
 * an 8-byte slot per parameter, followed by the array of the slots' addresses that is
 * {@code cuLaunchKernel}'s {@code kernelParams}. A launch writes the new values into the slots and
 * hands JCuda that array as a plain native pointer. JCuda's usual form, a Java array per parameter,
 * costs a critical section, a native allocation and a copy back per parameter at every launch, which
 * dominated the small launches of answering one event; here a launch allocates nothing and crosses
 * into native code once. The driver copies the values at launch, so the slots are free again when
 * it returns. Device pointers travel as 64-bit addresses, already offset. Not thread-safe: its
 * backend is used by one thread at a time.
 */
final class KernelCall {
    /** Bytes per parameter slot: every parameter (int, float, double, 64-bit address) fits in 8. */
    static final int SLOT_BYTES = 8;

    private final CUfunction function = new CUfunction();
    private final ByteBuffer block;
    private final int valuesAt;
    private final Pointer parameters;

    /**
     * @param block the pinned host memory, in native byte order, of which this call takes {@link #bytes}
     *              bytes from {@code at}
     * @param blockAddress the host address of the block's first byte
     * @param blockPointer a pointer to the block's first byte
     */
    KernelCall(final CUmodule module, final CudaKernel kernel, final ByteBuffer block, final long blockAddress,
               final Pointer blockPointer, final int at) {
        JCudaDriver.cuModuleGetFunction(function, module, kernel.entry());
        final String signature = kernel.signature();
        for (int i = 0; i < signature.length(); i++) {
            if ("ifdlp".indexOf(signature.charAt(i)) < 0) {
                throw new IllegalStateException("bad signature letter '" + signature.charAt(i) + "' for "
                        + kernel.entry());
            }
        }
        final int count = signature.length();
        this.block = block;
        this.valuesAt = at;
        final int addressesAt = at + count * SLOT_BYTES;
        for (int i = 0; i < count; i++) {
            block.putLong(addressesAt + i * SLOT_BYTES, blockAddress + valuesAt + (long) i * SLOT_BYTES);
        }
        this.parameters = blockPointer.withByteOffset(addressesAt);
    }

    /** Bytes of the pinned block a call of {@code kernel} takes: its slots and their addresses. */
    static int bytes(final CudaKernel kernel) {
        return 2 * SLOT_BYTES * kernel.signature().length();
    }

    KernelCall i(final int slot, final int value) {
        block.putInt(valuesAt + slot * SLOT_BYTES, value);
        return this;
    }

    KernelCall f(final int slot, final float value) {
        block.putFloat(valuesAt + slot * SLOT_BYTES, value);
        return this;
    }

    KernelCall d(final int slot, final double value) {
        block.putDouble(valuesAt + slot * SLOT_BYTES, value);
        return this;
    }

    KernelCall l(final int slot, final long value) {
        block.putLong(valuesAt + slot * SLOT_BYTES, value);
        return this;
    }

    /** Sets a pointer parameter to element {@code offset} (in elements of 4 bytes) of {@code buffer}. */
    KernelCall p(final int slot, final DevicePointer buffer, final int offset) {
        return l(slot, buffer.address() + 4L * offset);
    }

    void launch(final CUstream stream, final int gridX, final int gridY, final int gridZ,
                final int blockX, final int blockY, final int blockZ) {
        JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, 0, stream,
                parameters, null);
    }
}
