package io.eddy.kernels.cpu;

import io.eddy.kernels.api.DeviceFloats;

/** A float32 buffer of the {@link CpuBackend}: a plain Java array. */
final class CpuFloats implements DeviceFloats {

    private final CpuBackend owner;
    private float[] data;

    CpuFloats(final CpuBackend owner, final int length) {
        this.owner = owner;
        this.data = new float[length];
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
    float[] data() {
        if (data == null) {
            throw new IllegalStateException("CPU buffer is closed");
        }
        return data;
    }
}
