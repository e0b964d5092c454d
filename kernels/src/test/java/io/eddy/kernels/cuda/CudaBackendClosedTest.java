package io.eddy.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.cpu.CpuBackend;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend refuses calls once it or a buffer is closed, zero-size ones included, as the CPU backend
 * does (they once returned as if they had run); checked without a GPU. The backend is made without its
 * constructor (which needs a driver); the calls below return before any JCuda call on the code
 * under review, so nothing native is touched.
 */
class CudaBackendClosedTest {

    /** After close, zero-size calls too: the CUDA backend once checked only where a call reached the device. */
    @Test
    void zeroSizeCallsAfterCloseShouldThrowAsOnTheCpu() throws Exception {
        final CpuBackend cpu = new CpuBackend(1, false);
        final DeviceFloats cpuBuffer = cpu.allocateFloats(0);
        cpu.close();
        assertThrows(IllegalStateException.class, () -> cpu.axpy(0, 1f, cpuBuffer, 0, cpuBuffer, 0),
                "the CPU reference refuses a zero-size call after close");

        final CudaBackend cuda = unopened();
        final CudaFloats buffer = new CudaFloats(cuda, new DevicePointer(), 0);
        setClosed(cuda);
        assertAll(
                () -> assertThrows(IllegalStateException.class, () -> cuda.axpy(0, 1f, buffer, 0, buffer, 0),
                        "axpy(0) after close"),
                () -> assertThrows(IllegalStateException.class,
                        () -> cuda.upload(new float[0], 0, buffer, 0, 0), "upload of 0 floats after close"),
                () -> assertThrows(IllegalStateException.class,
                        () -> cuda.activate(Activation.RELU, 0, buffer, 0, buffer, 0), "activate(0) after close"),
                () -> assertThrows(IllegalStateException.class,
                        () -> cuda.gemm(false, false, 0, 0, 0, 1f, buffer, 0, 1, buffer, 0, 1, 0f, buffer, 0, 1,
                                1, 0, 0, 0), "gemm of 0x0 after close"));
    }

    /** A closed buffer, in any call: CUDA once refused it only where a non-empty call read its pointer. */
    @Test
    void zeroSizeCallsOnAClosedBufferShouldThrowAsOnTheCpu() throws Exception {
        final CpuBackend cpu = new CpuBackend(1, false);
        try {
            final DeviceFloats cpuBuffer = cpu.allocateFloats(0);
            cpuBuffer.close();
            assertThrows(IllegalStateException.class, () -> cpu.axpy(0, 1f, cpuBuffer, 0, cpuBuffer, 0),
                    "the CPU reference refuses a closed buffer");
        } finally {
            cpu.close();
        }

        final CudaBackend cuda = unopened();
        final CudaFloats buffer = new CudaFloats(cuda, new DevicePointer(), 0);
        buffer.close();  // address 0: free() returns before any JCuda call
        assertThrows(IllegalStateException.class, () -> cuda.axpy(0, 1f, buffer, 0, buffer, 0),
                "axpy(0) on a closed CUDA buffer");
    }

    /** A CudaBackend whose constructor has not run (fields at their defaults: open, no context). */
    private static CudaBackend unopened() throws Exception {
        final Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        final Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        final Object unsafe = theUnsafe.get(null);
        final Method allocate = unsafeClass.getMethod("allocateInstance", Class.class);
        return (CudaBackend) allocate.invoke(unsafe, CudaBackend.class);
    }

    private static void setClosed(final CudaBackend backend) throws Exception {
        final Field closed = CudaBackend.class.getDeclaredField("closed");
        closed.setAccessible(true);
        closed.setBoolean(backend, true);
    }
}
