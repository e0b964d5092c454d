package io.eddy.kernels.cpu;

import io.eddy.kernels.api.DeviceInts;

/** An int32 buffer of the {@link CpuBackend}: a plain Java array. */
final class CpuInts extends CpuBuffer<int[]> implements DeviceInts {

    CpuInts(final CpuBackend owner, final int length) {
        super(owner, new int[length], length);
    }
}
