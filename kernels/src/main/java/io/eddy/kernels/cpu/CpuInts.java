package io.eddy.kernels.cpu;

import io.eddy.kernels.api.DeviceInts;

/** A int32 buffer of the {@link CpuBackend}: a plain Java array. */
final class CpuInts implements DeviceInts {

    private final CpuBackend owner;
    private int[] data;

    CpuInts(final CpuBackend owner, final int length) {
        this.owner = owner;
        this.data = new int[length];
    }

    @Override
    public int length() {
        return data == null ? 0 : data.length;
    }

    @Override
    public void close() {
        data = null;
    }

    CpuBackend owner() {
        return owner;
    }

    /** The array, checked to be still open. */
    int[] data() {
        if (data == null) {
            throw new IllegalStateException("CPU buffer is closed");
        }
        return data;
    }
}
