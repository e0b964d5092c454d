package io.eddy.kernels.api;

/**
 * Argument checks shared by every backend, one method per {@link ComputeBackend} operation, so that
 * all backends reject the same calls with the same messages before touching any memory.
 */
public final class Checks {

    private Checks() {
    }

    public static void upload(final int hostLength, final int hostOffset, final int bufferLength,
                              final int bufferOffset, final int length) {
        host(hostLength, hostOffset, length, "src");
        range(bufferLength, bufferOffset, length, "dst");
    }

    public static void download(final int bufferLength, final int bufferOffset, final int hostLength,
                                final int hostOffset, final int length) {
        range(bufferLength, bufferOffset, length, "src");
        host(hostLength, hostOffset, length, "dst");
    }

    public static void gemm(final boolean transA, final boolean transB, final int m, final int n, final int k,
                            final DeviceFloats a, final int aOffset, final int lda,
                            final DeviceFloats b, final int bOffset, final int ldb,
                            final DeviceFloats c, final int cOffset, final int ldc,
                            final int batch, final long strideA, final long strideB, final long strideC) {
        sizes(m, n, k, batch);
        matrix(a.length(), "a", aOffset, transA ? k : m, transA ? m : k, lda, batch, strideA);
        matrix(b.length(), "b", bOffset, transB ? n : k, transB ? k : n, ldb, batch, strideB);
        matrix(c.length(), "c", cOffset, m, n, ldc, batch, strideC);
    }

    public static void gemv(final boolean transA, final int m, final int n, final DeviceFloats a, final int aOffset,
                            final int lda, final DeviceFloats x, final int xOffset, final DeviceFloats y,
                            final int yOffset) {
        sizes(m, n, 0, 1);
        matrix(a.length(), "a", aOffset, m, n, lda, 1, 0);
        range(x.length(), xOffset, transA ? m : n, "x");
        range(y.length(), yOffset, transA ? n : m, "y");
    }

    public static void ger(final int m, final int n, final DeviceFloats x, final int xOffset, final DeviceFloats y,
                           final int yOffset, final DeviceFloats a, final int aOffset, final int lda) {
        sizes(m, n, 0, 1);
        range(x.length(), xOffset, m, "x");
        range(y.length(), yOffset, n, "y");
        matrix(a.length(), "a", aOffset, m, n, lda, 1, 0);
    }

    public static void denseLayer(final int rows, final int out, final int in, final DeviceFloats x,
                                  final int xOffset, final DeviceFloats w, final int wOffset, final int biasOffset,
                                  final DeviceFloats y, final int yOffset) {
        sizes(rows, out, in, 1);
        matrix(x.length(), "x", xOffset, rows, in, in, 1, 0);
        matrix(w.length(), "w", wOffset, out, in, in, 1, 0);
        range(w.length(), biasOffset, out, "bias");
        matrix(y.length(), "y", yOffset, rows, out, out, 1, 0);
        final long written = (long) rows * out;
        apart(y, yOffset, written, "y", x, xOffset, (long) rows * in, "x");
        apart(y, yOffset, written, "y", w, wOffset, (long) out * in, "w");
        apart(y, yOffset, written, "y", w, biasOffset, out, "bias");
    }

    /** For operations reading {@code x[xOffset, +n)} and writing {@code y[yOffset, +n)}. */
    public static void elementWise(final int n, final DeviceFloats x, final int xOffset, final DeviceFloats y,
                                   final int yOffset) {
        range(x.length(), xOffset, n, "x");
        range(y.length(), yOffset, n, "y");
        sameOrApart(y, yOffset, n, "y", x, xOffset, n, "x");
    }

    public static void activationBackward(final int n, final DeviceFloats y, final int yOffset, final DeviceFloats g,
                                          final int gOffset, final DeviceFloats out, final int outOffset) {
        range(y.length(), yOffset, n, "y");
        range(g.length(), gOffset, n, "g");
        range(out.length(), outOffset, n, "out");
        sameOrApart(out, outOffset, n, "out", y, yOffset, n, "y");
        sameOrApart(out, outOffset, n, "out", g, gOffset, n, "g");
    }

