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
