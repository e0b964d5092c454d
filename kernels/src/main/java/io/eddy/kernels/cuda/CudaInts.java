package io.eddy.kernels.cuda;

import io.eddy.kernels.api.DeviceInts;

/** Int32 device memory from {@link CudaBackend}; row indices for gathers and scatters. */
final class CudaInts extends CudaBuffer implements DeviceInts {

    CudaInts(final CudaBackend owner, final DevicePointer pointer, final int length) {
        super(owner, pointer, length);
    }
}
