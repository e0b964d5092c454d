package io.eddy.kernels.cpu;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.api.Checks;
import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.kernels.api.DeviceInts;
import io.eddy.kernels.api.RtrlStage;

/**
 * {@link ComputeBackend} on the host's cores: buffers are Java arrays, operations run synchronously
 * in the calling thread plus a fixed {@link WorkerPool} once they are large enough to pay for it. GEMM
 * is cache-blocked with packed panels ({@link Gemm}); the inner loops use the Java Vector API when the
 * JVM has {@code jdk.incubator.vector} and {@code -Deddy.cpu.vector=false} is not set.
 */
public final class CpuBackend implements ComputeBackend {

    /** System property that turns the Vector API off ({@code false}) even where it is available. */
    public static final String VECTOR_PROPERTY = "eddy.cpu.vector";

    /** Below this many elements, element-wise work stays on the calling thread. */
    private static final int PARALLEL_ELEMENTS = 1 << 16;

    private final WorkerPool pool;
    private final DenseMath math;
    private final Gemm gemm;
    private final Elements elements = new Elements();
    private final RtrlTask rtrl = new RtrlTask();
    private boolean closed;

    /** All available cores; the Vector API where the JVM allows it. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors(), vectorApiWanted());
    }

    /**
     * @param threads threads to compute with, the caller included (at least 1)
     * @param vectorApi whether to use the Vector API when this JVM has it
     */
    public CpuBackend(final int threads, final boolean vectorApi) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.pool = new WorkerPool(threads);
        this.math = math(vectorApi);
        this.gemm = new Gemm(math, pool);
    }

    /** Whether the Vector API can be used in this JVM: the module is resolved and its classes link. */
    public static boolean vectorApiAvailable() {
        return loadVectorApiMath() != null;
    }

    /** What this backend runs on, for logs and benchmarks, e.g. {@code "2 threads, Vector API (16 lanes)"}. */
    public String describe() {
        final String inner = math instanceof ScalarMath ? "plain Java loops"
                : "Java Vector API (" + (math.tileCols() / 2) + " float lanes)";
        return pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s") + ", " + inner;
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Fewer rows than a register tile take the thin path, which sums each row in another order. */
    @Override
    public int stableRows(final int rows, final int capacity) {
        Checks.stableRows(rows, capacity);
        return rows < math.tileRows() && capacity >= math.tileRows() ? math.tileRows() : rows;
    }

    @Override
    public DeviceFloats allocateFloats(final int length) {
        checkOpen();
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        return new CpuFloats(this, length);
    }

    @Override
    public DeviceInts allocateInts(final int length) {
        checkOpen();
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        return new CpuInts(this, length);
    }

    @Override
    public void upload(final float[] src, final int srcOffset, final DeviceFloats dst, final int dstOffset,
                       final int length) {
        final float[] d = floats(dst, "dst");
        Checks.upload(src.length, srcOffset, d.length, dstOffset, length);
        System.arraycopy(src, srcOffset, d, dstOffset, length);
    }

    @Override
    public void upload(final int[] src, final int srcOffset, final DeviceInts dst, final int dstOffset,
                       final int length) {
        final int[] d = ints(dst, "dst");
        Checks.upload(src.length, srcOffset, d.length, dstOffset, length);
        System.arraycopy(src, srcOffset, d, dstOffset, length);
    }

    @Override
    public void download(final DeviceFloats src, final int srcOffset, final float[] dst, final int dstOffset,
                         final int length) {
        final float[] s = floats(src, "src");
        Checks.download(s.length, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(s, srcOffset, dst, dstOffset, length);
    }

    @Override
    public void synchronize() {
        checkOpen();  // every operation has finished when it returns
    }

    @Override
    public void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                     final float alpha, final DeviceFloats a, final int aOffset, final int lda,
                     final DeviceFloats b, final int bOffset, final int ldb, final float beta,
                     final DeviceFloats c, final int cOffset, final int ldc,
                     final int batch, final long strideA, final long strideB, final long strideC) {
        final float[] fa = floats(a, "a");
        final float[] fb = floats(b, "b");
        final float[] fc = floats(c, "c");
        Checks.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc,
                batch, strideA, strideB, strideC);
        for (int i = 0; i < batch; i++) {
            gemm.multiply(transA, transB, m, n, k, alpha, fa, (int) (aOffset + i * strideA), lda,
                    fb, (int) (bOffset + i * strideB), ldb, beta, fc, (int) (cOffset + i * strideC), ldc);
        }
    }

    @Override
    public void gemv(final boolean transA, final int m, final int n, final float alpha, final DeviceFloats a,
                     final int aOffset, final int lda, final DeviceFloats x, final int xOffset, final float beta,
                     final DeviceFloats y, final int yOffset) {
        final float[] fa = floats(a, "a");
        final float[] fx = floats(x, "x");
        final float[] fy = floats(y, "y");
        Checks.gemv(transA, m, n, a, aOffset, lda, x, xOffset, y, yOffset);
        // y is 1×outputs: y = alpha·xᵀ·op(A)ᵀ, i.e. a GEMM with one row, which streams A once.
        if (transA) {
            gemm.multiply(false, false, 1, n, m, alpha, fx, xOffset, m, fa, aOffset, lda, beta, fy, yOffset, n);
        } else {
            gemm.multiply(false, true, 1, m, n, alpha, fx, xOffset, n, fa, aOffset, lda, beta, fy, yOffset, m);
        }
    }

    @Override
    public void ger(final int m, final int n, final float alpha, final DeviceFloats x, final int xOffset,
                    final DeviceFloats y, final int yOffset, final DeviceFloats a, final int aOffset,
                    final int lda) {
        final float[] fx = floats(x, "x");
        final float[] fy = floats(y, "y");
        final float[] fa = floats(a, "a");
        Checks.ger(m, n, x, xOffset, y, yOffset, a, aOffset, lda);
        // A += (alpha·x)·yᵀ is a GEMM with k = 1; the packed path spreads it over the cores.
        gemm.multiply(false, false, m, n, 1, alpha, fx, xOffset, 1, fy, yOffset, n, 1f, fa, aOffset, lda);
    }

    @Override
    public void axpy(final int n, final float alpha, final DeviceFloats x, final int xOffset,
                     final DeviceFloats y, final int yOffset) {
        final float[] fx = floats(x, "x");
        final float[] fy = floats(y, "y");
        Checks.elementWise(n, x, xOffset, y, yOffset);
        elements.start(Elements.AXPY, n, 1).scalar(alpha).in(fx, xOffset).out(fy, yOffset).go();
    }

    @Override
    public void denseLayer(final Activation f, final int rows, final int out, final int in, final DeviceFloats x,
                           final int xOffset, final DeviceFloats w, final int wOffset, final int biasOffset,
                           final DeviceFloats y, final int yOffset) {
        final int id = f.id();
        final float[] fx = floats(x, "x");
        final float[] fw = floats(w, "w");
        final float[] fy = floats(y, "y");
        Checks.denseLayer(rows, out, in, x, xOffset, w, wOffset, biasOffset, y, yOffset);
        gemm.multiply(false, true, rows, out, in, 1f, fx, xOffset, in, fw, wOffset, in, 0f, fy, yOffset, out);
        elements.start(Elements.BIAS_ACTIVATE, rows, out).function(id).in(fw, biasOffset).out(fy, yOffset).go();
    }

    @Override
    public void activate(final Activation f, final int n, final DeviceFloats x, final int xOffset,
                         final DeviceFloats y, final int yOffset) {
        final int id = f.id();
        final float[] fx = floats(x, "x");
        final float[] fy = floats(y, "y");
        Checks.elementWise(n, x, xOffset, y, yOffset);
        elements.start(Elements.ACTIVATE, n, 1).function(id).in(fx, xOffset).out(fy, yOffset).go();
    }

    @Override
    public void activationBackward(final Activation f, final int n, final DeviceFloats y, final int yOffset,
                                   final DeviceFloats g, final int gOffset, final DeviceFloats out,
                                   final int outOffset) {
        final int id = f.id();
        final float[] fy = floats(y, "y");
        final float[] fg = floats(g, "g");
        final float[] fo = floats(out, "out");
        Checks.activationBackward(n, y, yOffset, g, gOffset, out, outOffset);
        elements.start(Elements.ACTIVATION_BACKWARD, n, 1).function(id).in(fy, yOffset).in2(fg, gOffset)
                .out(fo, outOffset).go();
    }

    @Override
    public void rowSumOfSquares(final int rows, final int cols, final DeviceFloats a, final int aOffset,
                                final DeviceFloats out, final int outOffset) {
        final float[] fa = floats(a, "a");
        final float[] fo = floats(out, "out");
        Checks.rows(rows, cols, a, aOffset, out, outOffset, 1);
        elements.start(Elements.ROW_SUM_OF_SQUARES, rows, cols).in(fa, aOffset).out(fo, outOffset).go();
    }

    @Override
    public void rowNormalize(final int rows, final int cols, final float epsilon, final DeviceFloats a,
                             final int aOffset, final DeviceFloats out, final int outOffset) {
        final float[] fa = floats(a, "a");
        final float[] fo = floats(out, "out");
        Checks.rows(rows, cols, a, aOffset, out, outOffset, cols);
        elements.start(Elements.ROW_NORMALIZE, rows, cols).scalar(epsilon).in(fa, aOffset).out(fo, outOffset).go();
    }

    @Override
    public void rowSumOfSquaresAndNormalize(final int rows, final int cols, final float epsilon,
                                            final DeviceFloats a, final int aOffset, final DeviceFloats sums,
                                            final int sumsOffset, final DeviceFloats out, final int outOffset) {
        final float[] fa = floats(a, "a");
        final float[] fs = floats(sums, "sums");
        final float[] fo = floats(out, "out");
        Checks.rowSumOfSquaresAndNormalize(rows, cols, a, aOffset, sums, sumsOffset, out, outOffset);
        elements.start(Elements.ROW_SUM_OF_SQUARES_AND_NORMALIZE, rows, cols).scalar(epsilon).in(fa, aOffset)
                .out(fo, outOffset).sums(fs, sumsOffset).go();
    }

    @Override
    public void scaleRows(final int rows, final int cols, final DeviceFloats scale, final int scaleOffset,
                          final DeviceFloats a, final int aOffset) {
        final float[] fs = floats(scale, "scale");
        final float[] fa = floats(a, "a");
        Checks.rows(rows, cols, a, aOffset, scale, scaleOffset, 1);
        elements.start(Elements.SCALE_ROWS, rows, cols).in(fs, scaleOffset).out(fa, aOffset).go();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException for a row index outside the table, before anything is written
     */
    @Override
    public void gatherRows(final int count, final int cols, final DeviceFloats table, final DeviceInts rows,
                           final int rowsOffset, final DeviceFloats out, final int outOffset) {
        final float[] ft = floats(table, "table");
        final int[] fr = ints(rows, "rows");
        final float[] fo = floats(out, "out");
        Checks.indexedRows(count, cols, out, outOffset, "out", rows, rowsOffset, table);
        checkRows("gatherRows", count, cols, fr, rowsOffset, ft.length);
        for (int i = 0; i < count; i++) {
            System.arraycopy(ft, fr[rowsOffset + i] * cols, fo, outOffset + i * cols, cols);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IndexOutOfBoundsException for a row index outside the table, before anything is written
     */
    @Override
    public void scatterAddRows(final int count, final int cols, final float alpha, final DeviceFloats src,
                               final int srcOffset, final DeviceInts rows, final int rowsOffset,
                               final DeviceFloats table) {
        final float[] fs = floats(src, "src");
        final int[] fr = ints(rows, "rows");
        final float[] ft = floats(table, "table");
        Checks.indexedRows(count, cols, src, srcOffset, "src", rows, rowsOffset, table);
        checkRows("scatterAddRows", count, cols, fr, rowsOffset, ft.length);
        for (int i = 0; i < count; i++) {
            math.axpy(cols, alpha, fs, srcOffset + i * cols, ft, fr[rowsOffset + i] * cols);
        }
    }

    @Override
    public void adamStep(final int n, final float learningRate, final float beta1, final float beta2,
                         final float epsilon, final int t, final DeviceFloats params, final DeviceFloats grads,
                         final DeviceFloats m, final DeviceFloats v) {
        final float[] fp = floats(params, "params");
        final float[] fg = floats(grads, "grads");
        final float[] fm = floats(m, "m");
        final float[] fv = floats(v, "v");
        Checks.adamStep(n, t, params, grads, m, v);
        elements.start(Elements.ADAM, n, 1).adam(learningRate, beta1, beta2, epsilon, t)
                .in(fg, 0).out(fp, 0).state(fm, fv).go();
    }

    @Override
    public void accumulateGradients(final int keys, final int cols, final double limit, final DeviceFloats g,
                                    final int gOffset, final int gStride, final DeviceFloats take,
                                    final int takeOffset, final DeviceFloats sum, final int sumOffset,
                                    final DeviceFloats refused, final int refusedOffset) {
        final float[] fg = floats(g, "g");
        final float[] ft = floats(take, "take");
        final float[] fs = floats(sum, "sum");
        final float[] fr = floats(refused, "refused");
        Checks.accumulateGradients(keys, cols, g, gOffset, gStride, take, takeOffset, sum, sumOffset, refused,
                refusedOffset);
        GradientSums.accumulate(math, keys, cols, limit, fg, gOffset, gStride, ft, takeOffset, fs, sumOffset, fr,
                refusedOffset);
    }

    @Override
    public void rtrlDiagonalStep(final int batch, final int units, final int inputs, final DeviceFloats a,
                                 final DeviceFloats r, final DeviceFloats x, final DeviceFloats s) {
        final float[] fa = floats(a, "a");
        final float[] fr = floats(r, "r");
        final float[] fx = floats(x, "x");
        final float[] fs = floats(s, "s");
        Checks.rtrlDiagonalStep(batch, units, inputs, a, r, x, s);
        elements.start(Elements.RTRL_DIAGONAL, batch * units, inputs).in(fa, 0).in2(fx, 0).state(fr, fs)
                .rtrlUnits(units).go();
    }

    @Override
    public void rtrlForward(final RtrlStage stage, final boolean learning, final DeviceFloats params,
                            final DeviceFloats pre, final DeviceFloats input, final int inputStride,
                            final DeviceFloats state, final DeviceFloats trace, final DeviceFloats features,
                            final int featureOffset, final int featureStride) {
        rtrl.stage = stage;
        rtrl.learning = learning;
        rtrl.params = floats(params, "params");
        rtrl.pre = floats(pre, "pre");
        rtrl.input = floats(input, "input");
        rtrl.state = floats(state, "state");
        rtrl.trace = floats(trace, "trace");
        rtrl.out = floats(features, "features");
        Checks.rtrlForward(stage, params, pre, input, inputStride, state, trace, features, featureOffset,
                featureStride);
        rtrl.go(true, inputStride, featureOffset, featureStride);
    }

    @Override
    public void rtrlGradient(final RtrlStage stage, final DeviceFloats params, final DeviceFloats hiddenGrad,
                             final DeviceFloats input, final int inputStride, final DeviceFloats state,
                             final DeviceFloats trace, final DeviceFloats grads, final int gradOffset,
                             final int gradStride) {
        rtrl.stage = stage;
        rtrl.params = floats(params, "params");
        rtrl.pre = floats(hiddenGrad, "hiddenGrad");
        rtrl.input = floats(input, "input");
        rtrl.state = floats(state, "state");
        rtrl.trace = floats(trace, "trace");
        rtrl.out = floats(grads, "grads");
        Checks.rtrlGradient(stage, params, hiddenGrad, input, inputStride, state, trace, grads, gradOffset,
                gradStride);
        rtrl.go(false, inputStride, gradOffset, gradStride);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
        }
    }

    /**
     * Items per chunk when {@code items} items carry {@code work} elements in all: everything on the
     * calling thread below {@link #PARALLEL_ELEMENTS}, else about four chunks per thread.
     */
    private int chunkSize(final int items, final long work) {
        final int chunks = work < PARALLEL_ELEMENTS || items < 2 ? 1 : (int) Math.min(items, 4L * pool.threads());
        return Math.max(1, (items + chunks - 1) / chunks);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the CPU backend is closed");
        }
    }

    private float[] floats(final DeviceFloats buffer, final String what) {
        checkOpen();
        if (buffer instanceof CpuFloats f && f.owner() == this) {
            return f.data();
        }
        throw new IllegalArgumentException(what + " is not a buffer of this CPU backend: "
                + (buffer == null ? "null" : buffer.getClass().getName()));
    }

    private int[] ints(final DeviceInts buffer, final String what) {
        checkOpen();
        if (buffer instanceof CpuInts i && i.owner() == this) {
            return i.data();
        }
        throw new IllegalArgumentException(what + " is not a buffer of this CPU backend: "
                + (buffer == null ? "null" : buffer.getClass().getName()));
    }

    private static void checkRows(final String op, final int count, final int cols, final int[] rows,
                                  final int rowsOffset, final int tableLength) {
        if (cols == 0) {
            return;
        }
        final int tableRows = tableLength / cols;
        for (int i = 0; i < count; i++) {
            final int row = rows[rowsOffset + i];
            if (row < 0 || row >= tableRows) {
                throw Checks.badRow(op, i, row, tableRows);
            }
        }
    }

    /** The inner loops: the Vector API's where {@code vectorApi} asks for them and this JVM has it. */
    static DenseMath math(final boolean vectorApi) {
        final DenseMath vector = vectorApi ? loadVectorApiMath() : null;
        return vector == null ? new ScalarMath() : vector;
    }

    static boolean vectorApiWanted() {
        return !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "true"));
    }

    private static DenseMath loadVectorApiMath() {
        try {
            final Class<?> type = Class.forName(CpuBackend.class.getPackageName() + ".VectorApiMath");
            return (DenseMath) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;  // the module is not in this JVM's module graph: plain loops it is
        }
    }

    /** Element-wise and row-wise operations, split into ranges of rows for the {@link WorkerPool}. */
    private final class Elements implements RangeTask {
        static final int AXPY = 0;
        static final int ACTIVATE = 1;
        static final int ACTIVATION_BACKWARD = 2;
        static final int ROW_SUM_OF_SQUARES = 3;
        static final int ROW_NORMALIZE = 4;
        static final int ADAM = 5;
        static final int RTRL_DIAGONAL = 6;
        static final int SCALE_ROWS = 7;
        static final int BIAS_ACTIVATE = 8;
        static final int ROW_SUM_OF_SQUARES_AND_NORMALIZE = 9;

        private int op;
        private int rows;
        private int cols;
        private int chunkRows;
        private int function;
        private float scalar;
        private float[] in;
        private int inOffset;
        private float[] in2;
        private int in2Offset;
        private float[] out;
        private int outOffset;
        private float[] sums;
        private int sumsOffset;
        private float[] state1;
        private float[] state2;
        private float beta1;
        private float beta2;
        private float epsilon;
        private float correction1;
        private float correction2;
        private int units;

        Elements start(final int operation, final int rowCount, final int colCount) {
            op = operation;
            rows = rowCount;
            cols = colCount;
            return this;
        }

        Elements scalar(final float value) {
            scalar = value;
            return this;
        }

        Elements function(final int id) {
            function = id;
            return this;
        }

        Elements in(final float[] data, final int offset) {
            in = data;
            inOffset = offset;
            return this;
        }

        Elements in2(final float[] data, final int offset) {
            in2 = data;
            in2Offset = offset;
            return this;
        }

        Elements out(final float[] data, final int offset) {
            out = data;
            outOffset = offset;
            return this;
        }

        Elements sums(final float[] data, final int offset) {
            sums = data;
            sumsOffset = offset;
            return this;
        }

        Elements state(final float[] first, final float[] second) {
            state1 = first;
            state2 = second;
            return this;
        }

        Elements adam(final float learningRate, final float b1, final float b2, final float eps, final int t) {
            scalar = learningRate;
            beta1 = b1;
            beta2 = b2;
            epsilon = eps;
            correction1 = (float) (1.0 - Math.pow(b1, t));
            correction2 = (float) (1.0 - Math.pow(b2, t));
            return this;
        }

        Elements rtrlUnits(final int count) {
            units = count;
            return this;
        }

        void go() {
            chunkRows = chunkSize(rows, (long) rows * Math.max(1, cols));
            try {
                pool.run(this, rows == 0 ? 0 : (rows + chunkRows - 1) / chunkRows);
            } finally {
                in = null;
                in2 = null;
                out = null;
                sums = null;
                state1 = null;
                state2 = null;
            }
        }

        @Override
        public void run(final int chunk, final int worker) {
            final int from = chunk * chunkRows;
            final int to = Math.min(rows, from + chunkRows);
            switch (op) {
                case AXPY -> math.axpy(to - from, scalar, in, inOffset + from, out, outOffset + from);
                case ACTIVATE -> ElementMath.activate(function, in, inOffset, out, outOffset, from, to);
                case ACTIVATION_BACKWARD -> ElementMath.activationBackward(function, in, inOffset, in2, in2Offset,
                        out, outOffset, from, to);
                case ROW_SUM_OF_SQUARES -> {
                    for (int r = from; r < to; r++) {
                        final int row = inOffset + r * cols;
                        out[outOffset + r] = math.dot(cols, in, row, in, row);
                    }
                }
                case ROW_NORMALIZE -> {
                    for (int r = from; r < to; r++) {
                        final int row = inOffset + r * cols;
                        normalizeRow(r, math.dot(cols, in, row, in, row));
                    }
                }
                case ROW_SUM_OF_SQUARES_AND_NORMALIZE -> {
                    for (int r = from; r < to; r++) {
                        final int row = inOffset + r * cols;
                        final float sum = math.dot(cols, in, row, in, row);
                        sums[sumsOffset + r] = sum;
                        normalizeRow(r, sum);
                    }
                }
                case BIAS_ACTIVATE -> {
                    // the bias as y + b in float, what the k = 1 GEMM that added it before gave
                    for (int r = from; r < to; r++) {
                        final int row = outOffset + r * cols;
                        for (int j = 0; j < cols; j++) {
                            out[row + j] += in[inOffset + j];
                        }
                        ElementMath.activate(function, out, row, out, row, 0, cols);
                    }
                }
                case SCALE_ROWS -> {
                    for (int r = from; r < to; r++) {
                        final float factor = in[inOffset + r];
                        final int row = outOffset + r * cols;
                        for (int j = 0; j < cols; j++) {
                            out[row + j] *= factor;
                        }
                    }
                }
                case ADAM -> ElementMath.adam(from, to, scalar, beta1, beta2, epsilon, correction1, correction2,
                        out, in, state1, state2);
                case RTRL_DIAGONAL -> ElementMath.rtrlDiagonal(from, to, cols, units, in, state1, in2, state2);
                default -> throw new IllegalStateException("unknown element-wise op " + op);
            }
        }

        /** Row r of in, whose sum of squares is {@code sum}, scaled to unit length (epsilon: scalar) into out. */
        private void normalizeRow(final int r, final float sum) {
            final int row = inOffset + r * cols;
            final float scale = 1f / ((float) Math.sqrt(sum) + scalar);
            final int target = outOffset + r * cols;
            for (int j = 0; j < cols; j++) {
                out[target + j] = in[row + j] * scale;
            }
        }
    }

    /** Runs {@link RtrlCells} over (key, unit) pairs, split across the pool once there is enough work. */
    private final class RtrlTask implements RangeTask {
        private RtrlStage stage;
        private boolean learning;
        private boolean forward;
        private float[] params;
        private float[] pre;
        private float[] input;
        private float[] state;
        private float[] trace;
        private float[] out;
        private int inputStride;
        private int outOffset;
        private int outStride;
        private int chunkPairs;

        void go(final boolean isForward, final int inputRowStride, final int offset, final int stride) {
            forward = isForward;
            inputStride = inputRowStride;
            outOffset = offset;
            outStride = stride;
            final int pairs = stage.batch() * stage.units();
            chunkPairs = chunkSize(pairs, (long) pairs * stage.unitState());
            try {
                pool.run(this, pairs == 0 ? 0 : (pairs + chunkPairs - 1) / chunkPairs);
            } finally {
                params = null;
                pre = null;
                input = null;
                state = null;
                trace = null;
                out = null;
            }
        }

        @Override
        public void run(final int chunk, final int worker) {
            final int from = chunk * chunkPairs;
            final int to = Math.min(stage.batch() * stage.units(), from + chunkPairs);
            if (forward) {
                RtrlCells.forward(stage, learning, params, pre, input, inputStride, state, trace, out, outOffset,
                        outStride, from, to);
            } else {
                RtrlCells.gradient(stage, params, pre, input, inputStride, state, trace, out, outOffset, outStride,
                        from, to);
            }
        }
    }
}
