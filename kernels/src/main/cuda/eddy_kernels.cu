// Eddy's CUDA kernels: one extern "C" entry point per ComputeBackend operation (CudaBackend looks
// them up by name). Every pointer argument arrives already offset by the caller, so kernels see
// the first element they touch. Matrices are row-major, as in the Java interface. The CPU twin of
// each kernel is io.eddy.kernels.cpu.CpuBackend; CudaParityTest compares the two.
//
// Regenerate the PTX resource after any edit (see README.md next to this file).

// ---------------------------------------------------------------------------------------------
// SGEMM: C = alpha * op(A) * op(B) + beta * C, strided batch over blockIdx.z.
// One block computes a GEMM_TILE x GEMM_TILE tile of C with GEMM_TILE x GEMM_ROWS threads; each
// thread owns GEMM_TILE / GEMM_ROWS outputs of one column. Tiles of op(A) and op(B) are staged in
// shared memory, stored k-major; each load maps threadIdx.x to the dimension that is contiguous in
// global memory, so loads are coalesced for every transpose. The +1 padding avoids bank conflicts.
// ---------------------------------------------------------------------------------------------

#define GEMM_TILE 32
#define GEMM_ROWS 8
#define GEMM_PER_THREAD (GEMM_TILE / GEMM_ROWS)

template <bool TRANS_A, bool TRANS_B>
__device__ __forceinline__ void sgemm_tiled(int m, int n, int k, float alpha,
                                            const float* __restrict__ a, int lda, long long stride_a,
                                            const float* __restrict__ b, int ldb, long long stride_b,
                                            float beta, float* __restrict__ c, int ldc, long long stride_c,
                                            int batch)
{
    __shared__ float as[GEMM_TILE][GEMM_TILE + 1];  // as[p][i] = op(A)[row0 + i][p0 + p]
    __shared__ float bs[GEMM_TILE][GEMM_TILE + 1];  // bs[p][j] = op(B)[p0 + p][col0 + j]

    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int row0 = blockIdx.y * GEMM_TILE;
    const int col0 = blockIdx.x * GEMM_TILE;

    for (int z = blockIdx.z; z < batch; z += gridDim.z) {
        const float* az = a + (long long)z * stride_a;
        const float* bz = b + (long long)z * stride_b;
        float* cz = c + (long long)z * stride_c;

        float acc[GEMM_PER_THREAD];
#pragma unroll
        for (int q = 0; q < GEMM_PER_THREAD; ++q) {
            acc[q] = 0.0f;
        }

        for (int p0 = 0; p0 < k; p0 += GEMM_TILE) {
#pragma unroll
            for (int r = ty; r < GEMM_TILE; r += GEMM_ROWS) {
                if (!TRANS_A) {  // A stored m x k: contiguous along p
                    const int i = row0 + r;
                    const int p = p0 + tx;
                    as[tx][r] = (i < m && p < k) ? az[(long long)i * lda + p] : 0.0f;
                } else {         // A stored k x m: contiguous along i
                    const int i = row0 + tx;
                    const int p = p0 + r;
                    as[r][tx] = (i < m && p < k) ? az[(long long)p * lda + i] : 0.0f;
                }
                if (!TRANS_B) {  // B stored k x n: contiguous along j
                    const int j = col0 + tx;
                    const int p = p0 + r;
                    bs[r][tx] = (j < n && p < k) ? bz[(long long)p * ldb + j] : 0.0f;
                } else {         // B stored n x k: contiguous along p
                    const int j = col0 + r;
                    const int p = p0 + tx;
                    bs[tx][r] = (j < n && p < k) ? bz[(long long)j * ldb + p] : 0.0f;
                }
            }
            __syncthreads();
#pragma unroll 8
            for (int p = 0; p < GEMM_TILE; ++p) {
                const float bv = bs[p][tx];
#pragma unroll
                for (int q = 0; q < GEMM_PER_THREAD; ++q) {
                    acc[q] = fmaf(as[p][ty + q * GEMM_ROWS], bv, acc[q]);
                }
            }
            __syncthreads();
        }

        const int j = col0 + tx;
        if (j < n) {
#pragma unroll
            for (int q = 0; q < GEMM_PER_THREAD; ++q) {
                const int i = row0 + ty + q * GEMM_ROWS;
                if (i < m) {
                    float* out = cz + (long long)i * ldc + j;
                    // beta == 0 must not read C: NaN or garbage there must not propagate.
                    *out = (beta == 0.0f) ? alpha * acc[q] : fmaf(beta, *out, alpha * acc[q]);
                }
            }
        }
    }
}

#define EDDY_SGEMM_ENTRY(NAME, TA, TB)                                                              \
    extern "C" __global__ void __launch_bounds__(GEMM_TILE * GEMM_ROWS)                             \
    NAME(int m, int n, int k, float alpha, const float* a, int lda, long long stride_a,             \
         const float* b, int ldb, long long stride_b, float beta, float* c, int ldc,                \
         long long stride_c, int batch)                                                             \
    {                                                                                               \
        sgemm_tiled<TA, TB>(m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc,      \
                            stride_c, batch);                                                       \
    }

