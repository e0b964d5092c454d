package io.eddy.kernels.cpu;

/** A Java array owned by one {@link CpuBackend}: the base of both buffer kinds. */
abstract class CpuBuffer<A> {

    private final CpuBackend owner;
    private final int length;
    private A data;

    CpuBuffer(final CpuBackend owner, final A data, final int length) {
        this.owner = owner;
        this.data = data;
        this.length = length;
    }

    public final int length() {
        return data == null ? 0 : length;
    }

    /** Drops the array; idempotent. */
    public final void close() {
        data = null;
    }

    final CpuBackend owner() {
        return owner;
    }

    /** The array, checked to be still open. */
    final A data() {
        if (data == null) {
            throw new IllegalStateException("CPU buffer is closed");
        }
        return data;
    }
}
