package io.eddy.kernels.cuda;

import io.eddy.kernels.api.DeviceFloats;

/** Float32 device memory from {@link CudaBackend}. */
final class CudaFloats extends CudaBuffer implements DeviceFloats {

    CudaFloats(final CudaBackend owner, final DevicePointer pointer, final int length) {
        super(owner, pointer, length);
    }
}
