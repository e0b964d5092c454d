package io.eddy.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import io.eddy.kernels.api.RecurrentCell;
import io.eddy.kernels.api.RtrlStage;
import io.eddy.kernels.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code ComputeBackend} operation on CUDA against the CPU reference, on seeded random inputs
 * at sizes 1, 3, 31, 33, 1000 and 4099 (below, at and above a warp and a 32-wide tile), with offsets.
 * Each test is reported as skipped where {@link CudaBackend#open()} fails, i.e. without a GPU.
 *
 * <p>Tolerances. Sums (gemm, gemv, scatter) are checked against the same sum of absolute values,
 * computed by the CPU backend on |inputs|: {@code |gpu − cpu| ≤ 1e-6·(√k + 1)·Σ|terms| + 1e-6}, about
 * eight float epsilons times √k, the typical (not worst-case) rounding growth of a k-term sum in a
 * different order or with fused multiply-adds. Element-wise results allow {@code 1e-5} relative plus
 * {@code 1e-6} absolute (CUDA's expf and tanhf are within 2 ulp). Gathers must match exactly.
 */
class CudaParityTest {

    private static final int[] SIZES = {1, 3, 31, 33, 1000, 4099};
    private static final int OFFSET = 5;

    private static ComputeBackend cuda;
    private static ComputeBackend cpu;

    private final List<AutoCloseable> buffers = new ArrayList<>();
    private final Random random = new Random(20_240_601L);

    private static String unavailable = "";

    @BeforeAll
    static void openBackends() {
        try {
            cuda = CudaBackend.open();
            cpu = new CpuBackend();
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
        }
    }

    /** Per test rather than per class, so that each one is reported as skipped where there is no GPU. */
    @BeforeEach
    void requireGpu() {
        // on the GPU machine (kernels/gpu/run.sh) a CUDA that does not open is a failure, not a skip
        Assertions.assertFalse(cuda == null && "1".equals(System.getenv("EDDY_REQUIRE_GPU")),
                () -> "EDDY_REQUIRE_GPU=1 but CUDA did not open: " + unavailable);
        Assumptions.assumeTrue(cuda != null, "no usable GPU, CUDA parity test skipped: " + unavailable);
    }

    @AfterAll
    static void closeBackends() {
        if (cuda != null) {
            cuda.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    @AfterEach
    void closeBuffers() throws Exception {
        for (final AutoCloseable buffer : buffers) {
            buffer.close();
        }
        buffers.clear();
    }

    // ---- gemm --------------------------------------------------------------------------------------

    static Stream<Arguments> gemmShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        final int[] small = {1, 3, 31, 33};
        final boolean[] flags = {false, true};
        for (final boolean transA : flags) {
            for (final boolean transB : flags) {
                for (final int m : small) {
                    for (final int n : small) {
                        for (final int k : small) {
                            shapes.add(Arguments.of(transA, transB, m, n, k));
                        }
                    }
                }
                shapes.add(Arguments.of(transA, transB, 1000, 33, 31));
                shapes.add(Arguments.of(transA, transB, 31, 1000, 33));
                shapes.add(Arguments.of(transA, transB, 33, 31, 1000));
                shapes.add(Arguments.of(transA, transB, 4099, 3, 31));
                shapes.add(Arguments.of(transA, transB, 3, 4099, 33));
                shapes.add(Arguments.of(transA, transB, 31, 3, 4099));
                shapes.add(Arguments.of(transA, transB, 1000, 1000, 33));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @MethodSource("gemmShapes")
    void shouldMatchCpuGemm(final boolean transA, final boolean transB, final int m, final int n, final int k) {
        checkGemm(transA, transB, m, n, k, 1, 1.25f, 0.5f, 0);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void shouldMatchCpuBatchedGemmWithPaddedRowsAndOffsets(final boolean transA, final boolean transB) {
        checkGemm(transA, transB, 33, 31, 35, 7, -0.75f, 2f, 3);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void shouldIgnoreNanInCWhenBetaIsZero(final boolean transA, final boolean transB) {
        checkGemm(transA, transB, 31, 33, 3, 2, 1f, 0f, 0);
    }

    /**
     * A column of C does not depend on the other columns (the interface's promise, which batched
     * learners rely on for replays): each column of a product big enough for the 128×128 kernel
     * equals, bit for bit, the same column computed alone by the small kernel.
     */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void shouldComputeEachGemmColumnAsItWouldAlone(final boolean transA, final boolean transB) {
        final int m = 1024;
        final int n = 512;
        final int k = 300;
        final Twin a = twin(randoms(m * k));
        final float[] b = randoms(k * n);
        final float[] c = randoms(m * n);
        final Twin all = twin(c);
        cuda.gemm(transA, transB, m, n, k, 1.5f, a.cuda, 0, transA ? m : k, twin(b).cuda, 0, transB ? k : n, 0.5f,
                all.cuda, 0, n, 1, 0, 0, 0);
        final float[] together = all.fromCuda();
        for (final int j : new int[] {0, 1, 130, 511}) {
            final float[] column = new float[k];
            final float[] cColumn = new float[m];
            for (int p = 0; p < k; p++) {
                column[p] = transB ? b[j * k + p] : b[p * n + j];
            }
            final float[] expected = new float[m];
            for (int i = 0; i < m; i++) {
                cColumn[i] = c[i * n + j];
                expected[i] = together[i * n + j];
            }
            final Twin alone = twin(cColumn);
            cuda.gemm(transA, transB, m, 1, k, 1.5f, a.cuda, 0, transA ? m : k, twin(column).cuda, 0, transB ? k : 1,
                    0.5f, alone.cuda, 0, 1, 1, 0, 0, 0);
            assertTrue(Arrays.equals(expected, alone.fromCuda()), "column " + j
                    + " differs from the same column computed alone");
        }
    }

    /**
     * The thin kernel (A·Bᵀ with at most 16 rows of A: a layer's answer to one event, a row per label):
     * rows on both sides of its limit, k across several of its 256-wide slices, batches with strides.
     */
    static Stream<Arguments> thinGemmShapes() {
        return Stream.of(Arguments.of(10, 2000, 794, 1, 0f), Arguments.of(16, 33, 4099, 1, 0.5f),
                Arguments.of(7, 31, 257, 3, 2f), Arguments.of(2, 1, 1, 1, 0f), Arguments.of(17, 100, 300, 1, 1f),
                Arguments.of(1, 4099, 256, 2, 0f));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} batch={3} beta={4}")
    @MethodSource("thinGemmShapes")
    void shouldMatchCpuOnTheThinKernel(final int m, final int n, final int k, final int batch, final float beta) {
        checkGemm(false, true, m, n, k, batch, 1.25f, beta, 1, OFFSET);
    }

    /** As {@link #shouldComputeEachGemmColumnAsItWouldAlone}, for the thin kernel: a column is one warp's. */
    @Test
    void shouldComputeEachThinGemmColumnAsItWouldAlone() {
        final int m = 10;
        final int n = 300;
        final int k = 794;
        final Twin a = twin(randoms(m * k));
        final float[] b = randoms(n * k);
        final Twin all = twin(new float[m * n]);
        cuda.gemm(false, true, m, n, k, 1f, a.cuda, 0, k, twin(b).cuda, 0, k, 0f, all.cuda, 0, n, 1, 0, 0, 0);
        final float[] together = all.fromCuda();
        for (final int j : new int[] {0, 7, 8, 299}) {
            final Twin alone = twin(new float[m]);
            cuda.gemm(false, true, m, 1, k, 1f, a.cuda, 0, k, twin(Arrays.copyOfRange(b, j * k, (j + 1) * k)).cuda,
                    0, k, 0f, alone.cuda, 0, 1, 1, 0, 0, 0);
            final float[] column = alone.fromCuda();
            for (int i = 0; i < m; i++) {
                assertEquals(Float.floatToIntBits(together[i * n + j]), Float.floatToIntBits(column[i]),
                        "row " + i + " of column " + j + " differs from the same column computed alone");
            }
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    /**
     * The 128×128 register-blocked kernel: large enough shapes, and with offset 0 and row lengths that are
     * multiples of 4 its float4 variant (16-byte aligned rows); odd shapes take its scalar-load variant.
     */
    static Stream<Arguments> largeGemmShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        for (final Arguments t : transposes().toList()) {
            final Object[] f = t.get();
            shapes.add(Arguments.of(f[0], f[1], 512, 384, 700, 1, 0, 0));
            shapes.add(Arguments.of(f[0], f[1], 256, 256, 2048, 1, 4, 0));
            shapes.add(Arguments.of(f[0], f[1], 128, 192, 64, 5, 4, 0));
            shapes.add(Arguments.of(f[0], f[1], 129, 257, 1000, 1, 3, OFFSET));
            shapes.add(Arguments.of(f[0], f[1], 4099, 130, 33, 1, 0, OFFSET));
            // enough tiles (at least 32) for the 128×128 kernels, aligned for their float4 variant: with edge
            // tiles, and batched (the shapes above that reach those kernels are offset, so take the scalar one)
            shapes.add(Arguments.of(f[0], f[1], 1000, 1000, 36, 1, 0, 0));
            shapes.add(Arguments.of(f[0], f[1], 256, 256, 64, 8, 4, 0));
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} batch={5} pad={6} offset={7}")
    @MethodSource("largeGemmShapes")
    void shouldMatchCpuOnTheLargeTileKernel(final boolean transA, final boolean transB, final int m, final int n,
                                            final int k, final int batch, final int pad, final int offset) {
        checkGemm(transA, transB, m, n, k, batch, 0.5f, 1f, pad, offset);
        checkGemm(transA, transB, m, n, k, batch, 1f, 0f, pad, offset);
    }

    private void checkGemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                           final int batch, final float alpha, final float beta, final int pad) {
        checkGemm(transA, transB, m, n, k, batch, alpha, beta, pad, OFFSET);
    }

    /** {@code pad} extra floats per row; with {@code beta == 0} C starts as NaN. */
    private void checkGemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                           final int batch, final float alpha, final float beta, final int pad, final int offset) {
        final int aRows = transA ? k : m;
        final int aCols = transA ? m : k;
        final int bRows = transB ? n : k;
        final int bCols = transB ? k : n;
        final int lda = aCols + pad;
        final int ldb = bCols + pad;
        final int ldc = n + pad;
        final long strideA = (long) aRows * lda + pad;
        final long strideB = (long) bRows * ldb + pad;
        final long strideC = (long) m * ldc + pad;
        final float[] a = randoms(offset + (int) (batch * strideA));
        final float[] b = randoms(offset + (int) (batch * strideB));
        final float[] c = beta == 0f ? filled(offset + (int) (batch * strideC), Float.NaN)
                : randoms(offset + (int) (batch * strideC));
        final Twin ta = twin(a);
        final Twin tb = twin(b);
        final Twin tc = twin(c);
        cpu.gemm(transA, transB, m, n, k, alpha, ta.cpu, offset, lda, tb.cpu, offset, ldb, beta, tc.cpu, offset,
                ldc, batch, strideA, strideB, strideC);
        cuda.gemm(transA, transB, m, n, k, alpha, ta.cuda, offset, lda, tb.cuda, offset, ldb, beta, tc.cuda,
                offset, ldc, batch, strideA, strideB, strideC);
        // Σ|terms| by the CPU backend on absolute values.
        final Twin sa = twin(abs(a));
        final Twin sb = twin(abs(b));
        final Twin sc = twin(beta == 0f ? c : abs(c));
        cpu.gemm(transA, transB, m, n, k, Math.abs(alpha), sa.cpu, offset, lda, sb.cpu, offset, ldb,
                Math.abs(beta), sc.cpu, offset, ldc, batch, strideA, strideB, strideC);
        assertSums("gemm " + m + "x" + n + "x" + k, tc.fromCpu(), tc.fromCuda(), sc.fromCpu(), k);
    }

    // ---- fused dense layer and row normalisation ---------------------------------------------------

    /** Rows of one answer (a row per label), the thin kernel's limit and one past it, a training batch. */
    private static final int[] LAYER_ROWS = {1, 10, 16, 17, 100};

    static Stream<Arguments> denseLayerCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final Activation f : Activation.values()) {
            for (final int rows : LAYER_ROWS) {
                cases.add(Arguments.of(f, rows));
            }
        }
        return cases.stream();
    }

    /**
     * The fused layer against the CPU's, tolerances as for gemm with Σ|terms| = |x|·|W|ᵀ + |b| (the
     * activations have slopes of at most 1 and add 2 ulp at most). y starts as NaN and must be overwritten.
     */
    @ParameterizedTest(name = "{0} rows={1}")
    @MethodSource("denseLayerCases")
    void shouldMatchCpuDenseLayer(final Activation f, final int rows) {
        final int out = 333;
        final int in = 794;
        final int wOffset = OFFSET + 2;
        final int biasOffset = wOffset + out * in;
        final float[] x = randoms(OFFSET + rows * in);
        final float[] w = randoms(biasOffset + out + 1);
        final Twin tx = twin(x);
        final Twin tw = twin(w);
        final Twin y = twin(filled(OFFSET + rows * out, Float.NaN));
        cpu.denseLayer(f, rows, out, in, tx.cpu, OFFSET, tw.cpu, wOffset, biasOffset, y.cpu, OFFSET);
        cuda.denseLayer(f, rows, out, in, tx.cuda, OFFSET, tw.cuda, wOffset, biasOffset, y.cuda, OFFSET);
        final Twin sx = twin(abs(x));
        final Twin sw = twin(abs(w));
        final Twin scale = twin(new float[OFFSET + rows * out]);
        cpu.denseLayer(Activation.IDENTITY, rows, out, in, sx.cpu, OFFSET, sw.cpu, wOffset, biasOffset, scale.cpu,
                OFFSET);
        final float[] actual = y.fromCuda();
        for (int i = OFFSET; i < actual.length; i++) {
            assertTrue(!Float.isNaN(actual[i]), "denseLayer left y[" + i + "] unwritten");
        }
        assertSums("denseLayer " + f, y.fromCpu(), actual, scale.fromCpu(), in);
    }

    static Stream<Arguments> rowSumOfSquaresAndNormalizeShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        for (final int rows : LAYER_ROWS) {
            for (final int cols : new int[] {1, 33, 2000}) {
                shapes.add(Arguments.of(rows, cols));
            }
        }
        return Stream.concat(shapes.stream(), rowShapes());
    }

    /** Against the CPU with the tolerances of rowSumOfSquares and rowNormalize; into another buffer and in place. */
    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("rowSumOfSquaresAndNormalizeShapes")
    void shouldMatchCpuRowSumOfSquaresAndNormalize(final int rows, final int cols) {
        final Twin a = twin(randoms(OFFSET + rows * cols));
        final Twin sums = twin(filled(OFFSET + rows, Float.NaN));
        final Twin out = twin(new float[rows * cols]);
        cpu.rowSumOfSquaresAndNormalize(rows, cols, 1e-6f, a.cpu, OFFSET, sums.cpu, OFFSET, out.cpu, 0);
        cuda.rowSumOfSquaresAndNormalize(rows, cols, 1e-6f, a.cuda, OFFSET, sums.cuda, OFFSET, out.cuda, 0);
        final float[] expectedSums = sums.fromCpu();
        assertSums("rowSumOfSquaresAndNormalize sums", expectedSums, sums.fromCuda(), expectedSums, cols);
        assertClose("rowSumOfSquaresAndNormalize", out.fromCpu(), out.fromCuda(), null, 1e-5,
                1e-6 * (Math.sqrt(cols) + 1));
        cpu.rowSumOfSquaresAndNormalize(rows, cols, 1e-6f, a.cpu, OFFSET, sums.cpu, OFFSET, a.cpu, OFFSET);
        cuda.rowSumOfSquaresAndNormalize(rows, cols, 1e-6f, a.cuda, OFFSET, sums.cuda, OFFSET, a.cuda, OFFSET);
        assertClose("rowSumOfSquaresAndNormalize in place", a.fromCpu(), a.fromCuda(), null, 1e-5,
                1e-6 * (Math.sqrt(cols) + 1));
    }

    static Stream<Arguments> fusedBitsCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final Activation f : Activation.values()) {
            for (final int rows : new int[] {1, 10, 16, 17, 100, 256}) {
                cases.add(Arguments.of(f, rows));
            }
        }
        return cases.stream();
    }

    /**
     * On the GPU too the fused operations give the bits of the sequences they replace: for the layer the
     * product, the bias as a k = 1 product with a column of ones, the activation (thin kernel with its
     * epilogue up to 16 rows; beyond, the tiled kernels, 128×128 ones at 256 rows, then one bias-and-
     * activation kernel); for the rows the sums of squares, then the normalisation.
     */
    @ParameterizedTest(name = "{0} rows={1}")
    @MethodSource("fusedBitsCases")
    void shouldGiveTheBitsOfTheComposedSequenceOnCuda(final Activation f, final int rows) {
        final int out = 2000;
        final int in = 794;
        final int biasOffset = out * in;
        final DeviceFloats x = twin(randoms(rows * in)).cuda;
        final DeviceFloats w = twin(randoms(biasOffset + out)).cuda;
        final DeviceFloats ones = twin(filled(rows, 1f)).cuda;
        final DeviceFloats fused = twin(filled(rows * out, Float.NaN)).cuda;
        final DeviceFloats composed = twin(filled(rows * out, Float.NaN)).cuda;
        cuda.denseLayer(f, rows, out, in, x, 0, w, 0, biasOffset, fused, 0);
        cuda.gemm(false, true, rows, out, in, 1f, x, 0, in, w, 0, in, 0f, composed, 0, out, 1, 0, 0, 0);
        cuda.gemm(false, false, rows, out, 1, 1f, ones, 0, 1, w, biasOffset, out, 1f, composed, 0, out, 1, 0, 0, 0);
        if (f != Activation.IDENTITY) {
            cuda.activate(f, rows * out, composed, 0, composed, 0);
        }
        assertSameBits("denseLayer " + f, download(composed), download(fused));

        final DeviceFloats sums = twin(filled(rows, Float.NaN)).cuda;
        final DeviceFloats normal = twin(filled(rows * out, Float.NaN)).cuda;
        final DeviceFloats wantSums = twin(filled(rows, Float.NaN)).cuda;
        final DeviceFloats wantNormal = twin(filled(rows * out, Float.NaN)).cuda;
        cuda.rowSumOfSquaresAndNormalize(rows, out, 1e-8f, fused, 0, sums, 0, normal, 0);
        cuda.rowSumOfSquares(rows, out, fused, 0, wantSums, 0);
        cuda.rowNormalize(rows, out, 1e-8f, fused, 0, wantNormal, 0);
        assertSameBits("rowSumOfSquaresAndNormalize sums", download(wantSums), download(sums));
        assertSameBits("rowSumOfSquaresAndNormalize", download(wantNormal), download(normal));
    }

    /**
     * A pass padded to {@link ComputeBackend#stableRows} gives each row the bits the full capacity gives
     * it, across the thin kernel (up to 16 rows), the 32-tiles and the 128-tiles (256 rows and more).
     */
    @ParameterizedTest(name = "capacity={0}")
    @ValueSource(ints = {1, 10, 16, 17, 300, 510})
    void stableRowsGiveEveryRowTheSameBitsWhateverTheRowCountOnCuda(final int capacity) {
        final int out = 2000;
        final int in = 794;
        final DeviceFloats x = twin(randoms(capacity * in)).cuda;
        final DeviceFloats w = twin(randoms(out * in + out)).cuda;
        final DeviceFloats full = twin(filled(capacity * out, Float.NaN)).cuda;
        cuda.denseLayer(Activation.RELU, capacity, out, in, x, 0, w, 0, out * in, full, 0);
        final float[] want = download(full);
        for (final int wanted : new int[] {0, 1, capacity / 2, capacity}) {
            final int rows = cuda.stableRows(wanted, capacity);
            assertTrue(rows >= wanted && rows <= capacity, "rows " + rows + " for " + wanted);
            final DeviceFloats y = twin(filled(capacity * out, Float.NaN)).cuda;
            cuda.denseLayer(Activation.RELU, rows, out, in, x, 0, w, 0, out * in, y, 0);
            assertSameBits("denseLayer, " + wanted + " of " + capacity + " rows",
                    Arrays.copyOf(want, wanted * out), Arrays.copyOf(download(y), wanted * out));
        }
    }

    // ---- gemv and ger ------------------------------------------------------------------------------

    static Stream<Arguments> matrixShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        for (final boolean trans : new boolean[] {false, true}) {
            for (final int m : SIZES) {
                for (final int n : SIZES) {
                    if ((long) m * n <= 1_100_000) {
                        shapes.add(Arguments.of(trans, m, n));
                    }
                }
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "trans={0} m={1} n={2}")
    @MethodSource("matrixShapes")
    void shouldMatchCpuGemv(final boolean trans, final int m, final int n) {
        final int lda = n + 2;
        final int in = trans ? m : n;
        final int out = trans ? n : m;
        final float[] a = randoms(OFFSET + m * lda);
        final float[] x = randoms(OFFSET + in);
        final float[] y = randoms(OFFSET + out);
        final Twin ta = twin(a);
        final Twin tx = twin(x);
        final Twin ty = twin(y);
        cpu.gemv(trans, m, n, 0.5f, ta.cpu, OFFSET, lda, tx.cpu, OFFSET, -1.5f, ty.cpu, OFFSET);
        cuda.gemv(trans, m, n, 0.5f, ta.cuda, OFFSET, lda, tx.cuda, OFFSET, -1.5f, ty.cuda, OFFSET);
        final Twin sa = twin(abs(a));
        final Twin sx = twin(abs(x));
        final Twin sy = twin(abs(y));
        cpu.gemv(trans, m, n, 0.5f, sa.cpu, OFFSET, lda, sx.cpu, OFFSET, 1.5f, sy.cpu, OFFSET);
        assertSums("gemv", ty.fromCpu(), ty.fromCuda(), sy.fromCpu(), in);

        // beta == 0 ignores y, NaN included
        final Twin nan = twin(filled(OFFSET + out, Float.NaN));
        cpu.gemv(trans, m, n, 1f, ta.cpu, OFFSET, lda, tx.cpu, OFFSET, 0f, nan.cpu, OFFSET);
        cuda.gemv(trans, m, n, 1f, ta.cuda, OFFSET, lda, tx.cuda, OFFSET, 0f, nan.cuda, OFFSET);
        final float[] expected = nan.fromCpu();
        final float[] actual = nan.fromCuda();
        for (int i = OFFSET; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), "gemv with beta 0 leaked NaN at " + i);
        }
    }

    static Stream<Arguments> gerShapes() {
        return matrixShapes().filter(shape -> !(Boolean) shape.get()[0])
                .map(shape -> Arguments.of(shape.get()[1], shape.get()[2]));
    }

    @ParameterizedTest(name = "m={0} n={1}")
    @MethodSource("gerShapes")
    void shouldMatchCpuGer(final int m, final int n) {
        final int lda = n + 1;
        final Twin x = twin(randoms(OFFSET + m));
        final Twin y = twin(randoms(OFFSET + n));
        final Twin a = twin(randoms(OFFSET + m * lda));
        cpu.ger(m, n, -0.5f, x.cpu, OFFSET, y.cpu, OFFSET, a.cpu, OFFSET, lda);
        cuda.ger(m, n, -0.5f, x.cuda, OFFSET, y.cuda, OFFSET, a.cuda, OFFSET, lda);
        assertElementwise("ger", a.fromCpu(), a.fromCuda());
    }

    // ---- level 1 and element-wise -------------------------------------------------------------------

    static int[] sizes() {
        return SIZES;
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void shouldMatchCpuAxpy(final int n) {
        final Twin x = twin(randoms(OFFSET + n));
        final Twin y = twin(randoms(OFFSET + n));
        cpu.axpy(n, 0.3f, x.cpu, OFFSET, y.cpu, OFFSET);
        cuda.axpy(n, 0.3f, x.cuda, OFFSET, y.cuda, OFFSET);
        assertElementwise("axpy", y.fromCpu(), y.fromCuda());
    }

    static Stream<Arguments> activationsAndSizes() {
        final List<Arguments> cases = new ArrayList<>();
        for (final Activation f : Activation.values()) {
            for (final int n : SIZES) {
                cases.add(Arguments.of(f, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("activationsAndSizes")
    void shouldMatchCpuActivation(final Activation f, final int n) {
        final float[] x = randoms(OFFSET + n);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 6f;  // reach tanh and sigmoid saturation
        }
        final Twin in = twin(x);
        final Twin out = twin(new float[n]);
        cpu.activate(f, n, in.cpu, OFFSET, out.cpu, 0);
        cuda.activate(f, n, in.cuda, OFFSET, out.cuda, 0);
        assertElementwise("activate " + f, out.fromCpu(), out.fromCuda());
        // in place
        cpu.activate(f, n, in.cpu, OFFSET, in.cpu, OFFSET);
        cuda.activate(f, n, in.cuda, OFFSET, in.cuda, OFFSET);
        assertElementwise("activate in place " + f, in.fromCpu(), in.fromCuda());
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("activationsAndSizes")
    void shouldMatchCpuActivationBackward(final Activation f, final int n) {
        final float[] y = randoms(OFFSET + n);
        if (f == Activation.SIGMOID) {
            for (int i = 0; i < y.length; i++) {
                y[i] = 0.5f + 0.5f * y[i];
            }
        }
        final Twin ty = twin(y);
        final Twin tg = twin(randoms(n + OFFSET));
        final Twin out = twin(filled(OFFSET + n, Float.NaN));
        cpu.activationBackward(f, n, ty.cpu, OFFSET, tg.cpu, 0, out.cpu, OFFSET);
        cuda.activationBackward(f, n, ty.cuda, OFFSET, tg.cuda, 0, out.cuda, OFFSET);
        assertElementwise("activationBackward " + f, out.fromCpu(), out.fromCuda());
    }

    // ---- row reductions ---------------------------------------------------------------------------

    static Stream<Arguments> rowShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        for (final int rows : SIZES) {
            for (final int cols : SIZES) {
                if ((long) rows * cols <= 4_200_000) {
                    shapes.add(Arguments.of(rows, cols));
                }
            }
        }
        // more rows than a grid has blocks in one dimension: the kernels' loop over rows
        shapes.add(Arguments.of(70_000, 3));
        return shapes.stream();
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("rowShapes")
    void shouldMatchCpuRowSumOfSquares(final int rows, final int cols) {
        final Twin a = twin(randoms(OFFSET + rows * cols));
        final Twin out = twin(filled(rows + OFFSET, Float.NaN));
        cpu.rowSumOfSquares(rows, cols, a.cpu, OFFSET, out.cpu, OFFSET);
        cuda.rowSumOfSquares(rows, cols, a.cuda, OFFSET, out.cuda, OFFSET);
        final float[] expected = out.fromCpu();
        assertSums("rowSumOfSquares", expected, out.fromCuda(), expected, cols);
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("rowShapes")
    void shouldMatchCpuScaleRows(final int rows, final int cols) {
        final Twin scale = twin(randoms(OFFSET + rows));
        final Twin a = twin(randoms(OFFSET + rows * cols));
        cpu.scaleRows(rows, cols, scale.cpu, OFFSET, a.cpu, OFFSET);
        cuda.scaleRows(rows, cols, scale.cuda, OFFSET, a.cuda, OFFSET);
        assertElementwise("scaleRows", a.fromCpu(), a.fromCuda());
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @MethodSource("rowShapes")
    void shouldMatchCpuRowNormalize(final int rows, final int cols) {
        final Twin a = twin(randoms(OFFSET + rows * cols));
        final Twin out = twin(new float[rows * cols]);
        cpu.rowNormalize(rows, cols, 1e-6f, a.cpu, OFFSET, out.cpu, 0);
        cuda.rowNormalize(rows, cols, 1e-6f, a.cuda, OFFSET, out.cuda, 0);
        assertClose("rowNormalize", out.fromCpu(), out.fromCuda(), null, 1e-5, 1e-6 * (Math.sqrt(cols) + 1));
        // in place
        cpu.rowNormalize(rows, cols, 1e-6f, a.cpu, OFFSET, a.cpu, OFFSET);
        cuda.rowNormalize(rows, cols, 1e-6f, a.cuda, OFFSET, a.cuda, OFFSET);
        assertClose("rowNormalize in place", a.fromCpu(), a.fromCuda(), null, 1e-5,
                1e-6 * (Math.sqrt(cols) + 1));
    }

    // ---- gathers and scatters ---------------------------------------------------------------------

    static Stream<Arguments> gatherShapes() {
        final List<Arguments> shapes = new ArrayList<>();
        for (final int count : SIZES) {
            for (final int cols : new int[] {1, 3, 33, 1000}) {
                shapes.add(Arguments.of(count, cols));
            }
        }
        return shapes.stream();
    }

    @ParameterizedTest(name = "count={0} cols={1}")
    @MethodSource("gatherShapes")
    void shouldMatchCpuGatherRowsExactly(final int count, final int cols) {
        final int tableRows = 31;
        final Twin table = twin(randoms(tableRows * cols));
        final IntTwin rows = intTwin(indices(OFFSET + count, tableRows));
        final Twin out = twin(filled(OFFSET + count * cols, Float.NaN));
        cpu.gatherRows(count, cols, table.cpu, rows.cpu, OFFSET, out.cpu, OFFSET);
        cuda.gatherRows(count, cols, table.cuda, rows.cuda, OFFSET, out.cuda, OFFSET);
        final float[] expected = out.fromCpu();
        final float[] actual = out.fromCuda();
        for (int i = OFFSET; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "gather at " + i);
        }
    }

    @ParameterizedTest(name = "count={0} cols={1}")
    @MethodSource("gatherShapes")
    void shouldMatchCpuScatterAddRows(final int count, final int cols) {
        final int tableRows = 31;  // far fewer rows than counts: indices repeat and accumulate
        final float[] src = randoms(OFFSET + count * cols);
        final float[] table = randoms(tableRows * cols);
        final IntTwin rows = intTwin(indices(OFFSET + count, tableRows));
        final Twin ts = twin(src);
        final Twin tt = twin(table);
        cpu.scatterAddRows(count, cols, 0.7f, ts.cpu, OFFSET, rows.cpu, OFFSET, tt.cpu);
        cuda.scatterAddRows(count, cols, 0.7f, ts.cuda, OFFSET, rows.cuda, OFFSET, tt.cuda);
        final Twin ss = twin(abs(src));
        final Twin st = twin(abs(table));
        cpu.scatterAddRows(count, cols, 0.7f, ss.cpu, OFFSET, rows.cpu, OFFSET, st.cpu);
        assertSums("scatterAddRows", tt.fromCpu(), tt.fromCuda(), st.fromCpu(), count);
    }

    // ---- optimiser and recurrence -----------------------------------------------------------------

    @ParameterizedTest(name = "n={0}")
    @MethodSource("sizes")
    void shouldMatchCpuAdamOverThreeSteps(final int n) {
        final Twin params = twin(randoms(n));
        final Twin m = twin(new float[n]);
        final Twin v = twin(new float[n]);
        for (int t = 1; t <= 3; t++) {
            final Twin grads = twin(randoms(n));
            cpu.adamStep(n, 1e-2f, 0.9f, 0.999f, 1e-8f, t, params.cpu, grads.cpu, m.cpu, v.cpu);
            cuda.adamStep(n, 1e-2f, 0.9f, 0.999f, 1e-8f, t, params.cuda, grads.cuda, m.cuda, v.cuda);
        }
        assertElementwise("adam m", m.fromCpu(), m.fromCuda());
        assertElementwise("adam v", v.fromCpu(), v.fromCuda());
        assertElementwise("adam params", params.fromCpu(), params.fromCuda());
    }

    static Stream<Arguments> gradientSumShapes() {
        // a clip of 0.1 is no float: the CPU takes its double path; shared flags: take and refused in one
        // buffer, as the RTRL learner passes them
        return Stream.of(Arguments.of(1, 1, 0.0, false), Arguments.of(3, 33, 0.5, false),
                Arguments.of(32, 4099, 0.0, false), Arguments.of(31, 1000, 0.25, false),
                Arguments.of(5, 33, 0.1, false), Arguments.of(6, 1000, 1.0, true));
    }

    /** Sums in double on both, so equal bits, with rows skipped, clipped, refused for NaN and for overflow. */
    @ParameterizedTest(name = "keys={0} cols={1} clip={2} sharedFlags={3}")
    @MethodSource("gradientSumShapes")
    void shouldMatchCpuAccumulateGradientsBitForBit(final int keys, final int cols, final double clip,
                                                     final boolean sharedFlags) {
        final int stride = cols + 3;
        final float[] g = randoms(OFFSET + keys * stride);
        final float[] take = new float[keys];
        for (int b = 0; b < keys; b++) {
            take[b] = b % 4 == 1 ? 0f : 1f;
        }
        g[OFFSET + (keys - 1) * stride] = Float.NaN;
        g[OFFSET + (keys / 2) * stride + cols - 1] = Float.MAX_VALUE;
        final float[] start = randoms(cols + OFFSET);
        start[OFFSET + cols - 1] = Float.MAX_VALUE;
        final Twin tg = twin(g);
        final Twin tt = twin(sharedFlags ? Arrays.copyOf(take, 2 * keys) : take);
        final Twin sum = twin(start);
        final Twin refused = sharedFlags ? tt : twin(new float[keys + OFFSET]);
        final int refusedOffset = sharedFlags ? keys : OFFSET;
        cpu.accumulateGradients(keys, cols, clip, tg.cpu, OFFSET, stride, tt.cpu, 0, sum.cpu, OFFSET, refused.cpu,
                refusedOffset);
        cuda.accumulateGradients(keys, cols, clip, tg.cuda, OFFSET, stride, tt.cuda, 0, sum.cuda, OFFSET,
                refused.cuda, refusedOffset);
        assertArrayEquals(sum.fromCpu(), sum.fromCuda(), "sums");
        assertArrayEquals(refused.fromCpu(), refused.fromCuda(), "refused rows");
    }

    static Stream<Arguments> rtrlShapes() {
        return Stream.of(Arguments.of(1, 1, 1), Arguments.of(3, 31, 33), Arguments.of(33, 3, 31),
                Arguments.of(1, 1000, 3), Arguments.of(3, 33, 1000), Arguments.of(4099, 3, 1),
                Arguments.of(1, 4099, 31));
    }

    @ParameterizedTest(name = "batch={0} units={1} inputs={2}")
    @MethodSource("rtrlShapes")
    void shouldMatchCpuRtrlDiagonalStepOverThreeSteps(final int batch, final int units, final int inputs) {
        final Twin r = twin(randoms(units));
        final Twin s = twin(new float[batch * units * inputs]);
        for (int step = 0; step < 3; step++) {
            final Twin a = twin(randoms(batch * units));
            final Twin x = twin(randoms(batch * inputs));
            cpu.rtrlDiagonalStep(batch, units, inputs, a.cpu, r.cpu, x.cpu, s.cpu);
            cuda.rtrlDiagonalStep(batch, units, inputs, a.cuda, r.cuda, x.cuda, s.cuda);
        }
        assertElementwise("rtrl S", s.fromCpu(), s.fromCuda());
    }

    static Stream<Arguments> rtrlStages() {
        final List<Arguments> stages = new ArrayList<>();
        for (final RecurrentCell cell : RecurrentCell.values()) {
            stages.add(Arguments.of(cell, 1, 1, 1));
            stages.add(Arguments.of(cell, 3, 31, 33));
            stages.add(Arguments.of(cell, 33, 3, 31));
            stages.add(Arguments.of(cell, 4, 33, 1000));
            stages.add(Arguments.of(cell, 1, 1000, 3));
            stages.add(Arguments.of(cell, 4099, 3, 1));
        }
        return stages.stream();
    }

    /**
     * Three learning steps and a frozen one of a stage laid out with offsets and padded rows, then the
     * gradient: states, features, traces and gradients element-wise (gradient rows start from random
     * values, so a value either kernel leaves unwritten shows).
     */
    @ParameterizedTest(name = "{0} batch={1} units={2} fanIn={3}")
    @MethodSource("rtrlStages")
    void shouldMatchCpuRtrlForwardAndGradient(final RecurrentCell cell, final int batch, final int units,
                                              final int fanIn) {
        final RtrlStage probe = new RtrlStage(cell, 1, units, fanIn, 0, 0, 0);
        final int stateStride = 2 + units * probe.unitState() + 3;
        final RtrlStage stage = new RtrlStage(cell, batch, units, fanIn, OFFSET, 2, stateStride);
        final int inputStride = fanIn + 4;
        final int featureStride = units + 2;
        final int gradStride = units * probe.unitParameters() + 5;
        final float[] params = randoms(OFFSET + units * probe.unitParameters());
        for (int i = 0; i < params.length; i++) {
            params[i] *= 0.5f;
        }
        final Twin p = twin(params);
        final Twin state = twin(randoms(batch * stateStride));
        final Twin trace = twin(new float[batch * units * probe.unitTrace()]);
        final Twin features = twin(new float[1 + batch * featureStride]);
        final Twin input = twin(randoms(batch * inputStride));
        for (int step = 0; step < 4; step++) {
            final Twin pre = twin(randoms(cell.gates() * batch * units));
            final boolean learning = step != 2;
            cpu.rtrlForward(stage, learning, p.cpu, pre.cpu, input.cpu, inputStride, state.cpu, trace.cpu,
                    features.cpu, 1, featureStride);
            cuda.rtrlForward(stage, learning, p.cuda, pre.cuda, input.cuda, inputStride, state.cuda, trace.cuda,
                    features.cuda, 1, featureStride);
        }
        assertElementwise("rtrl state", state.fromCpu(), state.fromCuda());
        assertElementwise("rtrl features", features.fromCpu(), features.fromCuda());
        assertElementwise("rtrl trace", trace.fromCpu(), trace.fromCuda());
        final Twin hiddenGrad = twin(randoms(batch * units));
        final Twin grads = twin(randoms(3 + batch * gradStride));
        cpu.rtrlGradient(stage, p.cpu, hiddenGrad.cpu, input.cpu, inputStride, state.cpu, trace.cpu, grads.cpu, 3,
                gradStride);
        cuda.rtrlGradient(stage, p.cuda, hiddenGrad.cuda, input.cuda, inputStride, state.cuda, trace.cuda,
                grads.cuda, 3, gradStride);
        assertElementwise("rtrl gradient", grads.fromCpu(), grads.fromCuda());
    }

    // ---- transfers and misuse ---------------------------------------------------------------------

    @Test
    void shouldRoundTripMoreThanOneStagingBufferAtOffsets() {
        final int n = 5_000_003;  // above the 16 MiB staging buffer: copies go in chunks
        final float[] host = randoms(n);
        final DeviceFloats device = track(cuda.allocateFloats(n + 7));
        cuda.upload(host, 3, device, 7, n - 3);
        final float[] back = new float[n];
        cuda.download(device, 7, back, 3, n - 3);
        assertTrue(Arrays.equals(host, 3, n, back, 3, n), "round trip changed data");
        final float[] zeros = new float[7];
        cuda.download(device, 0, zeros, 0, 7);
        assertTrue(Arrays.equals(new float[7], zeros), "allocateFloats should zero its buffer");
    }

    @Test
    void shouldRejectBuffersOfAnotherBackend() {
        final DeviceFloats mine = track(cuda.allocateFloats(4));
        final DeviceFloats theirs = track(cpu.allocateFloats(4));
        assertThrows(IllegalArgumentException.class, () -> cuda.axpy(4, 1f, theirs, 0, mine, 0));
        assertThrows(IllegalArgumentException.class, () -> cuda.upload(new float[4], 0, theirs, 0, 4));
    }

    @Test
    void shouldReportADeviceName() {
        assertTrue(!((CudaBackend) cuda).deviceName().isBlank());
        assertEquals("cuda", cuda.name());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Sum-like results: {@code |gpu − cpu| ≤ 1e-6·(√k + 1)·Σ|terms| + 1e-6}. */
    private static void assertSums(final String what, final float[] expected, final float[] actual,
                                   final float[] absoluteSum, final int k) {
        assertClose(what, expected, actual, absoluteSum, 1e-6 * (Math.sqrt(k) + 1), 1e-6);
    }

    /** Bit for bit, NaN payloads aside. */
    private static void assertSameBits(final String what, final float[] expected, final float[] actual) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + " on the fused path, "
                        + expected[i] + " on the composed one");
            }
        }
    }

    private static float[] download(final DeviceFloats buffer) {
        final float[] out = new float[buffer.length()];
        cuda.download(buffer, 0, out, 0, out.length);
        return out;
    }

    /** Element-wise results: {@code |gpu − cpu| ≤ 1e-5·|cpu| + 1e-6}. */
    private static void assertElementwise(final String what, final float[] expected, final float[] actual) {
        assertClose(what, expected, actual, null, 1e-5, 1e-6);
    }

    /** {@code |actual − expected| ≤ relative·scale + absolute}, scale defaulting to |expected|. */
    private static void assertClose(final String what, final float[] expected, final float[] actual,
                                    final float[] scale, final double relative, final double absolute) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        int bad = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            final double e = expected[i];
            final double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            final double s = scale == null ? Math.abs(e) : Math.abs(scale[i]);
            final double limit = relative * s + absolute;
            final double error = Math.abs(a - e);
            if (!(error <= limit)) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
            if (error > worst) {
                worst = error;
            }
        }
        if (bad > 0) {
            throw new AssertionError(what + ": " + bad + " of " + expected.length + " differ; first at " + first
                    + ": cpu " + expected[first] + ", cuda " + actual[first] + "; worst error " + worst);
        }
    }

    private float[] randoms(final int n) {
        final float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    private int[] indices(final int n, final int bound) {
        final int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(bound);
        }
        return values;
    }

    private static float[] filled(final int n, final float value) {
        final float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }

    private static float[] abs(final float[] values) {
        final float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.abs(values[i]);
        }
        return out;
    }

    private <T extends AutoCloseable> T track(final T buffer) {
        buffers.add(buffer);
        return buffer;
    }

    private Twin twin(final float[] values) {
        final DeviceFloats onCpu = track(cpu.allocateFloats(values.length));
        final DeviceFloats onCuda = track(cuda.allocateFloats(values.length));
        cpu.upload(values, 0, onCpu, 0, values.length);
        cuda.upload(values, 0, onCuda, 0, values.length);
        return new Twin(onCpu, onCuda);
    }

    private IntTwin intTwin(final int[] values) {
        final DeviceInts onCpu = track(cpu.allocateInts(values.length));
        final DeviceInts onCuda = track(cuda.allocateInts(values.length));
        cpu.upload(values, 0, onCpu, 0, values.length);
        cuda.upload(values, 0, onCuda, 0, values.length);
        return new IntTwin(onCpu, onCuda);
    }

    /** The same floats on both backends. */
    private static final class Twin {
        final DeviceFloats cpu;
        final DeviceFloats cuda;

        Twin(final DeviceFloats cpu, final DeviceFloats cuda) {
            this.cpu = cpu;
            this.cuda = cuda;
        }

        float[] fromCpu() {
            final float[] out = new float[cpu.length()];
            CudaParityTest.cpu.download(cpu, 0, out, 0, out.length);
            return out;
        }

        float[] fromCuda() {
            final float[] out = new float[cuda.length()];
            CudaParityTest.cuda.download(cuda, 0, out, 0, out.length);
            return out;
        }
    }

    /** The same ints on both backends. */
    private static final class IntTwin {
        final DeviceInts cpu;
        final DeviceInts cuda;

        IntTwin(final DeviceInts cpu, final DeviceInts cuda) {
            this.cpu = cpu;
            this.cuda = cuda;
        }
    }
}
