package io.eddy.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CPU operation against {@link ReferenceMath} (double precision) at awkward sizes, in each of the
 * backend's four shapes: plain loops or the Vector API, one thread or two. Sums must be within
 * {@code 1e-6·(√k + 1)·Σ|terms| + 1e-6} of the exact value, element-wise results within
 * {@code 1e-5} relative plus {@code 1e-6}; gathers must be exact.
 */
class CpuBackendTest {

    private static final int OFFSET = 3;
    private static final CpuBackend[] BACKENDS = {
        new CpuBackend(1, false), new CpuBackend(2, false), new CpuBackend(1, true), new CpuBackend(2, true)};

    private final Random random = new Random(7_2024L);

    @AfterAll
    static void closeBackends() {
        for (final CpuBackend backend : BACKENDS) {
            backend.close();
        }
    }

    static Stream<Arguments> backends() {
        return Arrays.stream(BACKENDS).map(b -> Arguments.of(b.describe(), b));
    }

    static Stream<Arguments> gemmCases() {
        final List<Arguments> cases = new ArrayList<>();
        final int[][] shapes = {{1, 1, 1}, {3, 31, 33}, {33, 3, 31}, {31, 33, 3}, {7, 1000, 33}, {1000, 33, 31},
            {33, 31, 1000}, {4099, 3, 31}, {3, 4099, 33}, {31, 3, 4099}, {130, 1100, 300}};
        for (final CpuBackend backend : BACKENDS) {
            for (int flags = 0; flags < 4; flags++) {
                for (final int[] s : shapes) {
                    cases.add(Arguments.of(backend.describe(), backend, (flags & 1) != 0, (flags & 2) != 0,
                            s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: transA={2} transB={3} m={4} n={5} k={6}", autoCloseArguments = false)
    @MethodSource("gemmCases")
    void gemmMatchesTheReference(final String name, final CpuBackend cpu, final boolean transA,
                                 final boolean transB, final int m, final int n, final int k) {
        checkGemm(cpu, transA, transB, m, n, k, 1, 0.75f, -0.5f);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void batchedGemmUsesEachStrideAndPaddedRows(final String name, final CpuBackend cpu) {
        checkGemm(cpu, false, true, 9, 37, 17, 3, 1.5f, 0f);
        checkGemm(cpu, true, false, 40, 5, 70, 4, -1f, 2f);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void gemmWithBetaZeroIgnoresNaNInC(final String name, final CpuBackend cpu) {
        final int m = 20;
        final int n = 50;
        final int k = 10;
        final DeviceFloats a = put(cpu, randoms(m * k));
        final DeviceFloats b = put(cpu, randoms(k * n));
        final float[] nan = new float[m * n];
        Arrays.fill(nan, Float.NaN);
        final DeviceFloats c = put(cpu, nan);
        cpu.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, 1, 0, 0, 0);
        for (final float v : get(cpu, c)) {
            assertTrue(Float.isFinite(v), "NaN leaked through beta = 0");
        }
    }

    /** Many rounds of the worker pool, with edge tiles and two column blocks: a claiming race shows here. */
    @Test
    void gemmIsBitwiseTheSameOnOneThreadAndOnTwoRoundAfterRound() {
        final float[] a = randoms(130 * 300);
        final float[] b = randoms(300 * 1100);
        for (int pair = 0; pair < 2; pair++) {
            final CpuBackend one = BACKENDS[2 * pair];
            final CpuBackend two = BACKENDS[2 * pair + 1];
            final float[] c1 = multiply(one, a, b, 130, 1100, 300);
            for (int round = 0; round < 300; round++) {
                final float[] c2 = multiply(two, a, b, 130, 1100, 300);
                if (!Arrays.equals(c1, c2)) {
                    throw new AssertionError("threads changed the result of " + two.describe() + " in round " + round);
                }
            }
        }
    }

    static Stream<Arguments> columnIndependenceCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : BACKENDS) {
            for (int flags = 0; flags < 4; flags++) {
                for (final int m : new int[] {2, 13}) {
                    cases.add(Arguments.of(backend.describe(), backend, (flags & 1) != 0, (flags & 2) != 0, m));
                }
            }
        }
        return cases.stream();
    }

    /**
     * Each column of a 37-column product (full and edge tiles, or the thin path; k over two packed
     * blocks; two threads) equals, bit for bit, the same column computed alone.
     */
    @ParameterizedTest(name = "{0}: transA={2} transB={3} m={4}", autoCloseArguments = false)
    @MethodSource("columnIndependenceCases")
    void gemmColumnsDoNotDependOnTheOtherColumns(final String name, final CpuBackend cpu, final boolean transA,
                                                final boolean transB, final int m) {
        final int n = 37;
        final int k = 300;
        final float[] a = randoms(m * k);
        final float[] b = randoms(k * n);
        final float[] c = randoms(m * n);
        final DeviceFloats da = put(cpu, a);
        final DeviceFloats all = put(cpu, c);
        cpu.gemm(transA, transB, m, n, k, 1.5f, da, 0, transA ? m : k, put(cpu, b), 0, transB ? k : n, 0.5f,
                all, 0, n, 1, 0, 0, 0);
        final float[] together = get(cpu, all);
        for (int j = 0; j < n; j++) {
            final float[] column = new float[k];
            final float[] cColumn = new float[m];
            for (int p = 0; p < k; p++) {
                column[p] = transB ? b[j * k + p] : b[p * n + j];
            }
            for (int i = 0; i < m; i++) {
                cColumn[i] = c[i * n + j];
            }
            final DeviceFloats alone = put(cpu, cColumn);
            cpu.gemm(transA, transB, m, 1, k, 1.5f, da, 0, transA ? m : k, put(cpu, column), 0, transB ? k : 1, 0.5f,
                    alone, 0, 1, 1, 0, 0, 0);
            final float[] expected = new float[m];
            for (int i = 0; i < m; i++) {
                expected[i] = together[i * n + j];
            }
            assertArrayEquals(expected, get(cpu, alone), "column " + j);
        }
    }

    static Stream<Arguments> gemvCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : BACKENDS) {
            for (final boolean trans : new boolean[] {false, true}) {
                for (final int[] s : new int[][] {{1, 1}, {3, 4099}, {4099, 3}, {33, 31}, {1000, 1000}}) {
                    cases.add(Arguments.of(backend.describe(), backend, trans, s[0], s[1]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: trans={2} m={3} n={4}", autoCloseArguments = false)
    @MethodSource("gemvCases")
    void gemvMatchesTheReference(final String name, final CpuBackend cpu, final boolean trans, final int m,
                                 final int n) {
        final int lda = n + 2;
        final float[] a = randoms(OFFSET + m * lda);
        final int in = trans ? m : n;
        final int out = trans ? n : m;
        final float[] x = randoms(OFFSET + in);
        final float[] y = randoms(OFFSET + out);
        final DeviceFloats dy = put(cpu, y);
        cpu.gemv(trans, m, n, 0.5f, put(cpu, a), OFFSET, lda, put(cpu, x), OFFSET, -1.5f, dy, OFFSET);
        final double[] scale = new double[out];
        // y as a 1×out row: y = 0.5·xᵀ·op(A)ᵀ − 1.5·y
        final double[] expected = ReferenceMath.gemm(false, !trans, 1, out, in, 0.5f, x, OFFSET, in, a, OFFSET, lda,
                -1.5f, y, OFFSET, out, scale);
        assertSums("gemv", expected, scale, Arrays.copyOfRange(get(cpu, dy), OFFSET, OFFSET + out), in);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void gerAddsTheOuterProduct(final String name, final CpuBackend cpu) {
        for (final int[] s : new int[][] {{1, 1}, {3, 33}, {33, 3}, {1000, 31}, {31, 4099}}) {
            final int m = s[0];
            final int n = s[1];
            final int lda = n + 1;
            final float[] x = randoms(OFFSET + m);
            final float[] y = randoms(OFFSET + n);
            final float[] a = randoms(OFFSET + m * lda);
            final DeviceFloats da = put(cpu, a);
            cpu.ger(m, n, -0.5f, put(cpu, x), OFFSET, put(cpu, y), OFFSET, da, OFFSET, lda);
            final float[] got = get(cpu, da);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    final int at = OFFSET + i * lda + j;
                    assertClose("ger", a[at] - 0.5 * x[OFFSET + i] * y[OFFSET + j], got[at]);
                }
            }
        }
    }

    static Stream<Arguments> elementCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : BACKENDS) {
            for (final int n : new int[] {1, 3, 31, 33, 1000, 70_001}) {
                cases.add(Arguments.of(backend.describe(), backend, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: n={2}", autoCloseArguments = false)
    @MethodSource("elementCases")
    void elementWiseOperationsMatchTheReference(final String name, final CpuBackend cpu, final int n) {
        final float[] x = randoms(OFFSET + n);
        final float[] y = randoms(OFFSET + n);
        final DeviceFloats dy = put(cpu, y);
        cpu.axpy(n, 0.3f, put(cpu, x), OFFSET, dy, OFFSET);
        final float[] axpy = get(cpu, dy);
        for (int i = OFFSET; i < OFFSET + n; i++) {
            assertClose("axpy", y[i] + 0.3 * x[i], axpy[i]);
        }
        for (final Activation f : Activation.values()) {
            final float[] v = randoms(OFFSET + n);
            for (int i = 0; i < v.length; i++) {
                v[i] *= 6f;
            }
            final DeviceFloats dv = put(cpu, v);
            final DeviceFloats out = cpu.allocateFloats(n);
            cpu.activate(f, n, dv, OFFSET, out, 0);
            final float[] act = get(cpu, out);
            final float[] g = randoms(n);
            final DeviceFloats back = cpu.allocateFloats(n);
            cpu.activationBackward(f, n, out, 0, put(cpu, g), 0, back, 0);
            final float[] grad = get(cpu, back);
            cpu.activate(f, n, dv, OFFSET, dv, OFFSET);
            final float[] inPlace = get(cpu, dv);
            for (int i = 0; i < n; i++) {
                assertClose("activate " + f, ReferenceMath.activate(f.id(), v[OFFSET + i]), act[i]);
                assertEquals(act[i], inPlace[OFFSET + i], "in place " + f);
                assertClose("backward " + f, g[i] * ReferenceMath.slope(f.id(), act[i]), grad[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void rowReductionsMatchTheReference(final String name, final CpuBackend cpu) {
        for (final int[] s : new int[][] {{1, 1}, {3, 4099}, {4099, 3}, {33, 31}, {1000, 1000}, {2, 0}}) {
            final int rows = s[0];
            final int cols = s[1];
            final float[] a = randoms(OFFSET + rows * cols);
            final DeviceFloats da = put(cpu, a);
            final DeviceFloats sums = cpu.allocateFloats(rows);
            cpu.rowSumOfSquares(rows, cols, da, OFFSET, sums, 0);
            final DeviceFloats normal = cpu.allocateFloats(rows * cols);
            cpu.rowNormalize(rows, cols, 1e-6f, da, OFFSET, normal, 0);
            final DeviceFloats scaled = put(cpu, a);
            cpu.scaleRows(rows, cols, sums, 0, scaled, OFFSET);
            final float[] gotSums = get(cpu, sums);
            final float[] gotNormal = get(cpu, normal);
            final float[] gotScaled = get(cpu, scaled);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += (double) a[OFFSET + r * cols + j] * a[OFFSET + r * cols + j];
                }
                assertSums("rowSumOfSquares", new double[] {sum}, new double[] {sum}, new float[] {gotSums[r]},
                        cols);
                for (int j = 0; j < cols; j++) {
                    assertEquals(a[OFFSET + r * cols + j] * gotSums[r], gotScaled[OFFSET + r * cols + j],
                            "scaleRows: row " + r + " times its factor");
                    final double want = a[OFFSET + r * cols + j] / (Math.sqrt(sum) + 1e-6);
                    assertClose("rowNormalize", want, gotNormal[r * cols + j], 1e-5 + 1e-6 * Math.sqrt(cols));
                }
            }
        }
    }

    /** Rows of one answer (a row per label), the limits of a tile or the thin GEMM path, and a training batch. */
    private static final int[] LAYER_ROWS = {1, 10, 16, 17, 100};

    static Stream<Arguments> denseLayerCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : BACKENDS) {
            for (final int rows : LAYER_ROWS) {
                for (final Activation f : Activation.values()) {
                    cases.add(Arguments.of(backend.describe(), backend, rows, f));
                }
            }
        }
        return cases.stream();
    }

    /**
     * The fused layer gives the bits of the operations it replaced in {@code DeviceModel.layer}: the
     * product, the bias added by a k = 1 product with a column of ones, then the activation. Across
     * k's 256-float blocks, with offsets; y starts as NaN, which both must ignore and overwrite.
     */
    @ParameterizedTest(name = "{0}: rows={2} {3}", autoCloseArguments = false)
    @MethodSource("denseLayerCases")
    void denseLayerGivesTheBitsOfTheProductBiasAndActivation(final String name, final CpuBackend cpu,
                                                             final int rows, final Activation f) {
        final int out = 130;
        final int in = 300;
        final int wOffset = OFFSET + 1;
        final int biasOffset = wOffset + out * in;
        final DeviceFloats x = put(cpu, randoms(OFFSET + rows * in));
        final DeviceFloats w = put(cpu, randoms(biasOffset + out + 2));
        final float[] garbage = new float[OFFSET + rows * out + 2];
        Arrays.fill(garbage, Float.NaN);
        final DeviceFloats fused = put(cpu, garbage);
        final DeviceFloats composed = put(cpu, garbage);
        cpu.denseLayer(f, rows, out, in, x, OFFSET, w, wOffset, biasOffset, fused, OFFSET);
        final float[] one = new float[rows];
        Arrays.fill(one, 1f);
        final DeviceFloats ones = put(cpu, one);
        cpu.gemm(false, true, rows, out, in, 1f, x, OFFSET, in, w, wOffset, in, 0f, composed, OFFSET, out, 1, 0, 0, 0);
        cpu.gemm(false, false, rows, out, 1, 1f, ones, 0, 1, w, biasOffset, out, 1f, composed, OFFSET, out,
                1, 0, 0, 0);
        if (f != Activation.IDENTITY) {
            cpu.activate(f, rows * out, composed, OFFSET, composed, OFFSET);
        }
        final float[] got = get(cpu, fused);
        for (int i = OFFSET; i < OFFSET + rows * out; i++) {
            assertTrue(!Float.isNaN(got[i]), "denseLayer left y[" + i + "] unwritten");
        }
        assertSameBits("denseLayer " + f, get(cpu, composed), got);
    }

    /**
     * A pass padded to {@link CpuBackend#stableRows} gives each row the bits the full capacity gives it:
     * capacities below, at and above a register tile's rows, every wanted count; the layer and the
     * product an answer uses (the head's: x·Wᵀ).
     */
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void stableRowsGiveEveryRowTheSameBitsWhateverTheRowCount(final String name, final CpuBackend cpu) {
        final int out = 70;
        final int in = 300;
        for (final int capacity : new int[] {1, 5, 6, 7, 40}) {
            final DeviceFloats x = put(cpu, randoms(capacity * in));
            final DeviceFloats w = put(cpu, randoms(out * in + out));
            final DeviceFloats full = put(cpu, new float[capacity * out]);
            final DeviceFloats fullProduct = put(cpu, new float[capacity * out]);
            cpu.denseLayer(Activation.RELU, capacity, out, in, x, 0, w, 0, out * in, full, 0);
            cpu.gemm(false, true, capacity, out, in, 1f, x, 0, in, w, 0, in, 0f, fullProduct, 0, out, 1, 0, 0, 0);
            for (int wanted = 0; wanted <= capacity; wanted++) {
                final int rows = cpu.stableRows(wanted, capacity);
                assertTrue(rows >= wanted && rows <= capacity, "rows " + rows + " for " + wanted);
                final DeviceFloats y = put(cpu, new float[capacity * out]);
                final DeviceFloats product = put(cpu, new float[capacity * out]);
                cpu.denseLayer(Activation.RELU, rows, out, in, x, 0, w, 0, out * in, y, 0);
                cpu.gemm(false, true, rows, out, in, 1f, x, 0, in, w, 0, in, 0f, product, 0, out, 1, 0, 0, 0);
                final String pass = wanted + " of " + capacity + " rows";
                assertSameBits("denseLayer, " + pass, Arrays.copyOf(get(cpu, full), wanted * out),
                        Arrays.copyOf(get(cpu, y), wanted * out));
                assertSameBits("gemm, " + pass, Arrays.copyOf(get(cpu, fullProduct), wanted * out),
                        Arrays.copyOf(get(cpu, product), wanted * out));
            }
            final int over = capacity + 1;
            assertThrows(IllegalArgumentException.class, () -> cpu.stableRows(over, capacity));
        }
    }

    static Stream<Arguments> rowSumOfSquaresAndNormalizeCases() {
        final List<Arguments> cases = new ArrayList<>();
        for (final CpuBackend backend : BACKENDS) {
            for (final int rows : LAYER_ROWS) {
                cases.add(Arguments.of(backend.describe(), backend, rows));
            }
        }
        return cases.stream();
    }

    /** The one-pass goodness and normalisation give the bits of the two row operations, in place or not. */
    @ParameterizedTest(name = "{0}: rows={2}", autoCloseArguments = false)
    @MethodSource("rowSumOfSquaresAndNormalizeCases")
    void rowSumOfSquaresAndNormalizeGivesTheBitsOfTheTwoRowOperations(final String name, final CpuBackend cpu,
                                                                     final int rows) {
        for (final int cols : new int[] {0, 1, 33, 2000}) {
            final float[] a = randoms(OFFSET + rows * cols);
            final DeviceFloats da = put(cpu, a);
            final DeviceFloats sums = put(cpu, randoms(OFFSET + rows));
            final DeviceFloats normal = put(cpu, randoms(OFFSET + rows * cols));
            cpu.rowSumOfSquaresAndNormalize(rows, cols, 1e-8f, da, OFFSET, sums, OFFSET, normal, OFFSET);
            final DeviceFloats wantSums = put(cpu, get(cpu, sums));
            final DeviceFloats wantNormal = put(cpu, get(cpu, normal));
            cpu.rowSumOfSquares(rows, cols, da, OFFSET, wantSums, OFFSET);
            cpu.rowNormalize(rows, cols, 1e-8f, da, OFFSET, wantNormal, OFFSET);
            final String shape = rows + "x" + cols;
            assertSameBits("sums " + shape, get(cpu, wantSums), get(cpu, sums));
            assertSameBits("normalised " + shape, get(cpu, wantNormal), get(cpu, normal));
            // in place: the rows are read before they are overwritten
            cpu.rowSumOfSquaresAndNormalize(rows, cols, 1e-8f, da, OFFSET, sums, OFFSET, da, OFFSET);
            assertSameBits("sums in place " + shape, get(cpu, wantSums), get(cpu, sums));
            final int end = OFFSET + rows * cols;
            assertSameBits("normalised in place " + shape, Arrays.copyOfRange(get(cpu, wantNormal), OFFSET, end),
                    Arrays.copyOfRange(get(cpu, da), OFFSET, end));
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void gatherCopiesRowsExactlyAndScatterAccumulatesRepeats(final String name, final CpuBackend cpu) {
        final int cols = 33;
        final int tableRows = 31;
        final int count = 1000;
        final float[] table = randoms(tableRows * cols);
        final int[] rows = new int[OFFSET + count];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(tableRows);
        }
        final DeviceFloats dt = put(cpu, table);
        final DeviceInts dr = cpu.allocateInts(rows.length);
        cpu.upload(rows, 0, dr, 0, rows.length);
        final DeviceFloats out = cpu.allocateFloats(OFFSET + count * cols);
        cpu.gatherRows(count, cols, dt, dr, OFFSET, out, OFFSET);
        final float[] gathered = get(cpu, out);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(table[rows[OFFSET + i] * cols + j], gathered[OFFSET + i * cols + j]);
            }
        }
        final float[] src = randoms(OFFSET + count * cols);
        cpu.scatterAddRows(count, cols, 0.7f, put(cpu, src), OFFSET, dr, OFFSET, dt);
        final double[] want = new double[table.length];
        final double[] scale = new double[table.length];
        for (int e = 0; e < table.length; e++) {
            want[e] = table[e];
            scale[e] = Math.abs(table[e]);
        }
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < cols; j++) {
                final double add = 0.7 * src[OFFSET + i * cols + j];
                want[rows[OFFSET + i] * cols + j] += add;
                scale[rows[OFFSET + i] * cols + j] += Math.abs(add);
            }
        }
        assertSums("scatterAddRows", want, scale, get(cpu, dt), count);
    }

    @Test
    void aRowIndexOutsideTheTableIsRejectedBeforeAnyWrite() {
        final CpuBackend cpu = BACKENDS[0];
        final float[] table = randoms(4 * 2);
        final DeviceFloats dt = put(cpu, table);
        final DeviceInts rows = cpu.allocateInts(3);
        cpu.upload(new int[] {0, 3, 4}, 0, rows, 0, 3);
        final DeviceFloats src = put(cpu, randoms(6));
        final IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.scatterAddRows(3, 2, 1f, src, 0, rows, 0, dt));
        assertTrue(e.getMessage().contains("rows[2] = 4"), e.getMessage());
        assertArrayEquals(table, get(cpu, dt), "a rejected scatter must not touch the table");
        assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.gatherRows(3, 2, dt, rows, 0, cpu.allocateFloats(6), 0));
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("backends")
    void adamAndTheRtrlRecurrenceMatchTheReference(final String name, final CpuBackend cpu) {
        final int n = 70_001;
        final float[] p = randoms(n);
        final double[] refP = new double[n];
        final double[] refM = new double[n];
        final double[] refV = new double[n];
        for (int i = 0; i < n; i++) {
            refP[i] = p[i];
        }
        final DeviceFloats dp = put(cpu, p);
        final DeviceFloats dm = cpu.allocateFloats(n);
        final DeviceFloats dv = cpu.allocateFloats(n);
        for (int t = 1; t <= 3; t++) {
            final float[] g = randoms(n);
            cpu.adamStep(n, 1e-2f, 0.9f, 0.999f, 1e-8f, t, dp, put(cpu, g), dm, dv);
            ReferenceMath.adam(1e-2, 0.9, 0.999, 1e-8, t, refP, g, refM, refV);
        }
        final float[] gotP = get(cpu, dp);
        for (int i = 0; i < n; i++) {
            assertClose("adam params", refP[i], gotP[i]);
        }
        final int batch = 3;
        final int units = 33;
        final int inputs = 1000;
        final float[] r = randoms(units);
        final double[] refS = new double[batch * units * inputs];
        final DeviceFloats ds = cpu.allocateFloats(refS.length);
        for (int step = 0; step < 3; step++) {
            final float[] a = randoms(batch * units);
            final float[] x = randoms(batch * inputs);
            cpu.rtrlDiagonalStep(batch, units, inputs, put(cpu, a), put(cpu, r), put(cpu, x), ds);
            ReferenceMath.rtrlDiagonal(batch, units, inputs, a, r, x, refS);
        }
        final float[] gotS = get(cpu, ds);
        for (int e = 0; e < refS.length; e++) {
            assertClose("rtrl S", refS[e], gotS[e]);
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheReason() {
        final CpuBackend cpu = BACKENDS[0];
        final DeviceFloats small = cpu.allocateFloats(10);
        final IndexOutOfBoundsException tooSmall = assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.gemm(false, false, 4, 4, 4, 1f, small, 0, 4, small, 0, 4, 0f, small, 0, 4, 1, 0, 0, 0));
        assertTrue(tooSmall.getMessage().startsWith("a: 1 matrices of 4x4"), tooSmall.getMessage());
        final IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> cpu.gemm(false, false, 2, 2, 2, 1f, small, 0, 1, small, 0, 2, 0f, small, 0, 2, 1, 0, 0, 0));
        assertTrue(ld.getMessage().contains("leading dimension 1 < 2"), ld.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> cpu.adamStep(1, 1f, 0.9f, 0.9f, 1e-8f, 0, small, small, small, small));
        final IndexOutOfBoundsException bias = assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.denseLayer(Activation.RELU, 1, 2, 2, small, 0, small, 0, 9, small, 0));
        assertTrue(bias.getMessage().startsWith("bias: range [9, 11)"), bias.getMessage());
        try (CpuBackend other = new CpuBackend(1, false)) {
            final DeviceFloats foreign = other.allocateFloats(10);
            assertThrows(IllegalArgumentException.class, () -> cpu.axpy(10, 1f, foreign, 0, small, 0));
        }
        final CpuBackend closed = new CpuBackend(2, true);
        final DeviceFloats orphan = closed.allocateFloats(1);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.axpy(1, 1f, orphan, 0, orphan, 0));
    }

    @Test
    void theTestJvmHasTheVectorApiSoBothPathsAreCovered() {
        assertTrue(CpuBackend.vectorApiAvailable(), "surefire's argLine should add jdk.incubator.vector");
        assertTrue(BACKENDS[2].describe().contains("Vector API"), BACKENDS[2].describe());
        assertTrue(BACKENDS[0].describe().contains("plain Java"), BACKENDS[0].describe());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private void checkGemm(final CpuBackend cpu, final boolean transA, final boolean transB, final int m,
                           final int n, final int k, final int batch, final float alpha, final float beta) {
        final int lda = (transA ? m : k) + 2;
        final int ldb = (transB ? k : n) + 1;
        final int ldc = n + 3;
        final int rowsA = transA ? k : m;
        final int rowsB = transB ? n : k;
        final long strideA = (long) rowsA * lda + 5;
        final long strideB = (long) rowsB * ldb + 1;
        final long strideC = (long) m * ldc + 2;
        final float[] a = randoms((int) (OFFSET + batch * strideA));
        final float[] b = randoms((int) (OFFSET + batch * strideB));
        final float[] c = randoms((int) (OFFSET + batch * strideC));
        final DeviceFloats dc = put(cpu, c);
        cpu.gemm(transA, transB, m, n, k, alpha, put(cpu, a), OFFSET, lda, put(cpu, b), OFFSET, ldb, beta,
                dc, OFFSET, ldc, batch, strideA, strideB, strideC);
        final float[] got = get(cpu, dc);
        for (int i = 0; i < batch; i++) {
            final double[] scale = new double[m * n];
            final int cAt = (int) (OFFSET + i * strideC);
            final double[] want = ReferenceMath.gemm(transA, transB, m, n, k, alpha, a, (int) (OFFSET + i * strideA),
                    lda, b, (int) (OFFSET + i * strideB), ldb, beta, c, cAt, ldc, scale);
            final float[] gotC = new float[m * n];
            for (int r = 0; r < m; r++) {
                System.arraycopy(got, cAt + r * ldc, gotC, r * n, n);
                // padding between rows and batches stays untouched
                if (r + 1 < m) {
                    assertEquals(c[cAt + r * ldc + n], got[cAt + r * ldc + n], "padding after row " + r);
                }
            }
            assertSums("gemm " + m + "x" + n + "x" + k + " batch " + i, want, scale, gotC, k);
        }
    }

    private static float[] multiply(final CpuBackend cpu, final float[] a, final float[] b, final int m,
                                    final int n, final int k) {
        final DeviceFloats c = cpu.allocateFloats(m * n);
        cpu.gemm(false, false, m, n, k, 1f, put(cpu, a), 0, k, put(cpu, b), 0, n, 0f, c, 0, n, 1, 0, 0, 0);
        return get(cpu, c);
    }

    private static void assertSums(final String what, final double[] want, final double[] scale, final float[] got,
                                   final int k) {
        for (int i = 0; i < want.length; i++) {
            final double limit = 1e-6 * (Math.sqrt(k) + 1) * scale[i] + 1e-6;
            final double error = Math.abs(got[i] - want[i]);
            if (!(error <= limit)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]
                        + " (error " + error + " > " + limit + ")");
            }
        }
    }

    /** Bit for bit, NaN payloads aside. */
    private static void assertSameBits(final String what, final float[] want, final float[] got) {
        assertEquals(want.length, got.length, what + ": lengths");
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]);
            }
        }
    }

    private static void assertClose(final String what, final double want, final float got) {
        assertClose(what, want, got, 1e-5);
    }

    private static void assertClose(final String what, final double want, final float got, final double relative) {
        final double limit = relative * Math.abs(want) + 1e-6;
        if (!(Math.abs(got - want) <= limit)) {
            throw new AssertionError(what + ": got " + got + ", want " + want);
        }
    }

    private float[] randoms(final int n) {
        final float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat() * 2f - 1f;
        }
        return values;
    }

    private static DeviceFloats put(final ComputeBackend backend, final float[] values) {
        final DeviceFloats buffer = backend.allocateFloats(values.length);
        backend.upload(values, 0, buffer, 0, values.length);
        return buffer;
    }

    private static float[] get(final ComputeBackend backend, final DeviceFloats buffer) {
        final float[] out = new float[buffer.length()];
        backend.download(buffer, 0, out, 0, out.length);
        return out;
    }
}