EDDY_SGEMM_ENTRY(eddy_sgemm_nn, false, false)
EDDY_SGEMM_ENTRY(eddy_sgemm_nt, false, true)
EDDY_SGEMM_ENTRY(eddy_sgemm_tn, true, false)
EDDY_SGEMM_ENTRY(eddy_sgemm_tt, true, true)

// ---------------------------------------------------------------------------------------------
// Thin SGEMM, C = alpha * A * B^T + beta * C for m <= THIN_ROWS: a few input rows (a layer's answer
// to one event, a row per label) against a weight matrix B stored n x k. Such a product only has to
// stream B once, which the square tiles above do badly: with m this small they leave most of each
// tile empty and run k / 32 dependent steps. Here a warp owns one column j of C: its lanes read row
// j of B in coalesced 32-float runs while the block's A rows, staged in shared memory a k-slice at
// a time, stay on chip; each lane keeps a partial sum per row, and a butterfly reduction gives
// every lane all m sums, lane i writing row i.
// ---------------------------------------------------------------------------------------------

#define THIN_ROWS 16
#define THIN_WARPS 8
#define THIN_K (THIN_WARPS * 32)

__device__ __forceinline__ float warp_all_sum(float v)
{
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    }
    return v;
}

// Activation ids follow io.eddy.kernels.api.Activation: 0 identity, 1 relu, 2 tanh, 3 sigmoid.
__device__ __forceinline__ float activation_value(int f, float v)
{
    switch (f) {
        case 1: return v > 0.0f ? v : 0.0f;
        case 2: return tanhf(v);
        case 3: return 1.0f / (1.0f + expf(-v));
        default: return v;
    }
}

// The body of eddy_sgemm_thin_nt and, with LAYER, of eddy_dense_layer_thin, whose epilogue writes
// f(alpha * acc + bias[j]) instead of reading beta and C: the bias add and the activation that would
// otherwise be two more launches. The product is rounded, then the bias added, in separate steps (no
// fused multiply-add), as the unfused path rounds them, so both give the same bits.
template <bool LAYER>
__device__ __forceinline__ void sgemm_thin_nt(int m, int n, int k, float alpha, const float* __restrict__ a,
                                              int lda, long long stride_a, const float* __restrict__ b, int ldb,
                                              long long stride_b, float beta, float* __restrict__ c, int ldc,
                                              long long stride_c, int batch, const float* __restrict__ bias,
                                              int f)
{
    __shared__ float as[THIN_ROWS][THIN_K];  // as[i][p] = A[i][p0 + p]; THIN_K == the block's threads

    const int lane = threadIdx.x & 31;
    const int j = blockIdx.x * THIN_WARPS + (threadIdx.x >> 5);
    const int p = threadIdx.x;  // the column of each A slice this thread stages

    for (int z = blockIdx.z; z < batch; z += gridDim.z) {
        const float* az = a + (long long)z * stride_a;
        const float* bj = b + (long long)z * stride_b + (long long)(j < n ? j : 0) * ldb;
        float* cz = c + (long long)z * stride_c;

        float acc[THIN_ROWS];
#pragma unroll
        for (int i = 0; i < THIN_ROWS; ++i) {
            acc[i] = 0.0f;
        }
        // The next slice of A is loaded into registers while the current one is used: all of a
        // thread's loads are in flight at once, and their latency hides behind the B stream.
        float next[THIN_ROWS];
#pragma unroll
        for (int i = 0; i < THIN_ROWS; ++i) {
            next[i] = (i < m && p < k) ? az[(long long)i * lda + p] : 0.0f;
        }
        for (int p0 = 0; p0 < k; p0 += THIN_K) {
            const int width = min(THIN_K, k - p0);
            __syncthreads();  // the previous slice is consumed
#pragma unroll
            for (int i = 0; i < THIN_ROWS; ++i) {
                if (i < m) {
                    as[i][p] = next[i];
                }
            }
            __syncthreads();
            const int q = p0 + THIN_K + p;
#pragma unroll
            for (int i = 0; i < THIN_ROWS; ++i) {
                next[i] = (i < m && q < k) ? az[(long long)i * lda + q] : 0.0f;
            }
            if (j < n) {
#pragma unroll 4
                for (int pp = lane; pp < width; pp += 32) {
                    const float bv = bj[p0 + pp];
#pragma unroll
                    for (int i = 0; i < THIN_ROWS; ++i) {
                        if (i < m) {
                            acc[i] = fmaf(as[i][pp], bv, acc[i]);
                        }
                    }
                }
            }
        }
#pragma unroll
        for (int i = 0; i < THIN_ROWS; ++i) {
            if (i < m) {
                acc[i] = warp_all_sum(acc[i]);
            }
        }
        if (j < n) {
#pragma unroll
            for (int i = 0; i < THIN_ROWS; ++i) {
                if (i < m && i == lane) {
                    float* out = cz + (long long)i * ldc + j;
                    if (LAYER) {
                        *out = activation_value(f, __fadd_rn(alpha * acc[i], bias[j]));
                    } else {
                        // beta == 0 must not read C: NaN or garbage there must not propagate.
                        *out = (beta == 0.0f) ? alpha * acc[i] : fmaf(beta, *out, alpha * acc[i]);
                    }
                }
            }
        }
    }
}

