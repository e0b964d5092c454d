package io.eddy.kernels.bench;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The buffers of one benchmark case on one backend, filled from a seeded generator (the same seed gives
 * the CPU and CUDA the same data) through chunked uploads, so no host array as large as a buffer is
 * needed; {@link #close()} frees them all.
 */
final class Buffers implements AutoCloseable {

    private static final int CHUNK = 1 << 20;

    private final ComputeBackend backend;
    private final SplittableRandom random;
    private final List<DeviceFloats> floats = new ArrayList<>();
    private final List<DeviceInts> ints = new ArrayList<>();

    Buffers(final ComputeBackend backend, final long seed) {
        this.backend = backend;
        this.random = new SplittableRandom(seed);
    }

    /** {@code length} floats uniform in {@code [low, high)}. */
    DeviceFloats uniform(final int length, final float low, final float high) {
        final DeviceFloats buffer = zeros(length);
        final float[] chunk = new float[Math.min(length, CHUNK)];
        for (int done = 0; done < length; done += chunk.length) {
            final int n = Math.min(chunk.length, length - done);
            for (int i = 0; i < n; i++) {
                chunk[i] = low + (high - low) * (float) random.nextDouble();
            }
            backend.upload(chunk, 0, buffer, done, n);
        }
        return buffer;
    }

    /** {@code length} zeros. */
    DeviceFloats zeros(final int length) {
        final DeviceFloats buffer = backend.allocateFloats(length);
        floats.add(buffer);
        return buffer;
    }

    /** {@code length} indices uniform in {@code [0, bound)}. */
    DeviceInts indices(final int length, final int bound) {
        final DeviceInts buffer = backend.allocateInts(length);
        ints.add(buffer);
        final int[] chunk = new int[Math.min(length, CHUNK)];
        for (int done = 0; done < length; done += chunk.length) {
            final int n = Math.min(chunk.length, length - done);
            for (int i = 0; i < n; i++) {
                chunk[i] = random.nextInt(bound);
            }
            backend.upload(chunk, 0, buffer, done, n);
        }
        return buffer;
    }

    @Override
    public void close() {
        backend.synchronize();
        for (int i = floats.size() - 1; i >= 0; i--) {
            floats.get(i).close();
        }
        for (int i = ints.size() - 1; i >= 0; i--) {
            ints.get(i).close();
        }
        floats.clear();
        ints.clear();
    }
}
