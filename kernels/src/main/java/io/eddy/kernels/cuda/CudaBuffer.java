package io.eddy.kernels.cuda;

/** Device memory of 4-byte elements owned by one {@link CudaBackend}; the base of both buffer kinds. */
abstract class CudaBuffer {

    private final CudaBackend owner;
    private final DevicePointer pointer;
    private final int length;
    private boolean closed;

    CudaBuffer(final CudaBackend owner, final DevicePointer pointer, final int length) {
        this.owner = owner;
        this.pointer = pointer;
        this.length = length;
    }

    public final int length() {
        return length;
    }

    /** Frees the device memory; idempotent, and a no-op once the backend itself is closed. */
    public final void close() {
        if (!closed) {
            closed = true;
            owner.free(pointer);
        }
    }

    final CudaBackend owner() {
        return owner;
    }

    /** The device memory, checked to be still open. */
    final DevicePointer pointer() {
        if (closed) {
            throw new IllegalStateException("CUDA buffer of " + length + " elements is closed");
        }
        return pointer;
    }
}