extern "C" __global__ void __launch_bounds__(THIN_WARPS * 32, 2)
eddy_sgemm_thin_nt(int m, int n, int k, float alpha, const float* __restrict__ a, int lda, long long stride_a,
                   const float* __restrict__ b, int ldb, long long stride_b, float beta, float* __restrict__ c,
                   int ldc, long long stride_c, int batch)
{
    sgemm_thin_nt<false>(m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batch,
                         nullptr, 0);
}

// y = f(x * W^T + b) for rows <= THIN_ROWS: x rows x in, W out x in, y rows x out, all packed.
extern "C" __global__ void __launch_bounds__(THIN_WARPS * 32, 2)
eddy_dense_layer_thin(int f, int rows, int out, int in, const float* __restrict__ x, const float* __restrict__ w,
                      const float* __restrict__ bias, float* __restrict__ y)
{
    sgemm_thin_nt<true>(rows, out, in, 1.0f, x, in, 0, w, in, 0, 0.0f, y, out, 0, 1, bias, f);
}

// ---------------------------------------------------------------------------------------------
// Register-blocked SGEMM for large problems: same contract as eddy_sgemm_* above.
// A block of GEMM_BIG_THREADS = 256 threads computes a GEMM_BM x GEMM_BN = 128 x 128 tile of C,
// stepping through k GEMM_BK = 8 at a time. Each thread accumulates an 8 x 8 micro-tile in
// registers: rows 4*ty + {0..3} and 64 + 4*ty + {0..3} of the tile, columns 4*tx + {0..3} and
// 64 + 4*tx + {0..3}, with (ty, tx) in 16 x 16. A warp covers 4 x 8 of those (ty, tx), so a k-step
// reads each operand from shared memory as float4s touching 64 (A) or 128 (B) distinct bytes.
//
// Shared tiles are k-major for both operands, as[p][i] = op(A)[row0 + i][p0 + p] and
// bs[p][j] = op(B)[p0 + p][col0 + j], rows padded to 132 floats (still 16-byte aligned), and double
// buffered: the next k-slice is loaded from global memory into registers while the current one is
// multiplied, then stored into the other buffer, one __syncthreads per k-slice.
//
// Global loads: each thread reads 4 consecutive floats of each operand per k-slice, along the
// dimension that is contiguous in memory ("k-contiguous": A not transposed, B transposed; else
// "row-contiguous"). With VEC the host has checked that the pointers are 16-byte aligned and every
// ld and batch stride a multiple of 4, so a group of 4 that lies wholly inside the matrix is one
// float4 load; groups crossing an edge, and everything without VEC, use guarded scalar loads that
// read zeros outside the matrix. The C epilogue likewise uses float4 with VEC where 4 columns fit.
// ---------------------------------------------------------------------------------------------

#define GEMM_BM 128
#define GEMM_BN 128
#define GEMM_BK 8
#define GEMM_PAD 4
#define GEMM_BIG_THREADS 256

// Loads this thread's 4 floats of one operand's k-slice [p0, p0 + GEMM_BK) into v.
// Element (r, p) of the operand's tile (r along op's m or n, p along k) is x[r * ld + p] when
// K_CONTIG, else x[p * ld + r]; r < rows and p < k are inside, anything else reads as 0.
template <bool K_CONTIG, bool VEC>
__device__ __forceinline__ void gemm_big_load(const float* __restrict__ x, int ld, int r0, int rows, int p0,
                                              int k, float v[4])
{
    const int t = threadIdx.x;
    if (K_CONTIG) {  // 128 rows x 2 groups of 4 along p
        const int r = r0 + (t >> 1);
        const int p = p0 + ((t & 1) << 2);
        const float* src = x + (long long)r * ld + p;
        if (VEC && r < rows && p + 3 < k) {
            const float4 q = *reinterpret_cast<const float4*>(src);
            v[0] = q.x; v[1] = q.y; v[2] = q.z; v[3] = q.w;
        } else {
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                v[e] = (r < rows && p + e < k) ? src[e] : 0.0f;
            }
        }
    } else {         // 8 rows along p x 32 groups of 4 along r
        const int p = p0 + (t >> 5);
        const int r = r0 + ((t & 31) << 2);
        const float* src = x + (long long)p * ld + r;
        if (VEC && p < k && r + 3 < rows) {
            const float4 q = *reinterpret_cast<const float4*>(src);
            v[0] = q.x; v[1] = q.y; v[2] = q.z; v[3] = q.w;
        } else {
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                v[e] = (p < k && r + e < rows) ? src[e] : 0.0f;
            }
        }
    }
}