    /** A row count within a capacity ({@link ComputeBackend#stableRows}). */
    public static void stableRows(final int rows, final int capacity) {
        if (rows < 0 || rows > capacity) {
            throw new IllegalArgumentException("rows must lie in [0, capacity = " + capacity + "], got " + rows);
        }
    }

    /**
     * Rows × cols read from a; {@code outPerRow} floats per row written to out (1 or cols). A row of out
     * is computed from its row of a, so out may be exactly a's range when it has a's shape; otherwise the
     * two must not overlap.
     */
    public static void rows(final int rows, final int cols, final DeviceFloats a, final int aOffset,
                            final DeviceFloats out, final int outOffset, final int outPerRow) {
        sizes(rows, cols, 0, 1);
        final long values = (long) rows * cols;
        range(a.length(), aOffset, values, "a");
        range(out.length(), outOffset, (long) rows * outPerRow, "out");
        if (outPerRow == cols) {
            sameOrApart(out, outOffset, values, "out", a, aOffset, values, "a");
        } else {
            apart(out, outOffset, (long) rows * outPerRow, "out", a, aOffset, values, "a");
        }
    }

    /** Rows × cols read from a and written to out, one sum per row to sums. */
    public static void rowSumOfSquaresAndNormalize(final int rows, final int cols, final DeviceFloats a,
                                                   final int aOffset, final DeviceFloats sums, final int sumsOffset,
                                                   final DeviceFloats out, final int outOffset) {
        rows(rows, cols, a, aOffset, out, outOffset, cols);
        range(sums.length(), sumsOffset, rows, "sums");
        final long values = (long) rows * cols;
        apart(sums, sumsOffset, rows, "sums", a, aOffset, values, "a");
        apart(sums, sumsOffset, rows, "sums", out, outOffset, values, "out");
    }

    /** Gathers and scatters: {@code count} indices, {@code count × cols} dense floats, a table of whole rows. */
    public static void indexedRows(final int count, final int cols, final DeviceFloats dense, final int denseOffset,
                                   final String denseName, final DeviceInts rows, final int rowsOffset,
                                   final DeviceFloats table) {
        sizes(count, cols, 0, 1);
        range(rows.length(), rowsOffset, count, "rows");
        range(dense.length(), denseOffset, (long) count * cols, denseName);
        if (cols > 0 && table.length() % cols != 0) {
            throw new IllegalArgumentException("table: " + table.length() + " floats is not a whole number of "
                    + cols + "-float rows");
        }
        // the rows are any of the table's: the dense side, read or written, must be outside it
        apart(dense, denseOffset, (long) count * cols, denseName, table, 0, table.length(), "table");
    }

    public static void adamStep(final int n, final int t, final DeviceFloats params, final DeviceFloats grads,
                                final DeviceFloats m, final DeviceFloats v) {
        if (t < 1) {
            throw new IllegalArgumentException("adamStep: step t must be >= 1, got " + t);
        }
        range(params.length(), 0, n, "params");
        range(grads.length(), 0, n, "grads");
        range(m.length(), 0, n, "m");
        range(v.length(), 0, n, "v");
    }

    public static void accumulateGradients(final int keys, final int cols, final DeviceFloats g, final int gOffset,
                                           final int gStride, final DeviceFloats take, final int takeOffset,
                                           final DeviceFloats sum, final int sumOffset, final DeviceFloats refused,
                                           final int refusedOffset) {
        sizes(keys, cols, gStride, 0);
        if (keys > 1 && gStride < cols) {
            throw new IllegalArgumentException("accumulateGradients: row stride " + gStride + " < " + cols
                    + " columns");
        }
        range(g.length(), gOffset, keys == 0 ? 0 : (long) (keys - 1) * gStride + cols, "g");
        range(take.length(), takeOffset, keys, "take");
        range(sum.length(), sumOffset, cols, "sum");
        range(refused.length(), refusedOffset, keys, "refused");
        apartFromRows(sum, sumOffset, cols, "sum", g, gOffset, keys, cols, gStride, "g");
        apart(sum, sumOffset, cols, "sum", take, takeOffset, keys, "take");
        apart(sum, sumOffset, cols, "sum", refused, refusedOffset, keys, "refused");
        apartFromRows(refused, refusedOffset, keys, "refused", g, gOffset, keys, cols, gStride, "g");
        apart(refused, refusedOffset, keys, "refused", take, takeOffset, keys, "take");
    }

