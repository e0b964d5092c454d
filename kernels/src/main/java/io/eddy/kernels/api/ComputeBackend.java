package io.eddy.kernels.api;

/**
 * Dense float32 math for the learners, on buffers that stay resident where the backend computes.
 *
 * <p>Conventions: matrices are row-major; {@code ld*} is the distance in floats between the starts of
 * two consecutive rows as stored (before any transpose); offsets are in floats. Operations are queued
 * in call order and may run asynchronously: results are visible to {@link #download} (which waits)
 * and after {@link #synchronize}, the batch boundary. One thread uses a backend at a time. No
 * operation allocates on the Java heap per call. A range an element-wise or row-wise operation writes
 * is either exactly the range it reads in its place or apart from it; the argument checks refuse a
 * shifted overlap, whose result would depend on the order the backend visits the elements in.
 */
public interface ComputeBackend extends AutoCloseable {

    /** {@code "cpu"} or {@code "cuda"}. */
    String name();

    /** A zeroed buffer of {@code length} floats. */
    DeviceFloats allocateFloats(int length);

    /** A zeroed buffer of {@code length} ints. */
    DeviceInts allocateInts(int length);

    void upload(float[] src, int srcOffset, DeviceFloats dst, int dstOffset, int length);

    void upload(int[] src, int srcOffset, DeviceInts dst, int dstOffset, int length);

    /** Copies to the host after all queued work has finished. */
    void download(DeviceFloats src, int srcOffset, float[] dst, int dstOffset, int length);