// Stores what gemm_big_load read into the k-major shared tile s[p][r].
template <bool K_CONTIG>
__device__ __forceinline__ void gemm_big_store(float (*s)[GEMM_BM + GEMM_PAD], const float v[4])
{
    const int t = threadIdx.x;
    if (K_CONTIG) {  // transpose on the way in; the padding keeps these 4 stores conflict-free
        const int r = t >> 1;
        const int p = (t & 1) << 2;
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            s[p + e][r] = v[e];
        }
    } else {
        const int p = t >> 5;
        const int r = (t & 31) << 2;
        *reinterpret_cast<float4*>(&s[p][r]) = make_float4(v[0], v[1], v[2], v[3]);
    }
}

// Writes 4 consecutive outputs c[j .. j+3] of one row (columns >= n are skipped).
template <bool VEC>
__device__ __forceinline__ void gemm_big_write4(float* __restrict__ c, int j, int n, float alpha, float beta,
                                                const float acc[4])
{
    if (VEC && j + 3 < n) {
        float4* out = reinterpret_cast<float4*>(c + j);
        float4 r;
        if (beta == 0.0f) {  // beta == 0 must not read C: NaN or garbage there must not propagate
            r = make_float4(alpha * acc[0], alpha * acc[1], alpha * acc[2], alpha * acc[3]);
        } else {
            const float4 old = *out;
            r = make_float4(fmaf(beta, old.x, alpha * acc[0]), fmaf(beta, old.y, alpha * acc[1]),
                            fmaf(beta, old.z, alpha * acc[2]), fmaf(beta, old.w, alpha * acc[3]));
        }
        *out = r;
    } else {
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            if (j + e < n) {
                float* out = c + j + e;
                *out = (beta == 0.0f) ? alpha * acc[e] : fmaf(beta, *out, alpha * acc[e]);
            }
        }
    }
}

template <bool TRANS_A, bool TRANS_B, bool VEC>
__device__ __forceinline__ void sgemm_big(int m, int n, int k, float alpha,
                                          const float* __restrict__ a, int lda, long long stride_a,
                                          const float* __restrict__ b, int ldb, long long stride_b,
                                          float beta, float* __restrict__ c, int ldc, long long stride_c,
                                          int batch)
{
    __shared__ __align__(16) float as[2][GEMM_BK][GEMM_BM + GEMM_PAD];
    __shared__ __align__(16) float bs[2][GEMM_BK][GEMM_BN + GEMM_PAD];

    // Thread (ty, tx) in 16 x 16; warp w holds ty in [4 * (w / 2), +4) and tx in [8 * (w % 2), +8).
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int ty = ((warp >> 1) << 2) + (lane >> 3);
    const int tx = ((warp & 1) << 3) + (lane & 7);
    const int row0 = blockIdx.y * GEMM_BM;
    const int col0 = blockIdx.x * GEMM_BN;

    for (int z = blockIdx.z; z < batch; z += gridDim.z) {
        const float* az = a + (long long)z * stride_a;
        const float* bz = b + (long long)z * stride_b;
        float* cz = c + (long long)z * stride_c;

        float acc[8][8];
#pragma unroll
        for (int i = 0; i < 8; ++i) {
#pragma unroll
            for (int j = 0; j < 8; ++j) {
                acc[i][j] = 0.0f;
            }
        }

        if (k > 0) {
            float va[4];
            float vb[4];
            gemm_big_load<!TRANS_A, VEC>(az, lda, row0, m, 0, k, va);
            gemm_big_load<TRANS_B, VEC>(bz, ldb, col0, n, 0, k, vb);
            gemm_big_store<!TRANS_A>(as[0], va);
            gemm_big_store<TRANS_B>(bs[0], vb);
            __syncthreads();

            int buf = 0;
            for (int p0 = 0; p0 < k; p0 += GEMM_BK) {
                const bool more = p0 + GEMM_BK < k;
                if (more) {  // next slice into registers; its latency hides behind the FMAs below
                    gemm_big_load<!TRANS_A, VEC>(az, lda, row0, m, p0 + GEMM_BK, k, va);
                    gemm_big_load<TRANS_B, VEC>(bz, ldb, col0, n, p0 + GEMM_BK, k, vb);
                }
#pragma unroll
                for (int p = 0; p < GEMM_BK; ++p) {
                    const float4 a0 = *reinterpret_cast<const float4*>(&as[buf][p][ty << 2]);
                    const float4 a1 = *reinterpret_cast<const float4*>(&as[buf][p][64 + (ty << 2)]);
                    const float4 b0 = *reinterpret_cast<const float4*>(&bs[buf][p][tx << 2]);
                    const float4 b1 = *reinterpret_cast<const float4*>(&bs[buf][p][64 + (tx << 2)]);
                    const float av[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
                    const float bv[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
                    for (int i = 0; i < 8; ++i) {
#pragma unroll
                        for (int j = 0; j < 8; ++j) {
                            acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
                        }
                    }
                }
                if (more) {  // the other buffer was last read before the previous __syncthreads
                    gemm_big_store<!TRANS_A>(as[buf ^ 1], va);
                    gemm_big_store<TRANS_B>(bs[buf ^ 1], vb);
                }
                __syncthreads();
                buf ^= 1;
            }
        }

#pragma unroll
        for (int i = 0; i < 8; ++i) {
            const int row = row0 + (i < 4 ? (ty << 2) + i : 64 + (ty << 2) + i - 4);
            if (row < m) {
                float* cr = cz + (long long)row * ldc;
                gemm_big_write4<VEC>(cr, col0 + (tx << 2), n, alpha, beta, &acc[i][0]);
                gemm_big_write4<VEC>(cr, col0 + 64 + (tx << 2), n, alpha, beta, &acc[i][4]);
            }
        }
    }
}

// Two blocks of 256 threads per SM: at most 128 registers a thread.
#define EDDY_SGEMM_BIG_ENTRY(NAME, TA, TB, VEC)                                                     \
    extern "C" __global__ void __launch_bounds__(GEMM_BIG_THREADS, 2)                               \
    NAME(int m, int n, int k, float alpha, const float* a, int lda, long long stride_a,             \
         const float* b, int ldb, long long stride_b, float beta, float* c, int ldc,                \
         long long stride_c, int batch)                                                             \
    {                                                                                               \
        sgemm_big<TA, TB, VEC>(m, n, k, alpha, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc,   \
                               stride_c, batch);                                                    \
    }

EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128_nn, false, false, false)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128_nt, false, true, false)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128_tn, true, false, false)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128_tt, true, true, false)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128v_nn, false, false, true)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128v_nt, false, true, true)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128v_tn, true, false, true)
EDDY_SGEMM_BIG_ENTRY(eddy_sgemm128v_tt, true, true, true)

