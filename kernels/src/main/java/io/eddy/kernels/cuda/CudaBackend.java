package io.eddy.kernels.cuda;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.Checks;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import io.eddy.kernels.api.RtrlStage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * {@link ComputeBackend} on one NVIDIA GPU through JCuda's driver API: the kernels are
 * {@code eddy_kernels.ptx} (a classpath resource compiled from {@code kernels/src/main/cuda}), loaded
 * with {@code cuModuleLoadData}, so the target machine needs the NVIDIA driver but no CUDA toolkit.
 *
 * <p>All work goes, in call order, onto one stream of one context. Uploads are staged through one
 * pinned host buffer that is reused: an upload waits only until the previous copy out of it has run.
 * Launches reuse preallocated parameter blocks ({@link KernelCall}); the one per-call Java allocation
 * left is the pointer view JCuda needs for a copy at a non-zero device offset ({@link DevicePointer#at}).
 * Each public method makes the context current first, so the backend may move between threads as long
 * as one thread uses it at a time.
 *
 * <p>Nothing touches CUDA until {@link #open()}: no static initialiser loads JCuda, so the class can be
 * loaded (and {@code open()} called to probe) on a machine without a driver.
 */
public final class CudaBackend implements ComputeBackend {

    static final String PTX_RESOURCE = "/io/eddy/kernels/cuda/eddy_kernels.ptx";

    private static final int GEMM_TILE = 32;
    private static final int GEMM_ROWS = 8;
    /** The register-blocked {@code eddy_sgemm128*} kernels: a 128 x 128 tile of C per block of 256 threads. */
    private static final int GEMM_BIG_TILE = 128;
    private static final int GEMM_BIG_THREADS = 256;
    /**
     * Fewest 128 x 128 tiles (over the whole batch) for the big kernel: with fewer it would leave most of
     * an H100's 132 SMs idle, and the 32 x 32 kernel, about a quarter as fast per SM, spreads wider.
     */
    private static final long GEMM_BIG_MIN_TILES = 32;
    /** Most rows of A the thin kernel takes ({@code THIN_ROWS}); a warp computes one column of C. */
    private static final int GEMM_THIN_ROWS = 16;
    private static final int GEMM_THIN_WARPS = 8;
    /** Below this m or n most of each 128-wide tile would be padding. */
    private static final int GEMM_BIG_MIN_SIDE = 64;
    private static final int MAX_GRID_YZ = 65_535;
    private static final int ELEMENT_THREADS = 256;
    /** Threads sharing one (key, unit) pair's sensitivities in the RTRL kernels. */
    private static final int RTRL_THREADS = 64;
    /** Grid cap of the RTRL kernels, which loop over the pairs beyond it. */
    private static final int RTRL_MAX_BLOCKS = 1 << 20;
    /** Enough blocks to fill an H100/H200 many times over; grid-stride loops cover the rest. */
    private static final int MAX_ELEMENT_BLOCKS = 8_192;
    private static final int ROW_THREADS = 256;
    private static final long STAGING_MIN_BYTES = 1L << 20;
    private static final long STAGING_MAX_BYTES = 16L << 20;

    /** Set once loading JCuda's driver binding failed: such a failure lasts as long as the JVM. */
    private static volatile String unavailable;

    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final CUmodule module = new CUmodule();
    private final CUevent stagingFree = new CUevent();
    private final KernelCall[] calls = new KernelCall[CudaKernel.values().length];
    private final String deviceName;

    private boolean contextCreated;
    private boolean streamCreated;
    private boolean moduleLoaded;
    private boolean eventCreated;
    private Pointer staging;
    /** Every kernel's parameter block ({@link KernelCall}), pinned. */
    private PinnedMemory parameterMemory;
    private long stagingBytes;
    private FloatBuffer stagingFloats;
    private IntBuffer stagingInts;
    /** Whether a copy queued from the staging buffer may still be reading it. */
    private boolean stagingInFlight;
    private boolean closed;

    /**
     * Opens device 0.
     *
     * @throws IllegalStateException with a one-line reason when JCuda, the driver, a device or the
     *     kernels cannot be loaded; callers such as {@code Backends.select} fall back to the CPU
     */
    public static ComputeBackend open() {
        final String known = unavailable;
        if (known != null) {
            throw new IllegalStateException(known);
        }
        try {
            return new CudaBackend(0);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof LinkageError) {
                unavailable = e.getMessage();
            }
            throw e;
        }
    }

    private CudaBackend(final int ordinal) {
        String step = "loading JCuda's driver binding";
        try {
            JCudaDriver.setExceptionsEnabled(true);
            step = "cuInit";
            JCudaDriver.cuInit(0);
            step = "cuDeviceGetCount";
            final int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] <= ordinal) {
                throw new IllegalStateException("no CUDA device " + ordinal + " (the driver reports "
                        + count[0] + ")");
            }
            step = "cuDeviceGet";
            final CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, ordinal);
            final byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            deviceName = cString(name);
            step = "cuCtxCreate";
            JCudaDriver.cuCtxCreate(context, 0, device);
            contextCreated = true;
            step = "cuStreamCreate";
            JCudaDriver.cuStreamCreate(stream, 0);
            streamCreated = true;
            step = "cuEventCreate";
            JCudaDriver.cuEventCreate(stagingFree, CUevent_flags.CU_EVENT_DISABLE_TIMING);
            eventCreated = true;
            step = "cuModuleLoadData(" + PTX_RESOURCE + ")";
            JCudaDriver.cuModuleLoadData(module, ptxImage());
            moduleLoaded = true;
            step = "cuMemAllocHost(kernel parameters)";
            int parameterBytes = 0;
            for (final CudaKernel kernel : CudaKernel.values()) {
                parameterBytes += KernelCall.bytes(kernel);
            }
            parameterMemory = new PinnedMemory();
            JCudaDriver.cuMemAllocHost(parameterMemory, parameterBytes);
            final ByteBuffer parameterBlock = parameterMemory.getByteBuffer(0, parameterBytes)
                    .order(ByteOrder.nativeOrder());
            int at = 0;
            for (final CudaKernel kernel : CudaKernel.values()) {
                step = "cuModuleGetFunction(" + kernel.entry() + ")";
                calls[kernel.ordinal()] = new KernelCall(module, kernel, parameterBlock, parameterMemory.address(),
                        parameterMemory, at);
                at += KernelCall.bytes(kernel);
            }
            step = "cuMemAllocHost";
            growStaging(STAGING_MIN_BYTES);
        } catch (VirtualMachineError e) {
            releaseQuietly();
            throw e;
        } catch (Throwable t) {
            releaseQuietly();
            throw new IllegalStateException("CUDA backend unavailable: " + describe(step, t), t);
        }
    }

    /** The GPU's name as the driver reports it, e.g. {@code "NVIDIA H100 80GB HBM3"}. */
    public String deviceName() {
        return deviceName;
    }

    @Override
    public String name() {
        return "cuda";
    }

    /**
     * Passes of more than 16 rows: the thin kernel, which sums in its own order, takes products of up to
     * 16 rows, while the tiled kernels (32 or 128), one of which takes every larger product, give each
     * element the same bits (one chain of FMAs over k from zero, the same epilogue). So with room for
     * more, a pass of fewer rows is padded to 17, not to the whole capacity.
     */
    @Override
    public int stableRows(final int rows, final int capacity) {
        Checks.stableRows(rows, capacity);
        return capacity <= GEMM_THIN_ROWS ? capacity : Math.max(rows, GEMM_THIN_ROWS + 1);
    }

    @Override
    public DeviceFloats allocateFloats(final int length) {
        return new CudaFloats(this, allocate(length), length);
    }

    @Override
    public DeviceInts allocateInts(final int length) {
        return new CudaInts(this, allocate(length), length);
    }

    @Override
    public void upload(final float[] src, final int srcOffset, final DeviceFloats dst, final int dstOffset,
                       final int length) {
        final CudaFloats d = floats(dst, "dst");
        Checks.upload(src.length, srcOffset, d.length(), dstOffset, length);
        uploadStaged(src, srcOffset, d, dstOffset, length);
    }

    @Override
    public void upload(final int[] src, final int srcOffset, final DeviceInts dst, final int dstOffset,
                       final int length) {
        final CudaInts d = ints(dst, "dst");
        Checks.upload(src.length, srcOffset, d.length(), dstOffset, length);
        uploadStaged(src, srcOffset, d, dstOffset, length);
    }

    /** Copies a float[] or int[] range to the device in chunks through the pinned staging buffer. */
    private void uploadStaged(final Object src, final int srcOffset, final CudaBuffer dst, final int dstOffset,
                              final int length) {
        if (length == 0) {
            return;
        }
        bind();
        final DevicePointer base = dst.pointer();
        final int chunkMax = (int) (STAGING_MAX_BYTES / 4);
        for (int done = 0; done < length; ) {
            final int chunk = Math.min(length - done, chunkMax);
            reserveStaging(4L * chunk);
            if (src instanceof float[] floats) {
                stagingFloats.put(0, floats, srcOffset + done, chunk);
            } else {
                stagingInts.put(0, (int[]) src, srcOffset + done, chunk);
            }
            copyFromStaging(base, dstOffset + done, chunk);
            done += chunk;
        }
    }

    @Override
    public void download(final DeviceFloats src, final int srcOffset, final float[] dst, final int dstOffset,
                         final int length) {
        final CudaFloats s = floats(src, "src");
        Checks.download(s.length(), srcOffset, dst.length, dstOffset, length);
        bind();
        if (length == 0) {
            JCudaDriver.cuStreamSynchronize(stream);
            stagingInFlight = false;
            return;
        }
        final DevicePointer base = s.pointer();
        final int chunkMax = (int) (STAGING_MAX_BYTES / 4);
        for (int done = 0; done < length; ) {
            final int chunk = Math.min(length - done, chunkMax);
            reserveStaging(4L * chunk);
            JCudaDriver.cuMemcpyDtoHAsync(staging, base.at(srcOffset + done), 4L * chunk, stream);
            JCudaDriver.cuStreamSynchronize(stream);
            stagingInFlight = false;
            stagingFloats.get(0, dst, dstOffset + done, chunk);
            done += chunk;
        }
    }

    @Override
    public void synchronize() {
        bind();
        JCudaDriver.cuStreamSynchronize(stream);
        stagingInFlight = false;
    }

    @Override
    public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                     final float alpha, final DeviceFloats a, final int aOffset, final int lda,
                     final DeviceFloats b, final int bOffset, final int ldb, final float beta,
                     final DeviceFloats c, final int cOffset, final int ldc,
                     final int batch, final long strideA, final long strideB, final long strideC) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fb = floats(b, "b");
        final CudaFloats fc = floats(c, "c");
        Checks.gemm(transA, transB, m, n, k, fa, aOffset, lda, fb, bOffset, ldb, fc, cOffset, ldc,
                batch, strideA, strideB, strideC);
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        final long bigTiles = (long) ceilDiv(m, GEMM_BIG_TILE) * ceilDiv(n, GEMM_BIG_TILE) * batch;
        final boolean big = (m >= GEMM_BIG_MIN_SIDE && n >= GEMM_BIG_MIN_SIDE && bigTiles >= GEMM_BIG_MIN_TILES)
                || ceilDiv(m, GEMM_TILE) > MAX_GRID_YZ;
        final int tile = big ? GEMM_BIG_TILE : GEMM_TILE;
        final int gridY = ceilDiv(m, tile);
        if (gridY > MAX_GRID_YZ) {
            throw new IllegalArgumentException("gemm: m = " + m + " exceeds " + (long) MAX_GRID_YZ * tile);
        }
        bind();
        if (!transA && transB && m <= GEMM_THIN_ROWS) {
            // a layer's answer to one event: stream the weights once instead of tiling a thin product
            launchGemm(CudaKernel.SGEMM_THIN_NT, m, n, k, alpha, fa, aOffset, lda, strideA, fb, bOffset, ldb, strideB,
                    beta, fc, cOffset, ldc, strideC, batch, ceilDiv(n, GEMM_THIN_WARPS), 1, GEMM_THIN_WARPS * 32, 1);
            return;
        }
        final CudaKernel kernel;
        if (!big) {
            kernel = transA
                    ? (transB ? CudaKernel.SGEMM_TT : CudaKernel.SGEMM_TN)
                    : (transB ? CudaKernel.SGEMM_NT : CudaKernel.SGEMM_NN);
        } else if (quadAligned(fa, aOffset, lda, strideA, batch) && quadAligned(fb, bOffset, ldb, strideB, batch)
                && quadAligned(fc, cOffset, ldc, strideC, batch)) {
            kernel = transA
                    ? (transB ? CudaKernel.SGEMM128V_TT : CudaKernel.SGEMM128V_TN)
                    : (transB ? CudaKernel.SGEMM128V_NT : CudaKernel.SGEMM128V_NN);
        } else {
            kernel = transA
                    ? (transB ? CudaKernel.SGEMM128_TT : CudaKernel.SGEMM128_TN)
                    : (transB ? CudaKernel.SGEMM128_NT : CudaKernel.SGEMM128_NN);
        }
        launchGemm(kernel, m, n, k, alpha, fa, aOffset, lda, strideA, fb, bOffset, ldb, strideB, beta, fc, cOffset,
                ldc, strideC, batch, ceilDiv(n, tile), gridY, big ? GEMM_BIG_THREADS : GEMM_TILE, big ? 1 : GEMM_ROWS);
    }

    /** Launches one of the SGEMM kernels, which all take the same parameters, over the batch in z. */
    private void launchGemm(final CudaKernel kernel, final int m, final int n, final int k, final float alpha,
                            final CudaFloats fa, final int aOffset, final int lda, final long strideA,
                            final CudaFloats fb, final int bOffset, final int ldb, final long strideB,
                            final float beta, final CudaFloats fc, final int cOffset, final int ldc,
                            final long strideC, final int batch, final int gridX, final int gridY,
                            final int threadsX, final int threadsY) {
        calls[kernel.ordinal()]
                .i(0, m).i(1, n).i(2, k).f(3, alpha)
                .p(4, fa.pointer(), aOffset).i(5, lda).l(6, strideA)
                .p(7, fb.pointer(), bOffset).i(8, ldb).l(9, strideB)
                .f(10, beta).p(11, fc.pointer(), cOffset).i(12, ldc).l(13, strideC).i(14, batch)
                .launch(stream, gridX, gridY, Math.min(batch, MAX_GRID_YZ), threadsX, threadsY, 1);
    }

    /**
     * Whether the {@code eddy_sgemm128v_*} kernels may read and write this matrix as float4s: its first
     * element 16-byte aligned, its leading dimension and (when batched) its stride multiples of 4 floats.
     */
    private static boolean quadAligned(final CudaFloats f, final int offset, final int ld, final long stride,
                                       final int batch) {
        return ((f.pointer().address() + 4L * offset) & 15) == 0 && (ld & 3) == 0
                && (batch == 1 || (stride & 3) == 0);
    }

    @Override
    public void gemv(final boolean transA, final int m, final int n, final float alpha, final DeviceFloats a,
                     final int aOffset, final int lda, final DeviceFloats x, final int xOffset, final float beta,
                     final DeviceFloats y, final int yOffset) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fy = floats(y, "y");
        Checks.gemv(transA, m, n, fa, aOffset, lda, fx, xOffset, fy, yOffset);
        final int outputs = transA ? n : m;
        if (outputs == 0) {
            return;
        }
        bind();
        final int warpsPerBlock = ELEMENT_THREADS / 32;
        final CudaKernel kernel = transA ? CudaKernel.SGEMV_T : CudaKernel.SGEMV_N;
        final int blocks = transA ? ceilDiv(n, ELEMENT_THREADS) : ceilDiv(m, warpsPerBlock);
        calls[kernel.ordinal()]
                .i(0, m).i(1, n).f(2, alpha).p(3, fa.pointer(), aOffset).i(4, lda)
                .p(5, fx.pointer(), xOffset).f(6, beta).p(7, fy.pointer(), yOffset)
                .launch(stream, blocks, 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void ger(final int m, final int n, final float alpha, final DeviceFloats x, final int xOffset,
                    final DeviceFloats y, final int yOffset, final DeviceFloats a, final int aOffset,
                    final int lda) {
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fy = floats(y, "y");
        final CudaFloats fa = floats(a, "a");
        Checks.ger(m, n, fx, xOffset, fy, yOffset, fa, aOffset, lda);
        if (m == 0 || n == 0) {
            return;
        }
        bind();
        calls[CudaKernel.SGER.ordinal()]
                .i(0, m).i(1, n).f(2, alpha).p(3, fx.pointer(), xOffset).p(4, fy.pointer(), yOffset)
                .p(5, fa.pointer(), aOffset).i(6, lda)
                .launch(stream, ceilDiv(n, 32), Math.min(ceilDiv(m, 8), MAX_GRID_YZ), 1, 32, 8, 1);
    }

    @Override
    public void axpy(final int n, final float alpha, final DeviceFloats x, final int xOffset,
                     final DeviceFloats y, final int yOffset) {
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fy = floats(y, "y");
        Checks.elementWise(n, fx, xOffset, fy, yOffset);
        if (n == 0) {
            return;
        }
        bind();
        calls[CudaKernel.SAXPY.ordinal()]
                .i(0, n).f(1, alpha).p(2, fx.pointer(), xOffset).p(3, fy.pointer(), yOffset)
                .launch(stream, elementBlocks(n), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Up to {@code THIN_ROWS} rows one launch: the thin GEMM kernel with the bias and the activation in
     * its epilogue. More rows: {@link #gemm}, then one launch that adds the bias and activates.
     */
    @Override
    public void denseLayer(final Activation f, final int rows, final int out, final int in, final DeviceFloats x,
                           final int xOffset, final DeviceFloats w, final int wOffset, final int biasOffset,
                           final DeviceFloats y, final int yOffset) {
        final int id = f.id();
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fw = floats(w, "w");
        final CudaFloats fy = floats(y, "y");
        Checks.denseLayer(rows, out, in, fx, xOffset, fw, wOffset, biasOffset, fy, yOffset);
        if (rows == 0 || out == 0) {
            return;
        }
        if (rows > GEMM_THIN_ROWS) {
            gemm(false, true, rows, out, in, 1f, fx, xOffset, in, fw, wOffset, in, 0f, fy, yOffset, out, 1, 0, 0, 0);
            calls[CudaKernel.BIAS_ACTIVATE.ordinal()]
                    .i(0, id).i(1, rows).i(2, out).p(3, fw.pointer(), biasOffset).p(4, fy.pointer(), yOffset)
                    .launch(stream, elementBlocks((long) rows * out), 1, 1, ELEMENT_THREADS, 1, 1);
            return;
        }
        bind();
        calls[CudaKernel.DENSE_LAYER_THIN.ordinal()]
                .i(0, id).i(1, rows).i(2, out).i(3, in).p(4, fx.pointer(), xOffset).p(5, fw.pointer(), wOffset)
                .p(6, fw.pointer(), biasOffset).p(7, fy.pointer(), yOffset)
                .launch(stream, ceilDiv(out, GEMM_THIN_WARPS), 1, 1, GEMM_THIN_WARPS * 32, 1, 1);
    }

    @Override
    public void activate(final Activation f, final int n, final DeviceFloats x, final int xOffset,
                         final DeviceFloats y, final int yOffset) {
        final int id = f.id();
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fy = floats(y, "y");
        Checks.elementWise(n, fx, xOffset, fy, yOffset);
        if (n == 0) {
            return;
        }
        bind();
        calls[CudaKernel.ACTIVATE.ordinal()]
                .i(0, id).i(1, n).p(2, fx.pointer(), xOffset).p(3, fy.pointer(), yOffset)
                .launch(stream, elementBlocks(n), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void activationBackward(final Activation f, final int n, final DeviceFloats y, final int yOffset,
                                   final DeviceFloats g, final int gOffset, final DeviceFloats out,
                                   final int outOffset) {
        final int id = f.id();
        final CudaFloats fy = floats(y, "y");
        final CudaFloats fg = floats(g, "g");
        final CudaFloats fo = floats(out, "out");
        Checks.activationBackward(n, fy, yOffset, fg, gOffset, fo, outOffset);
        if (n == 0) {
            return;
        }
        bind();
        calls[CudaKernel.ACTIVATION_BACKWARD.ordinal()]
                .i(0, id).i(1, n).p(2, fy.pointer(), yOffset).p(3, fg.pointer(), gOffset)
                .p(4, fo.pointer(), outOffset)
                .launch(stream, elementBlocks(n), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void rowSumOfSquares(final int rows, final int cols, final DeviceFloats a, final int aOffset,
                                final DeviceFloats out, final int outOffset) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fo = floats(out, "out");
        Checks.rows(rows, cols, fa, aOffset, fo, outOffset, 1);
        if (rows == 0) {
            return;
        }
        bind();
        calls[CudaKernel.ROW_SUM_OF_SQUARES.ordinal()]
                .i(0, rows).i(1, cols).p(2, fa.pointer(), aOffset).p(3, fo.pointer(), outOffset)
                .launch(stream, Math.min(rows, MAX_GRID_YZ), 1, 1, rowThreads(cols), 1, 1);
    }

    @Override
    public void rowNormalize(final int rows, final int cols, final float epsilon, final DeviceFloats a,
                             final int aOffset, final DeviceFloats out, final int outOffset) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fo = floats(out, "out");
        Checks.rows(rows, cols, fa, aOffset, fo, outOffset, cols);
        if (rows == 0 || cols == 0) {
            return;
        }
        bind();
        calls[CudaKernel.ROW_NORMALIZE.ordinal()]
                .i(0, rows).i(1, cols).f(2, epsilon).p(3, fa.pointer(), aOffset).p(4, fo.pointer(), outOffset)
                .launch(stream, Math.min(rows, MAX_GRID_YZ), 1, 1, rowThreads(cols), 1, 1);
    }

    @Override
    public void rowSumOfSquaresAndNormalize(final int rows, final int cols, final float epsilon,
                                            final DeviceFloats a, final int aOffset, final DeviceFloats sums,
                                            final int sumsOffset, final DeviceFloats out, final int outOffset) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fs = floats(sums, "sums");
        final CudaFloats fo = floats(out, "out");
        Checks.rowSumOfSquaresAndNormalize(rows, cols, fa, aOffset, fs, sumsOffset, fo, outOffset);
        if (rows == 0) {
            return;
        }
        bind();
        // as many threads as the two separate kernels take, so that the reduction sums in their order
        calls[CudaKernel.ROW_SUM_OF_SQUARES_AND_NORMALIZE.ordinal()]
                .i(0, rows).i(1, cols).f(2, epsilon).p(3, fa.pointer(), aOffset).p(4, fs.pointer(), sumsOffset)
                .p(5, fo.pointer(), outOffset)
                .launch(stream, Math.min(rows, MAX_GRID_YZ), 1, 1, rowThreads(cols), 1, 1);
    }

    @Override
    public void scaleRows(final int rows, final int cols, final DeviceFloats scale, final int scaleOffset,
                          final DeviceFloats a, final int aOffset) {
        final CudaFloats fs = floats(scale, "scale");
        final CudaFloats fa = floats(a, "a");
        Checks.rows(rows, cols, fa, aOffset, fs, scaleOffset, 1);
        final long n = (long) rows * cols;
        if (n == 0) {
            return;
        }
        bind();
        calls[CudaKernel.SCALE_ROWS.ordinal()]
                .i(0, rows).i(1, cols).p(2, fs.pointer(), scaleOffset).p(3, fa.pointer(), aOffset)
                .launch(stream, elementBlocks(n), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the GPU an index outside the table is not followed: its output row is zeros. (Indices are
     * not checked on the host, which would mean a download.)
     */
    @Override
    public void gatherRows(final int count, final int cols, final DeviceFloats table, final DeviceInts rows,
                           final int rowsOffset, final DeviceFloats out, final int outOffset) {
        final CudaFloats ft = floats(table, "table");
        final CudaInts fr = ints(rows, "rows");
        final CudaFloats fo = floats(out, "out");
        Checks.indexedRows(count, cols, fo, outOffset, "out", fr, rowsOffset, ft);
        if (count == 0 || cols == 0) {
            return;
        }
        bind();
        calls[CudaKernel.GATHER_ROWS.ordinal()]
                .i(0, count).i(1, cols).i(2, ft.length() / cols).p(3, ft.pointer(), 0)
                .p(4, fr.pointer(), rowsOffset).p(5, fo.pointer(), outOffset)
                .launch(stream, elementBlocks((long) count * cols), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the GPU rows accumulate through {@code atomicAdd}, so repeated indices may sum in any
     * order; an index outside the table is skipped.
     */
    @Override
    public void scatterAddRows(final int count, final int cols, final float alpha, final DeviceFloats src,
                               final int srcOffset, final DeviceInts rows, final int rowsOffset,
                               final DeviceFloats table) {
        final CudaFloats fs = floats(src, "src");
        final CudaInts fr = ints(rows, "rows");
        final CudaFloats ft = floats(table, "table");
        Checks.indexedRows(count, cols, fs, srcOffset, "src", fr, rowsOffset, ft);
        if (count == 0 || cols == 0) {
            return;
        }
        bind();
        calls[CudaKernel.SCATTER_ADD_ROWS.ordinal()]
                .i(0, count).i(1, cols).i(2, ft.length() / cols).f(3, alpha).p(4, fs.pointer(), srcOffset)
                .p(5, fr.pointer(), rowsOffset).p(6, ft.pointer(), 0)
                .launch(stream, elementBlocks((long) count * cols), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void adamStep(final int n, final float learningRate, final float beta1, final float beta2,
                         final float epsilon, final int t, final DeviceFloats params, final DeviceFloats grads,
                         final DeviceFloats m, final DeviceFloats v) {
        final CudaFloats fp = floats(params, "params");
        final CudaFloats fg = floats(grads, "grads");
        final CudaFloats fm = floats(m, "m");
        final CudaFloats fv = floats(v, "v");
        Checks.adamStep(n, t, fp, fg, fm, fv);
        if (n == 0) {
            return;
        }
        bind();
        final float correction1 = (float) (1.0 - Math.pow(beta1, t));
        final float correction2 = (float) (1.0 - Math.pow(beta2, t));
        calls[CudaKernel.ADAM_STEP.ordinal()]
                .i(0, n).f(1, learningRate).f(2, beta1).f(3, beta2).f(4, epsilon)
                .f(5, correction1).f(6, correction2)
                .p(7, fp.pointer(), 0).p(8, fg.pointer(), 0).p(9, fm.pointer(), 0).p(10, fv.pointer(), 0)
                .launch(stream, elementBlocks(n), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void accumulateGradients(final int keys, final int cols, final double limit, final DeviceFloats g,
                                    final int gOffset, final int gStride, final DeviceFloats take,
                                    final int takeOffset, final DeviceFloats sum, final int sumOffset,
                                    final DeviceFloats refused, final int refusedOffset) {
        final CudaFloats fg = floats(g, "g");
        final CudaFloats ft = floats(take, "take");
        final CudaFloats fs = floats(sum, "sum");
        final CudaFloats fr = floats(refused, "refused");
        Checks.accumulateGradients(keys, cols, fg, gOffset, gStride, ft, takeOffset, fs, sumOffset, fr,
                refusedOffset);
        if (keys == 0 || cols == 0) {
            return;
        }
        bind();
        calls[CudaKernel.ACCUMULATE_GRADIENTS.ordinal()]
                .i(0, keys).i(1, cols).d(2, limit).p(3, fg.pointer(), gOffset).i(4, gStride)
                .p(5, ft.pointer(), takeOffset).p(6, fs.pointer(), sumOffset).p(7, fr.pointer(), refusedOffset)
                .launch(stream, elementBlocks(cols), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void rtrlDiagonalStep(final int batch, final int units, final int inputs, final DeviceFloats a,
                                 final DeviceFloats r, final DeviceFloats x, final DeviceFloats s) {
        final CudaFloats fa = floats(a, "a");
        final CudaFloats fr = floats(r, "r");
        final CudaFloats fx = floats(x, "x");
        final CudaFloats fs = floats(s, "s");
        Checks.rtrlDiagonalStep(batch, units, inputs, fa, fr, fx, fs);
        final long total = (long) batch * units * inputs;
        if (total == 0) {
            return;
        }
        bind();
        calls[CudaKernel.RTRL_DIAGONAL_STEP.ordinal()]
                .i(0, batch).i(1, units).i(2, inputs)
                .p(3, fa.pointer(), 0).p(4, fr.pointer(), 0).p(5, fx.pointer(), 0).p(6, fs.pointer(), 0)
                .launch(stream, elementBlocks(total), 1, 1, ELEMENT_THREADS, 1, 1);
    }

    @Override
    public void rtrlForward(final RtrlStage stage, final boolean learning, final DeviceFloats params,
                            final DeviceFloats pre, final DeviceFloats input, final int inputStride,
                            final DeviceFloats state, final DeviceFloats trace, final DeviceFloats features,
                            final int featureOffset, final int featureStride) {
        final CudaFloats fp = floats(params, "params");
        final CudaFloats fpre = floats(pre, "pre");
        final CudaFloats fx = floats(input, "input");
        final CudaFloats fs = floats(state, "state");
        final CudaFloats ft = floats(trace, "trace");
        final CudaFloats ff = floats(features, "features");
        Checks.rtrlForward(stage, fp, fpre, fx, inputStride, fs, ft, ff, featureOffset, featureStride);
        final long pairs = (long) stage.batch() * stage.units();
        if (pairs == 0) {
            return;
        }
        bind();
        calls[CudaKernel.RTRL_FORWARD.ordinal()]
                .i(0, stage.cell().ordinal()).i(1, stage.batch()).i(2, stage.units()).i(3, stage.fanIn())
                .i(4, learning ? 1 : 0).p(5, fp.pointer(), stage.paramOffset()).p(6, fpre.pointer(), 0)
                .p(7, fx.pointer(), 0).i(8, inputStride).p(9, fs.pointer(), stage.stateOffset())
                .i(10, stage.stateStride()).p(11, ft.pointer(), 0).p(12, ff.pointer(), featureOffset)
                .i(13, featureStride)
                .launch(stream, (int) Math.min(pairs, RTRL_MAX_BLOCKS), 1, 1, RTRL_THREADS, 1, 1);
    }

    @Override
    public void rtrlGradient(final RtrlStage stage, final DeviceFloats params, final DeviceFloats hiddenGrad,
                             final DeviceFloats input, final int inputStride, final DeviceFloats state,
                             final DeviceFloats trace, final DeviceFloats grads, final int gradOffset,
                             final int gradStride) {
        final CudaFloats fp = floats(params, "params");
        final CudaFloats fh = floats(hiddenGrad, "hiddenGrad");
        final CudaFloats fx = floats(input, "input");
        final CudaFloats fs = floats(state, "state");
        final CudaFloats ft = floats(trace, "trace");
        final CudaFloats fg = floats(grads, "grads");
        Checks.rtrlGradient(stage, fp, fh, fx, inputStride, fs, ft, fg, gradOffset, gradStride);
        final long pairs = (long) stage.batch() * stage.units();
        if (pairs == 0) {
            return;
        }
        bind();
        calls[CudaKernel.RTRL_GRADIENT.ordinal()]
                .i(0, stage.cell().ordinal()).i(1, stage.batch()).i(2, stage.units()).i(3, stage.fanIn())
                .p(4, fp.pointer(), stage.paramOffset()).p(5, fh.pointer(), 0).p(6, fx.pointer(), 0)
                .i(7, inputStride).p(8, fs.pointer(), stage.stateOffset()).i(9, stage.stateStride())
                .p(10, ft.pointer(), 0).p(11, fg.pointer(), gradOffset).i(12, gradStride)
                .launch(stream, (int) Math.min(pairs, RTRL_MAX_BLOCKS), 1, 1, RTRL_THREADS, 1, 1);
    }

    /**
     * Waits for queued work, then frees the pinned buffer, module, stream and context; the device
     * memory of buffers still open goes with the context. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            JCudaDriver.cuStreamSynchronize(stream);
        } catch (RuntimeException e) {
            failure = e;  // a sticky kernel error surfaces here; still release everything below
        }
        final RuntimeException releaseFailure = releaseQuietly();
        if (failure == null) {
            failure = releaseFailure;
        }
        if (failure != null) {
            throw new IllegalStateException("closing the CUDA backend on " + deviceName + ": " + failure, failure);
        }
    }

    /** Frees one buffer's device memory; called by {@link CudaBuffer#close()}. */
    void free(final DevicePointer pointer) {
        if (closed || pointer.address() == 0) {
            return;  // destroying the context freed it already, or nothing was allocated
        }
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamSynchronize(stream);  // queued kernels may still use it
        stagingInFlight = false;
        JCudaDriver.cuMemFree(pointer);
    }

    /** The PTX text of the kernels, with the terminating 0 byte that {@code cuModuleLoadData} expects. */
    static byte[] ptxImage() {
        try (InputStream in = CudaBackend.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + PTX_RESOURCE + " is missing");
            }
            final byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PTX_RESOURCE + ": " + e, e);
        }
    }

    // ---- internals ------------------------------------------------------------------------------

    private DevicePointer allocate(final int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        bind();
        final DevicePointer pointer = new DevicePointer();
        if (length > 0) {
            JCudaDriver.cuMemAlloc(pointer, 4L * length);
            JCudaDriver.cuMemsetD32Async(pointer, 0, length, stream);
        }
        return pointer;
    }

    private void bind() {
        checkOpen();
        JCudaDriver.cuCtxSetCurrent(context);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend on " + deviceName + " is closed");
        }
    }

    /** Makes the staging buffer at least {@code bytes} long and free to overwrite. */
    private void reserveStaging(final long bytes) {
        if (stagingInFlight) {
            JCudaDriver.cuEventSynchronize(stagingFree);
            stagingInFlight = false;
        }
        if (bytes > stagingBytes) {
            growStaging(Math.min(STAGING_MAX_BYTES, Math.max(bytes, 2 * stagingBytes)));
        }
    }

    private void copyFromStaging(final DevicePointer base, final int offset, final int count) {
        JCudaDriver.cuMemcpyHtoDAsync(base.at(offset), staging, 4L * count, stream);
        JCudaDriver.cuEventRecord(stagingFree, stream);
        stagingInFlight = true;
    }

    /** Replaces the pinned staging buffer; only when a larger copy than ever before arrives. */
    private void growStaging(final long bytes) {
        if (staging != null) {
            JCudaDriver.cuMemFreeHost(staging);
            staging = null;
            stagingBytes = 0;
        }
        final Pointer pinned = new Pointer();
        JCudaDriver.cuMemAllocHost(pinned, bytes);
        staging = pinned;
        stagingBytes = bytes;
        final ByteBuffer view = pinned.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
        stagingFloats = view.asFloatBuffer();
        stagingInts = view.asIntBuffer();
    }

    /** Releases whatever was created, in reverse order; returns the first failure instead of throwing. */
    private RuntimeException releaseQuietly() {
        RuntimeException first = attempt(null, () -> {
            if (contextCreated) {
                JCudaDriver.cuCtxSetCurrent(context);
            }
            if (staging != null) {
                JCudaDriver.cuMemFreeHost(staging);
            }
            if (parameterMemory != null) {
                JCudaDriver.cuMemFreeHost(parameterMemory);
            }
        });
        parameterMemory = null;
        staging = null;
        stagingFloats = null;
        stagingInts = null;
        stagingBytes = 0;
        first = attempt(first, () -> {
            if (moduleLoaded) {
                moduleLoaded = false;
                JCudaDriver.cuModuleUnload(module);
            }
        });
        first = attempt(first, () -> {
            if (eventCreated) {
                eventCreated = false;
                JCudaDriver.cuEventDestroy(stagingFree);
            }
        });
        first = attempt(first, () -> {
            if (streamCreated) {
                streamCreated = false;
                JCudaDriver.cuStreamDestroy(stream);
            }
        });
        return attempt(first, () -> {
            if (contextCreated) {
                contextCreated = false;
                JCudaDriver.cuCtxDestroy(context);
            }
        });
    }

    /** Runs one release step; keeps the first failure and goes on, so every step gets its chance. */
    private static RuntimeException attempt(final RuntimeException first, final Runnable step) {
        try {
            step.run();
            return first;
        } catch (RuntimeException e) {
            return first == null ? e : first;
        }
    }

    /**
     * {@code buffer} as this backend's, refused once the backend or the buffer is closed: every operation
     * passes its buffers through here first, so a call of size zero is refused too, as on the CPU.
     */
    private CudaFloats floats(final DeviceFloats buffer, final String what) {
        checkOpen();
        if (buffer instanceof CudaFloats f && f.owner() == this) {
            f.pointer();
            return f;
        }
        throw new IllegalArgumentException(what + " is not a buffer of this CUDA backend: "
                + (buffer == null ? "null" : buffer.getClass().getName()));
    }

    private CudaInts ints(final DeviceInts buffer, final String what) {
        checkOpen();
        if (buffer instanceof CudaInts i && i.owner() == this) {
            i.pointer();
            return i;
        }
        throw new IllegalArgumentException(what + " is not a buffer of this CUDA backend: "
                + (buffer == null ? "null" : buffer.getClass().getName()));
    }

    private static int elementBlocks(final long elements) {
        return (int) Math.min((elements + ELEMENT_THREADS - 1) / ELEMENT_THREADS, MAX_ELEMENT_BLOCKS);
    }

    /** A power of two between one warp and {@link #ROW_THREADS}, so short rows leave few threads idle. */
    private static int rowThreads(final int cols) {
        int threads = 32;
        while (threads < cols && threads < ROW_THREADS) {
            threads <<= 1;
        }
        return threads;
    }

    private static int ceilDiv(final int a, final int b) {
        return (int) (((long) a + b - 1) / b);
    }

    private static String cString(final byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII).trim();
    }

    /** One line: which step failed and why, without JCuda's multi-line loader explanations. */
    private static String describe(final String step, final Throwable t) {
        final String why;
        final String full = String.valueOf(t.getMessage());
        if (t instanceof UnsatisfiedLinkError && full.contains("libcuda.so.1: cannot open shared object file")) {
            return "no NVIDIA driver on this machine (libcuda.so.1 not found)";
        } else if (t instanceof UnsatisfiedLinkError) {
            why = "the CUDA driver (libcuda.so.1) or JCuda's native library could not be loaded";
        } else if (t instanceof NoClassDefFoundError) {
            why = "JCuda's driver binding failed to load earlier in this JVM";
        } else {
            why = step + " failed";
        }
        final String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return why + " (" + t.getClass().getSimpleName() + ")";
        }
        String line = message.strip();
        final int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline).strip();
        }
        if (line.length() > 200) {
            line = line.substring(0, 200) + "...";
        }
        return why + " (" + t.getClass().getSimpleName() + ": " + line + ")";
    }

    /** Pinned host memory that tells its address, which JCuda keeps to its subclasses. */
    private static final class PinnedMemory extends Pointer {
        long address() {
            return getNativePointer();
        }
    }
}