    /**
     * As {@link #apart}, against the rows of the matrix read, {@code [gOffset + b·gStride, +cols)} for b below
     * {@code keys} (named {@code readName} in the message): a range in the gap between two rows overlaps nothing
     * read.
     */
    private static void apartFromRows(final DeviceFloats written, final int writtenOffset, final long writtenCount,
                                      final String writtenName, final DeviceFloats g, final int gOffset,
                                      final int keys, final int cols, final int gStride, final String readName) {
        if (written != g || writtenCount == 0 || keys == 0 || cols == 0) {
            return;
        }
        if (keys == 1 || gStride == 0) {
            apart(written, writtenOffset, writtenCount, writtenName, g, gOffset, cols, readName);
            return;
        }
        // only the rows from the one ending just before the range to the one starting in it can meet it
        final long first = Math.max(0, Math.floorDiv((long) writtenOffset - gOffset - cols, gStride));
        final long last = Math.min(keys - 1L, Math.floorDiv(writtenOffset + writtenCount - 1 - gOffset, gStride));
        for (long b = first; b <= last; b++) {
            final long row = gOffset + b * gStride;
            if (writtenOffset < row + cols && row < writtenOffset + writtenCount) {
                // the message is built only here: the checks run on every call and allocate nothing
                apart(written, writtenOffset, writtenCount, writtenName, g, (int) row, cols, readName + "'s row " + b);
            }
        }
    }

    /**
     * As {@link #apart}, except that the written range may be exactly the other one: element-wise and
     * row-wise operations may work in place, but a shifted overlap would make each element's result
     * depend on the order the backend visits them in.
     */
    private static void sameOrApart(final DeviceFloats written, final int writtenOffset, final long writtenCount,
                                    final String writtenName, final DeviceFloats other, final int otherOffset,
                                    final long otherCount, final String otherName) {
        if (writtenOffset != otherOffset || writtenCount != otherCount) {
            apart(written, writtenOffset, writtenCount, writtenName, other, otherOffset, otherCount, otherName);
        }
    }

    /** Checks that a range written and another range do not overlap when they are in one buffer. */
    private static void apart(final DeviceFloats written, final int writtenOffset, final long writtenCount,
                              final String writtenName, final DeviceFloats other, final int otherOffset,
                              final long otherCount, final String otherName) {
        if (written == other && writtenCount > 0 && otherCount > 0 && writtenOffset < otherOffset + otherCount
                && otherOffset < writtenOffset + writtenCount) {
            throw new IllegalArgumentException(writtenName + "'s range [" + writtenOffset + ", "
                    + (writtenOffset + writtenCount) + ") overlaps " + otherName + "'s [" + otherOffset + ", "
                    + (otherOffset + otherCount) + ") in the same buffer");
        }
    }

    public static void rtrlDiagonalStep(final int batch, final int units, final int inputs, final DeviceFloats a,
                                        final DeviceFloats r, final DeviceFloats x, final DeviceFloats s) {
        sizes(batch, units, inputs, 1);
        range(a.length(), 0, (long) batch * units, "a");
        range(r.length(), 0, units, "r");
        range(x.length(), 0, (long) batch * inputs, "x");
        range(s.length(), 0, (long) batch * units * inputs, "s");
    }

    public static void rtrlForward(final RtrlStage stage, final DeviceFloats params, final DeviceFloats pre,
                                   final DeviceFloats input, final int inputStride, final DeviceFloats state,
                                   final DeviceFloats trace, final DeviceFloats features, final int featureOffset,
                                   final int featureStride) {
        rtrlCommon(stage, params, input, inputStride, state, trace);
        final long cells = (long) stage.batch() * stage.units();
        range(pre.length(), 0, stage.cell().gates() * cells, "pre");
        matrix(features.length(), "features", featureOffset, stage.batch(), stage.units(), featureStride, 1, 0);
        // features may share input's buffer beyond the stage's inputs, never over the inputs the stage reads
        for (int b = 0; b < stage.batch() && features == input && stage.units() > 0; b++) {
            apartFromRows(features, (int) (featureOffset + (long) b * featureStride), stage.units(),
                    "features", input, 0, stage.batch(), stage.fanIn(), inputStride, "input");
        }
    }