// ---------------------------------------------------------------------------------------------
// GEMV, y = alpha * op(A) * x + beta * y with A stored m x n.
// ---------------------------------------------------------------------------------------------

__device__ __forceinline__ float warp_sum(float v)
{
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

// No transpose: one warp per row of A (coalesced along the row), y has m entries.
extern "C" __global__ void eddy_sgemv_n(int m, int n, float alpha, const float* __restrict__ a, int lda,
                                        const float* __restrict__ x, float beta, float* __restrict__ y)
{
    const int warps_per_block = blockDim.x >> 5;
    const int lane = threadIdx.x & 31;
    const int row = blockIdx.x * warps_per_block + (threadIdx.x >> 5);
    if (row >= m) {
        return;
    }
    const float* ar = a + (long long)row * lda;
    float sum = 0.0f;
    for (int j = lane; j < n; j += 32) {
        sum = fmaf(ar[j], x[j], sum);
    }
    sum = warp_sum(sum);
    if (lane == 0) {
        y[row] = (beta == 0.0f) ? alpha * sum : fmaf(beta, y[row], alpha * sum);
    }
}

// Transpose: one thread per column of A (neighbouring threads read neighbouring floats), y has n entries.
extern "C" __global__ void eddy_sgemv_t(int m, int n, float alpha, const float* __restrict__ a, int lda,
                                        const float* __restrict__ x, float beta, float* __restrict__ y)
{
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= n) {
        return;
    }
    float sum = 0.0f;
    for (int i = 0; i < m; ++i) {
        sum = fmaf(a[(long long)i * lda + col], x[i], sum);
    }
    y[col] = (beta == 0.0f) ? alpha * sum : fmaf(beta, y[col], alpha * sum);
}

// ---------------------------------------------------------------------------------------------
// Level-1 and element-wise kernels: grid-stride loops over 64-bit indices.
// ---------------------------------------------------------------------------------------------

// A += alpha * x * y^T, A m x n; 2-D grid, x along columns for coalescing.
extern "C" __global__ void eddy_sger(int m, int n, float alpha, const float* __restrict__ x,
                                     const float* __restrict__ y, float* __restrict__ a, int lda)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= n) {
        return;
    }
    const float ay = alpha * y[j];
    for (int i = blockIdx.y * blockDim.y + threadIdx.y; i < m; i += gridDim.y * blockDim.y) {
        float* e = a + (long long)i * lda + j;
        *e = fmaf(x[i], ay, *e);
    }
}

extern "C" __global__ void eddy_saxpy(int n, float alpha, const float* __restrict__ x, float* __restrict__ y)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        y[i] = fmaf(alpha, x[i], y[i]);
    }
}

// Derivative written in terms of the activation's output y.
__device__ __forceinline__ float activation_slope(int f, float y)
{
    switch (f) {
        case 1: return y > 0.0f ? 1.0f : 0.0f;
        case 2: return 1.0f - y * y;
        case 3: return y * (1.0f - y);
        default: return 1.0f;
    }
}

