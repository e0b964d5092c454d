package io.eddy.kernels.api;

/**
 * A float32 array living where its backend computes: the Java heap for the CPU backend, device
 * memory for CUDA. It stays there between operations; data crosses only through
 * {@link ComputeBackend#upload} and {@link ComputeBackend#download}. Only its own backend accepts it.
 */
public interface DeviceFloats extends AutoCloseable {

    /** Number of floats. */
    int length();

    /** Frees the memory; idempotent. */
    @Override
    void close();
}