    public static void rtrlGradient(final RtrlStage stage, final DeviceFloats params, final DeviceFloats hiddenGrad,
                                    final DeviceFloats input, final int inputStride, final DeviceFloats state,
                                    final DeviceFloats trace, final DeviceFloats grads, final int gradOffset,
                                    final int gradStride) {
        rtrlCommon(stage, params, input, inputStride, state, trace);
        range(hiddenGrad.length(), 0, (long) stage.batch() * stage.units(), "hiddenGrad");
        matrix(grads.length(), "grads", gradOffset, stage.batch(), stage.units() * stage.unitParameters(),
                gradStride, 1, 0);
    }

    private static void rtrlCommon(final RtrlStage stage, final DeviceFloats params, final DeviceFloats input,
                                   final int inputStride, final DeviceFloats state, final DeviceFloats trace) {
        final long cells = (long) stage.batch() * stage.units();
        range(params.length(), stage.paramOffset(), (long) stage.units() * stage.unitParameters(), "params");
        matrix(input.length(), "input", 0, stage.batch(), stage.fanIn(), inputStride, 1, 0);
        matrix(state.length(), "state", stage.stateOffset(), stage.batch(), stage.units() * stage.unitState(),
                stage.stateStride(), 1, 0);
        range(trace.length(), 0, cells * stage.unitTrace(), "trace");
    }

    /** A row index outside a table of {@code tableRows} rows. */
    public static IndexOutOfBoundsException badRow(final String op, final int index, final int row,
                                                   final int tableRows) {
        return new IndexOutOfBoundsException(op + ": rows[" + index + "] = " + row + " outside a table of "
                + tableRows + " rows");
    }

    private static void sizes(final int a, final int b, final int c, final int d) {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("sizes must be >= 0, got " + a + ", " + b + ", " + c + ", " + d);
        }
    }

    private static void host(final int arrayLength, final int offset, final int length, final String what) {
        if (offset < 0 || length < 0 || (long) offset + length > arrayLength) {
            throw new IndexOutOfBoundsException(what + ": range [" + offset + ", " + ((long) offset + length)
                    + ") outside an array of " + arrayLength);
        }
    }

    private static void range(final int bufferLength, final int offset, final long count, final String what) {
        if (offset < 0 || count < 0 || offset + count > bufferLength) {
            throw new IndexOutOfBoundsException(what + ": range [" + offset + ", " + (offset + count)
                    + ") outside a buffer of " + bufferLength);
        }
    }

    /** Checks that {@code batch} matrices of rows × cols with leading dimension ld fit in the buffer. */
    private static void matrix(final int bufferLength, final String what, final int offset, final int rows,
                               final int cols, final int ld, final int batch, final long stride) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException(what + ": negative offset " + offset);
        }
        if (rows == 0 || cols == 0 || batch == 0) {
            return;  // nothing is read or written
        }
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        }
        if (batch > 1 && stride < 0) {
            throw new IllegalArgumentException(what + ": negative batch stride " + stride);
        }
        long end;
        try {
            end = Math.addExact(Math.addExact(offset, Math.multiplyExact(batch - 1L, stride)), (rows - 1L) * ld + cols);
        } catch (final ArithmeticException e) {
            end = Long.MAX_VALUE; // a stride so large that the end passes the long range: far beyond any buffer
        }
        if (end > bufferLength) {
            throw new IndexOutOfBoundsException(what + ": " + batch + " matrices of " + rows + "x" + cols
                    + " (ld " + ld + ", stride " + stride + ") at " + offset + " need " + end
                    + " floats, the buffer has " + bufferLength);
        }
    }
}