// x and y may be the same range: each element is read before it is written, by the same thread.
extern "C" __global__ void eddy_activate(int f, int n, const float* x, float* y)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        y[i] = activation_value(f, x[i]);
    }
}

// y[r][c] = f(y[r][c] + bias[c]), y rows x cols: a dense layer's epilogue after a GEMM too tall for
// eddy_dense_layer_thin, one launch where the bias add and the activation took two.
extern "C" __global__ void eddy_bias_activate(int f, int rows, int cols, const float* __restrict__ bias,
                                              float* __restrict__ y)
{
    const long long total = (long long)rows * cols;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        y[i] = activation_value(f, y[i] + bias[i % cols]);
    }
}

extern "C" __global__ void eddy_activation_backward(int f, int n, const float* y, const float* g, float* out)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        out[i] = g[i] * activation_slope(f, y[i]);
    }
}

// ---------------------------------------------------------------------------------------------
// Row reductions: one block per row, strided partial sums, then a shared-memory tree.
// blockDim.x must be a power of two no larger than ROW_THREADS.
// ---------------------------------------------------------------------------------------------

#define ROW_THREADS 256

__device__ __forceinline__ float block_sum_of_squares(const float* row, int cols, float* partial)
{
    float sum = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        const float v = row[c];
        sum = fmaf(v, v, sum);
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int half = blockDim.x >> 1; half > 0; half >>= 1) {
        if (threadIdx.x < half) {
            partial[threadIdx.x] += partial[threadIdx.x + half];
        }
        __syncthreads();
    }
    return partial[0];
}

extern "C" __global__ void __launch_bounds__(ROW_THREADS)
eddy_row_sum_of_squares(int rows, int cols, const float* __restrict__ a, float* __restrict__ out)
{
    __shared__ float partial[ROW_THREADS];
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float total = block_sum_of_squares(a + (long long)r * cols, cols, partial);
        if (threadIdx.x == 0) {
            out[r] = total;
        }
        __syncthreads();  // partial[0] is read above before the next row overwrites it
    }
}

// out may be a: every element of a row is read (in the reduction) before any is written.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
eddy_row_normalize(int rows, int cols, float epsilon, const float* a, float* out)
{
    __shared__ float partial[ROW_THREADS];
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* ar = a + (long long)r * cols;
        float* outr = out + (long long)r * cols;
        const float scale = 1.0f / (sqrtf(block_sum_of_squares(ar, cols, partial)) + epsilon);
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            outr[c] = ar[c] * scale;
        }
        __syncthreads();
    }
}

// Both of the above in one pass: sums[r] = sum of squares of row r, out[r] = a[r] / (sqrt(sums[r]) +
// epsilon), the same reduction and rounding, so the same bits. out may be a; sums must not overlap a.
extern "C" __global__ void __launch_bounds__(ROW_THREADS)
eddy_row_sum_of_squares_normalize(int rows, int cols, float epsilon, const float* a, float* __restrict__ sums,
                                  float* out)
{
    __shared__ float partial[ROW_THREADS];
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* ar = a + (long long)r * cols;
        float* outr = out + (long long)r * cols;
        const float total = block_sum_of_squares(ar, cols, partial);
        if (threadIdx.x == 0) {
            sums[r] = total;
        }
        const float scale = 1.0f / (sqrtf(total) + epsilon);
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            outr[c] = ar[c] * scale;
        }
        __syncthreads();
    }
}

// ---------------------------------------------------------------------------------------------
// Row gathers and scatters over embedding-style tables. Indices outside [0, table_rows) are not
// followed: a gather writes zeros for them and a scatter skips them, so a bad index cannot corrupt
// device memory (the CPU backend throws instead; callers must not rely on either).
// ---------------------------------------------------------------------------------------------

extern "C" __global__ void eddy_gather_rows(int count, int cols, int table_rows, const float* __restrict__ table,
                                            const int* __restrict__ rows, float* __restrict__ out)
{
    const long long total = (long long)count * cols;
    for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const long long i = e / cols;
        const int c = (int)(e - i * cols);
        const int row = rows[i];
        out[e] = (row >= 0 && row < table_rows) ? table[(long long)row * cols + c] : 0.0f;
    }
}

