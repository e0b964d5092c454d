package io.eddy.kernels.cpu;

import io.eddy.kernels.api.DeviceFloats;

/** A float32 buffer of the {@link CpuBackend}: a plain Java array. */
final class CpuFloats extends CpuBuffer<float[]> implements DeviceFloats {

    CpuFloats(final CpuBackend owner, final int length) {
        super(owner, new float[length], length);
    }
}
