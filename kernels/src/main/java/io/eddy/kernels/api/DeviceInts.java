package io.eddy.kernels.api;

/** An int32 array living where its backend computes; used for row indices in gathers and scatters. */
public interface DeviceInts extends AutoCloseable {

    int length();

    @Override
    void close();
}