// Repeated indices accumulate through atomicAdd, so the summation order (and the last bits) may vary.
extern "C" __global__ void eddy_scatter_add_rows(int count, int cols, int table_rows, float alpha,
                                                 const float* __restrict__ src, const int* __restrict__ rows,
                                                 float* table)
{
    const long long total = (long long)count * cols;
    for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const long long i = e / cols;
        const int c = (int)(e - i * cols);
        const int row = rows[i];
        if (row >= 0 && row < table_rows) {
            atomicAdd(table + (long long)row * cols + c, alpha * src[e]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Optimiser and recurrent kernels.
// ---------------------------------------------------------------------------------------------

// Rows of gradients added to a running sum one row after another, as an optimiser's host loop takes
// events: a thread per column walks the rows in order, in double, so the sum is bit for bit the
// host's (io.eddy.kernels.cpu.GradientSums). The loads of a column's rows do not depend on the sum,
// so they are all in flight while the chain of additions runs. A sum that would leave the float
// range (or is NaN) is not taken; the row is marked refused instead, and the caller redoes the rows.
__device__ __forceinline__ double clip_gradient(double g, double limit)
{
    if (limit <= 0.0) {
        return g;
    }
    return g > limit ? limit : (g < -limit ? -limit : g);  // NaN compares false and stays NaN
}

extern "C" __global__ void eddy_accumulate_gradients(int keys, int cols, double limit, const float* __restrict__ g,
                                                     int g_stride, const float* __restrict__ take,
                                                     float* __restrict__ sum, float* __restrict__ refused)
{
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < cols; j += gridDim.x * blockDim.x) {
        float s = sum[j];
#pragma unroll 8
        for (int b = 0; b < keys; ++b) {
            if (take[b] == 0.0f) {
                continue;
            }
            const double t = (double)s + clip_gradient((double)g[(long long)b * g_stride + j], limit);
            if (fabs(t) <= 3.4028234663852886e38) {  // FLT_MAX; false for NaN and infinities
                s = (float)t;
            } else {
                refused[b] = 1.0f;
            }
        }
        sum[j] = s;
    }
}

// Fused Adam; the host passes the bias corrections 1 - beta1^t and 1 - beta2^t.
extern "C" __global__ void eddy_adam_step(int n, float learning_rate, float beta1, float beta2, float epsilon,
                                          float correction1, float correction2, float* __restrict__ params,
                                          const float* __restrict__ grads, float* __restrict__ m,
                                          float* __restrict__ v)
{
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        const float g = grads[i];
        const float mi = beta1 * m[i] + (1.0f - beta1) * g;
        const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= learning_rate * (mi / correction1) / (sqrtf(vi / correction2) + epsilon);
    }
}

// a[r][c] *= scale[r], rows x cols.
extern "C" __global__ void eddy_scale_rows(int rows, int cols, const float* __restrict__ scale, float* __restrict__ a)
{
    const long long total = (long long)rows * cols;
    for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        a[e] *= scale[e / cols];
    }
}

// S[b][i][j] = a[b][i] * (x[b][j] + r[i] * S[b][i][j]); S batch x units x inputs.
extern "C" __global__ void eddy_rtrl_diagonal_step(int batch, int units, int inputs, const float* __restrict__ a,
                                                   const float* __restrict__ r, const float* __restrict__ x,
                                                   float* __restrict__ s)
{
    const long long total = (long long)batch * units * inputs;
    for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
         e += (long long)gridDim.x * blockDim.x) {
        const long long bi = e / inputs;           // b * units + i
        const int j = (int)(e - bi * inputs);
        const int i = (int)(bi % units);
        const long long b = bi / units;
        s[e] = a[bi] * fmaf(r[i], s[e], x[b * inputs + j]);
    }
}

// ---- batched RTRL (see RtrlCells.java for the CPU twin) -------------------------------------------
// One block per (key, unit) pair b * units + u; its threads share the pair's sensitivities. cell: 0
// diagonal, 1 eLSTM, 2 minGRU (RecurrentCell's order). params and state arrive already offset to the
// stage's first unit; key b's state row is state + b * stateStride.

__device__ __forceinline__ float eddy_sigmoid(float a)
{
    return 1.0f / (1.0f + expf(-a));
}

// A unit's layout (RecurrentCell's): floats per gate block, parameters, sensitivities, trace.
struct eddy_rtrl_layout {
    int block;
    int unitParams;
    int sensitivities;
    int unitTrace;
};

__device__ __forceinline__ eddy_rtrl_layout eddy_rtrl_unit(int cell, int fanIn)
{
    eddy_rtrl_layout l;
    l.block = fanIn + (cell == 2 ? 1 : 2);
    l.unitParams = (cell == 0 ? 1 : (cell == 1 ? 3 : 2)) * l.block;
    l.sensitivities = cell == 1 ? 2 * l.block : l.unitParams;
    l.unitTrace = cell == 1 ? 3 + l.sensitivities : 0;
    return l;
}

