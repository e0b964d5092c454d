package io.eddy.kernels.cpu;

import java.util.Arrays;

/**
 * Row-major SGEMM in the GotoBLAS/BLIS shape: op(B) is packed in KC×NC blocks of register-tile-wide
 * panels, op(A) in per-thread MC×KC blocks of tile-high panels (alpha folded in), and a
 * {@link DenseMath#tile register tile} runs over the packed panels. Chunks of (row block × panel group)
 * are spread over the {@link WorkerPool}. A product with fewer rows than a tile (a batch-1 forward pass)
 * skips packing and streams op(B) through axpy or dot loops instead.
 *
 * <p>How an element of C is summed depends on m (tiles or the thin path) but never on n or on the
 * element's column: a column of C depends only on op(A) and its column of op(B), bit for bit.
 */
final class Gemm {

    private static final int KC = 256;
    private static final int MC_TILES = 16;
    private static final int NC_TARGET = 1024;
    /** Below this many multiply-adds one thread is faster than waking the others. */
    private static final long PARALLEL_WORK = 1L << 18;
    private static final int THIN_MIN_COLUMNS = 256;

    private final DenseMath math;
    private final WorkerPool pool;
    private final int mr;
    private final int nr;
    private final int mc;
    private final int nc;
    private final float[] bPack;
    private final float[][] aPack;
    private final float[][] edge;
    private final float[][] scratch;
    private final PackB packB = new PackB();
    private final Compute compute = new Compute();
    private final Thin thin = new Thin();

    // The current call, read by the tasks.
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float[] a;
    private int ao;
    private int lda;
    private float[] b;
    private int bo;
    private int ldb;
    private float[] c;
    private int co;
    private int ldc;
    private int j0;
    private int ncur;
    private int p0;
    private int kc;
    private int groups;
    private int panels;
    private int packChunks;
    private int thinChunk;

    Gemm(final DenseMath math, final WorkerPool pool) {
        this.math = math;
        this.pool = pool;
        this.mr = math.tileRows();
        this.nr = math.tileCols();
        this.mc = MC_TILES * mr;
        this.nc = Math.max(nr, NC_TARGET / nr * nr);
        this.bPack = new float[KC * nc];
        final int threads = pool.threads();
        this.aPack = new float[threads][mc * KC];
        this.edge = new float[threads][mr * nr];
        this.scratch = new float[threads][0];
    }

    /** One product {@code C = alpha·op(A)·op(B) + beta·C}; arguments are already checked. */
    void multiply(final boolean transposeA, final boolean transposeB, final int rows, final int cols, final int depth,
                  final float scale, final float[] aData, final int aOffset, final int aLd,
                  final float[] bData, final int bOffset, final int bLd,
                  final float beta, final float[] cData, final int cOffset, final int cLd) {
        scaleC(rows, cols, beta, cData, cOffset, cLd);
        // alpha 0 still multiplies, as the contract and the CUDA kernels do: 0·NaN in A or B is NaN in C
        if (depth == 0 || rows == 0 || cols == 0) {
            return;
        }
        transA = transposeA;
        transB = transposeB;
        m = rows;
        n = cols;
        k = depth;
        alpha = scale;
        a = aData;
        ao = aOffset;
        lda = aLd;
        b = bData;
        bo = bOffset;
        ldb = bLd;
        c = cData;
        co = cOffset;
        ldc = cLd;
        final boolean parallel = (long) m * n * k >= PARALLEL_WORK;
        try {
            if (m < mr) {
                // one wide column range per thread: long contiguous runs of each B row stream best
                thinChunk = parallel ? Math.max(THIN_MIN_COLUMNS, (n + pool.threads() - 1) / pool.threads()) : n;
                pool.run(thin, (n + thinChunk - 1) / thinChunk);
            } else {
                packed(parallel);
            }
        } finally {
            a = null;
            b = null;
            c = null;
        }
    }

    private void packed(final boolean parallel) {
        for (j0 = 0; j0 < n; j0 += nc) {
            ncur = Math.min(nc, n - j0);
            panels = (ncur + nr - 1) / nr;
            final int rowBlocks = (m + mc - 1) / mc;
            groups = 1;
            if (parallel) {
                final int wanted = 2 * pool.threads();
                while (rowBlocks * groups < wanted && groups < panels) {
                    groups++;
                }
            }
            for (p0 = 0; p0 < k; p0 += KC) {
                kc = Math.min(KC, k - p0);
                packChunks = parallel ? panels : 1;
                pool.run(packB, packChunks);
                pool.run(compute, rowBlocks * groups);
            }
        }
    }

    private static void scaleC(final int rows, final int cols, final float beta, final float[] c, final int co,
                               final int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            final int row = co + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + cols, 0f);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    private float opA(final int i, final int p) {
        return transA ? a[ao + p * lda + i] : a[ao + i * lda + p];
    }