    /** Waits until every queued operation has finished. */
    void synchronize();

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C} for {@code batch} independent products, the i-th using
     * {@code A + i·strideA}, {@code B + i·strideB}, {@code C + i·strideC}. {@code op(A)} is m×k,
     * {@code op(B)} is k×n, C is m×n; {@code op(X)} is X or its transpose. With {@code beta == 0},
     * C's old contents are ignored (NaN in C does not propagate). A column of C depends only on op(A)
     * and its column of op(B), bit for bit, not on n or on the other columns: batched learners put
     * their events in columns, so that stepping events together gives exactly what stepping them one
     * at a time gives on the same backend.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              DeviceFloats a, int aOffset, int lda, DeviceFloats b, int bOffset, int ldb,
              float beta, DeviceFloats c, int cOffset, int ldc,
              int batch, long strideA, long strideB, long strideC);

    /** {@code y = alpha·op(A)·x + beta·y}, A stored m×n; {@code op(A)} is A or its transpose. */
    void gemv(boolean transA, int m, int n, float alpha, DeviceFloats a, int aOffset, int lda,
              DeviceFloats x, int xOffset, float beta, DeviceFloats y, int yOffset);

    /** Rank-1 update {@code A += alpha·x·yᵀ}, A m×n. Rank-k updates are {@link #gemm} with a transpose. */
    void ger(int m, int n, float alpha, DeviceFloats x, int xOffset, DeviceFloats y, int yOffset,
             DeviceFloats a, int aOffset, int lda);

    /** {@code y = alpha·x + y} over n floats. */
    void axpy(int n, float alpha, DeviceFloats x, int xOffset, DeviceFloats y, int yOffset);

    /**
     * Rows to compute when {@code rows} rows of a product's A are wanted and its buffers hold {@code capacity}:
     * at least {@code rows}, and such that every row's result is the same bits whatever {@code rows} is (the
     * extra rows are computed and not read). {@link #gemm} and {@link #denseLayer} may sum a row in another
     * order for another number of rows (a faster path for a few); a learner that answers events in passes of
     * any size pads each pass to this, so that an event's answer does not depend on the events beside it.
     *
     * @throws IllegalArgumentException unless {@code 0 <= rows <= capacity}
     */
    int stableRows(int rows, int capacity);

    /**
     * A dense layer, {@code y = f(x·Wᵀ + b)}, as one operation so that a layer's answer to a few rows
     * costs one launch where a GEMM, a bias add and an activation cost three. x is rows×in (ld in); W
     * is out×in (ld in) at {@code wOffset} and its bias b, {@code out} floats, at {@code biasOffset} of
     * the same buffer; y is rows×out (ld out) and must not overlap x or W. Bit for bit what the same
     * backend gives for {@link #gemm} (no transpose of x, W transposed, alpha 1, beta 0), then
     * {@code y + b} rounded to float, then {@link #activate}.
     */
    void denseLayer(Activation f, int rows, int out, int in, DeviceFloats x, int xOffset, DeviceFloats w,
                    int wOffset, int biasOffset, DeviceFloats y, int yOffset);

    /** {@code y[i] = f(x[i])}; x and y may be the same range. */
    void activate(Activation f, int n, DeviceFloats x, int xOffset, DeviceFloats y, int yOffset);

    /**
     * Back through an activation, from its output: {@code out[i] = g[i]·f'(·)} with f' written in
     * terms of the output y (tanh: 1−y², sigmoid: y(1−y), relu: y > 0, identity: 1).
     */
    void activationBackward(Activation f, int n, DeviceFloats y, int yOffset, DeviceFloats g, int gOffset,
                            DeviceFloats out, int outOffset);

    /** {@code out[r] = Σ_c a[r][c]²} for each row: forward-forward goodness. */
    void rowSumOfSquares(int rows, int cols, DeviceFloats a, int aOffset, DeviceFloats out, int outOffset);

    /** {@code out[r] = a[r] / (‖a[r]‖₂ + epsilon)} for each row; out may be a. */
    void rowNormalize(int rows, int cols, float epsilon, DeviceFloats a, int aOffset,
                      DeviceFloats out, int outOffset);

    /**
     * {@link #rowSumOfSquares} into {@code sums} and {@link #rowNormalize} into {@code out} in one pass
     * over a, with the same bits as the two: forward-forward's goodness and its next layer's input. out
     * may be a; sums must overlap neither.
     */
    void rowSumOfSquaresAndNormalize(int rows, int cols, float epsilon, DeviceFloats a, int aOffset,
                                     DeviceFloats sums, int sumsOffset, DeviceFloats out, int outOffset);

    /** {@code a[r][c] *= scale[r]} for each of {@code rows} rows of {@code cols} floats, in place. */
    void scaleRows(int rows, int cols, DeviceFloats scale, int scaleOffset, DeviceFloats a, int aOffset);

    /** {@code out[i] = table[rows[i]]} for {@code count} rows of {@code cols} floats. */
    void gatherRows(int count, int cols, DeviceFloats table, DeviceInts rows, int rowsOffset,
                    DeviceFloats out, int outOffset);

    /** {@code table[rows[i]] += alpha·src[i]}; repeated row indices accumulate. */
    void scatterAddRows(int count, int cols, float alpha, DeviceFloats src, int srcOffset, DeviceInts rows,
                        int rowsOffset, DeviceFloats table);

    /**
     * One fused Adam step over n parameters (Kingma and Ba), bias-corrected for step {@code t ≥ 1}:
     * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·m̂ / (√v̂ + ε).
     */
    void adamStep(int n, float learningRate, float beta1, float beta2, float epsilon, int t,
                  DeviceFloats params, DeviceFloats grads, DeviceFloats m, DeviceFloats v);

    /**
     * Adds rows of gradients, row after row, to a running sum, as an optimiser's batch takes its events
     * one at a time: for each column j below {@code cols} and each of the {@code keys} rows b in order
     * that has {@code take[b] != 0}, {@code t = (double) sum[j] + clip(g[b·gStride + j])} in double
     * precision, where clip limits to [−limit, limit] when {@code limit > 0} (NaN stays NaN). A finite t
     * within the float range becomes {@code sum[j] = (float) t}; any other leaves {@code sum[j]} as it
     * was and sets {@code refused[b] = 1} (the caller zeroes {@code refused}). So when no row is
     * refused, the sum is bit for bit what a host loop in double gives, on every backend. The ranges
     * written, {@code sum}'s and {@code refused}'s, may share a buffer with the others but not overlap
     * them (a GPU kernel reads {@code g} and {@code take} as memory nothing writes).
     */
    void accumulateGradients(int keys, int cols, double limit, DeviceFloats g, int gOffset, int gStride,
                             DeviceFloats take, int takeOffset, DeviceFloats sum, int sumOffset,
                             DeviceFloats refused, int refusedOffset);

    /**
     * The RTRL sensitivity recurrence of a diagonal recurrent layer for {@code batch} sequences:
     * {@code S[b][i][j] = a[b][i]·(x[b][j] + r[i]·S[b][i][j])}, with S batch×units×inputs, a (the
     * activation derivative) batch×units, x batch×inputs and the recurrent weights r shared.
     */
    void rtrlDiagonalStep(int batch, int units, int inputs, DeviceFloats a, DeviceFloats r, DeviceFloats x,
                          DeviceFloats s);

    /**
     * One step of an RTRL stage ({@link RtrlStage}) for a batch of keys: each unit's gates from the
     * input projections in {@code pre}, its recurrent value and, when {@code learning}, its
     * sensitivities (exact RTRL; a frozen stage only advances its values).
     *
     * @param pre the input projections without bias, {@code W_g·u}: gate g, unit u, key b at
     *     {@code (g·units + u)·batch + b} (a key per column, as {@link #gemm} keeps columns apart)
     * @param input key b's input at {@code b·inputStride}, its first {@code fanIn} floats
     * @param state the keys' states, read and advanced in place
     * @param trace {@code batch × units × stage.unitTrace()} floats for {@link #rtrlGradient}
     * @param features where unit u's output h of key b goes: {@code b·featureStride + featureOffset + u};
     *     may be {@code input}'s buffer beyond the stage's inputs
     */
    void rtrlForward(RtrlStage stage, boolean learning, DeviceFloats params, DeviceFloats pre, DeviceFloats input,
                     int inputStride, DeviceFloats state, DeviceFloats trace, DeviceFloats features,
                     int featureOffset, int featureStride);

    /**
     * The exact gradient of each key's loss by the stage's parameters after {@link #rtrlForward} with
     * {@code learning}: from {@code hiddenGrad} (unit u, key b at {@code u·batch + b}: ∂L_b/∂h) through
     * the sensitivities. Key b's gradient of unit u is written (not added) at
     * {@code b·gradStride + gradOffset + u·stage.unitParameters()}.
     */
    void rtrlGradient(RtrlStage stage, DeviceFloats params, DeviceFloats hiddenGrad, DeviceFloats input,
                      int inputStride, DeviceFloats state, DeviceFloats trace, DeviceFloats grads, int gradOffset,
                      int gradStride);

    /** Frees the backend's resources; buffers it made must not be used afterwards. */
    @Override
    void close();
}