// Every cell's sensitivity update is S = carry * S + coef * direct, one coef per gate block, direct
// being the input, the previous value (minGRU: the bias's 1) or 1.
extern "C" __global__ void eddy_rtrl_forward(int cell, int batch, int units, int fanIn, int learning,
                                             const float* __restrict__ params, const float* __restrict__ pre,
                                             const float* input, int inputStride, float* __restrict__ state,
                                             int stateStride, float* __restrict__ trace, float* features,
                                             int featureStride)
{
    const eddy_rtrl_layout l = eddy_rtrl_unit(cell, fanIn);
    const int block = l.block;
    const int unitParams = l.unitParams;
    const int sensitivities = l.sensitivities;
    const int unitTrace = l.unitTrace;
    const long long gateStride = (long long)batch * units;
    for (long long pair = blockIdx.x; pair < gateStride; pair += gridDim.x) {
        const long long b = pair / units;
        const int u = (int)(pair - b * units);
        const float* p = params + (long long)u * unitParams;
        float* s = state + b * stateStride + (long long)u * (1 + sensitivities);
        const float* x = input + b * inputStride;
        const long long col = (long long)u * batch + b;  // the GEMM operands have a key per column
        const float before = s[0];
        float value, output, carry, coefA, coefB;
        float* tr = trace + pair * unitTrace;
        if (cell == 0) {
            const float r = p[fanIn];
            value = tanhf(pre[col] + r * before + p[fanIn + 1]);
            output = value;
            const float d = 1.0f - value * value;
            carry = d * r;
            coefA = d;
            coefB = 0.0f;
        } else if (cell == 1) {
            const float wf = p[fanIn];
            const float wz = p[block + fanIn];
            const float wo = p[2 * block + fanIn];
            const float f = eddy_sigmoid(pre[col] + wf * before + p[fanIn + 1]);
            const float z = tanhf(pre[gateStride + col] + wz * before + p[block + fanIn + 1]);
            const float o = eddy_sigmoid(pre[2 * gateStride + col] + wo * before + p[2 * block + fanIn + 1]);
            value = f * before + (1.0f - f) * z;
            output = o * value;
            coefA = (before - z) * f * (1.0f - f);
            coefB = (1.0f - f) * (1.0f - z * z);
            carry = f + coefA * wf + coefB * wz;
            if (threadIdx.x == 0) {
                tr[0] = o;
                tr[1] = value;
                tr[2] = before;
            }
        } else {
            const float z = eddy_sigmoid(pre[col] + p[fanIn]);
            const float candidate = pre[gateStride + col] + p[block + fanIn];
            value = (1.0f - z) * before + z * candidate;
            output = value;
            carry = 1.0f - z;
            coefA = (candidate - before) * z * (1.0f - z);
            coefB = z;
        }
        __syncthreads();  // every thread has read s[0] before it changes
        if (threadIdx.x == 0) {
            s[0] = value;
            features[b * featureStride + u] = output;
        }
        if (learning) {
            const float recurrentDirect = cell == 2 ? 1.0f : before;
            for (int k = threadIdx.x; k < sensitivities; k += blockDim.x) {
                const float old = s[1 + k];
                if (cell == 1) {
                    tr[3 + k] = old;
                }
                const int j = k % block;
                const float direct = j < fanIn ? x[j] : (j == fanIn ? recurrentDirect : 1.0f);
                s[1 + k] = carry * old + (k < block ? coefA : coefB) * direct;
            }
        }
        __syncthreads();
    }
}

// grads row b (at b * gradStride, already offset to the stage's first unit) gets dL_b/dtheta of each unit.
extern "C" __global__ void eddy_rtrl_gradient(int cell, int batch, int units, int fanIn,
                                              const float* __restrict__ params,
                                              const float* __restrict__ hiddenGrad, const float* __restrict__ input,
                                              int inputStride, const float* __restrict__ state, int stateStride,
                                              const float* __restrict__ trace, float* __restrict__ grads,
                                              int gradStride)
{
    const eddy_rtrl_layout l = eddy_rtrl_unit(cell, fanIn);
    const int block = l.block;
    const int unitParams = l.unitParams;
    const int sensitivities = l.sensitivities;
    const int unitTrace = l.unitTrace;
    const long long pairs = (long long)batch * units;
    for (long long pair = blockIdx.x; pair < pairs; pair += gridDim.x) {
        const long long b = pair / units;
        const int u = (int)(pair - b * units);
        const float* s = state + b * stateStride + (long long)u * (1 + sensitivities) + 1;
        float* out = grads + b * gradStride + (long long)u * unitParams;
        const float g = hiddenGrad[(long long)u * batch + b];
        if (cell != 1) {
            for (int k = threadIdx.x; k < sensitivities; k += blockDim.x) {
                out[k] = g * s[k];
            }
            continue;
        }
        // h = o * c: through c (S now) and through o, which reads the previous c (S before the step)
        const float* tr = trace + pair * unitTrace;
        const float o = tr[0];
        const float throughGate = tr[1] * o * (1.0f - o);
        const float viaPrevious = throughGate * params[(long long)u * unitParams + 2 * block + fanIn];
        for (int k = threadIdx.x; k < sensitivities; k += blockDim.x) {
            out[k] = g * (o * s[k] + viaPrevious * tr[3 + k]);
        }
        const float d = g * throughGate;
        const float* x = input + b * inputStride;
        for (int j = threadIdx.x; j < block; j += blockDim.x) {
            out[2 * block + j] = d * (j < fanIn ? x[j] : (j == fanIn ? tr[2] : 1.0f));
        }
    }
}