    /** Packs panels of op(B)[p0, p0+kc) × [j0, j0+ncur): panel q holds kc rows of nr floats. */
    private final class PackB implements RangeTask {
        @Override
        public void run(final int chunk, final int worker) {
            if (packChunks == 1) {
                for (int q = 0; q < panels; q++) {
                    packPanel(q);
                }
            } else {
                packPanel(chunk);
            }
        }

        private void packPanel(final int q) {
            final int base = q * kc * nr;
            final int col0 = j0 + q * nr;
            final int width = Math.min(nr, n - col0);
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    final int to = base + p * nr;
                    System.arraycopy(b, bo + (p0 + p) * ldb + col0, bPack, to, width);
                    if (width < nr) {
                        Arrays.fill(bPack, to + width, to + nr, 0f);
                    }
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    if (j < width) {
                        final int from = bo + (col0 + j) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            bPack[base + p * nr + j] = b[from + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            bPack[base + p * nr + j] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** One row block of MC rows against one group of packed B panels. */
    private final class Compute implements RangeTask {
        @Override
        public void run(final int chunk, final int worker) {
            final int block = chunk / groups;
            final int group = chunk % groups;
            final int i0 = block * mc;
            final int mcur = Math.min(mc, m - i0);
            final int tiles = (mcur + mr - 1) / mr;
            final float[] ap = aPack[worker];
            packA(ap, i0, mcur, tiles);
            final int qFirst = (int) ((long) panels * group / groups);
            final int qLast = (int) ((long) panels * (group + 1) / groups);
            for (int q = qFirst; q < qLast; q++) {
                final int col0 = j0 + q * nr;
                final int width = Math.min(nr, n - col0);
                for (int t = 0; t < tiles; t++) {
                    final int row0 = i0 + t * mr;
                    final int height = Math.min(mr, m - row0);
                    if (height == mr && width == nr) {
                        math.tile(kc, ap, t * kc * mr, bPack, q * kc * nr, c, co + row0 * ldc + col0, ldc);
                    } else {
                        // through a full-size copy of C's values, so that an edge element sums as in a
                        // full tile
                        final float[] tile = edge[worker];
                        Arrays.fill(tile, 0f);
                        for (int r = 0; r < height; r++) {
                            System.arraycopy(c, co + (row0 + r) * ldc + col0, tile, r * nr, width);
                        }
                        math.tile(kc, ap, t * kc * mr, bPack, q * kc * nr, tile, 0, nr);
                        for (int r = 0; r < height; r++) {
                            System.arraycopy(tile, r * nr, c, co + (row0 + r) * ldc + col0, width);
                        }
                    }
                }
            }
        }

        /** alpha·op(A)[i0, i0+mcur) × [p0, p0+kc) as tiles of mr rows, zero-padded, layout [tile][p][r]. */
        private void packA(final float[] ap, final int i0, final int mcur, final int tiles) {
            for (int t = 0; t < tiles; t++) {
                final int base = t * kc * mr;
                for (int r = 0; r < mr; r++) {
                    final int i = i0 + t * mr + r;
                    if (t * mr + r >= mcur) {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = 0f;
                        }
                    } else if (!transA) {
                        final int from = ao + i * lda + p0;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = alpha * a[from + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = alpha * a[ao + (p0 + p) * lda + i];
                        }
                    }
                }
            }
        }
    }

    /** Fewer rows than a tile: each chunk owns a range of C's columns and streams op(B) past them. */
    private final class Thin implements RangeTask {
        @Override
        public void run(final int chunk, final int worker) {
            final int jStart = chunk * thinChunk;
            final int width = Math.min(thinChunk, n - jStart);
            for (int i = 0; i < m; i++) {
                final int cRow = co + i * ldc + jStart;
                if (!transB) {
                    for (int p = 0; p < k; p++) {
                        math.axpy(width, alpha * opA(i, p), b, bo + p * ldb + jStart, c, cRow);
                    }
                } else {
                    final float[] row;
                    final int rowOffset;
                    if (!transA) {
                        row = a;
                        rowOffset = ao + i * lda;
                    } else {
                        row = rowOfTransposedA(worker, i);
                        rowOffset = 0;
                    }
                    for (int j = 0; j < width; j++) {
                        c[cRow + j] += alpha * math.dot(k, row, rowOffset, b, bo + (jStart + j) * ldb);
                    }
                }
            }
        }

        private float[] rowOfTransposedA(final int worker, final int i) {
            if (scratch[worker].length < k) {
                scratch[worker] = new float[k];
            }
            final float[] row = scratch[worker];
            for (int p = 0; p < k; p++) {
                row[p] = a[ao + p * lda + i];
            }
            return row;
        }
    }
}
