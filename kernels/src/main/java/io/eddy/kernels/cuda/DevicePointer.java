package io.eddy.kernels.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A {@link CUdeviceptr} that can tell its raw address, so kernels can take offset pointers as plain
 * {@code long} parameters without a new JCuda object per call. (JCuda pointers are immutable; an
 * offset view for a memory copy still needs one object, see {@link #at}.)
 */
final class DevicePointer extends CUdeviceptr {

    DevicePointer() {
        super();
    }

    /** The device address this pointer holds; 0 before allocation and after freeing. */
    long address() {
        return getNativePointer() + getByteOffset();
    }

    /**
     * This pointer advanced by {@code offset} elements of 4 bytes. Offset zero returns this pointer;
     * any other offset allocates one small view object, which JCuda's immutable pointers force.
     */
    CUdeviceptr at(final int offset) {
        return offset == 0 ? this : withByteOffset(4L * offset);
    }
}
