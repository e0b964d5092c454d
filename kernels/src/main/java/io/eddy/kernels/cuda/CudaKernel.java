package io.eddy.kernels.cuda;

/**
 * The entry points of {@code eddy_kernels.ptx} that {@link CudaBackend} looks up, each with its
 * parameter list: one letter per parameter, {@code i} int, {@code f} float, {@code d} double, {@code l}
 * long and {@code p} a device pointer. The list must match the {@code extern "C"} signature in
 * {@code kernels/src/main/cuda/eddy_kernels.cu}; {@code PtxResourceTest} checks it against the PTX.
 */
enum CudaKernel {
    SGEMM_NN("eddy_sgemm_nn", "iiifpilpilfpili"),
    SGEMM_NT("eddy_sgemm_nt", "iiifpilpilfpili"),
    SGEMM_TN("eddy_sgemm_tn", "iiifpilpilfpili"),
    SGEMM_TT("eddy_sgemm_tt", "iiifpilpilfpili"),
    SGEMM_THIN_NT("eddy_sgemm_thin_nt", "iiifpilpilfpili"),
    DENSE_LAYER_THIN("eddy_dense_layer_thin", "iiiipppp"),
    SGEMM128_NN("eddy_sgemm128_nn", "iiifpilpilfpili"),
    SGEMM128_NT("eddy_sgemm128_nt", "iiifpilpilfpili"),
    SGEMM128_TN("eddy_sgemm128_tn", "iiifpilpilfpili"),
    SGEMM128_TT("eddy_sgemm128_tt", "iiifpilpilfpili"),
    SGEMM128V_NN("eddy_sgemm128v_nn", "iiifpilpilfpili"),
    SGEMM128V_NT("eddy_sgemm128v_nt", "iiifpilpilfpili"),
    SGEMM128V_TN("eddy_sgemm128v_tn", "iiifpilpilfpili"),
    SGEMM128V_TT("eddy_sgemm128v_tt", "iiifpilpilfpili"),
    SGEMV_N("eddy_sgemv_n", "iifpipfp"),
    SGEMV_T("eddy_sgemv_t", "iifpipfp"),
    SGER("eddy_sger", "iifpppi"),
    SAXPY("eddy_saxpy", "ifpp"),
    ACTIVATE("eddy_activate", "iipp"),
    BIAS_ACTIVATE("eddy_bias_activate", "iiipp"),
    ACTIVATION_BACKWARD("eddy_activation_backward", "iippp"),
    ROW_SUM_OF_SQUARES("eddy_row_sum_of_squares", "iipp"),
    ROW_NORMALIZE("eddy_row_normalize", "iifpp"),
    ROW_SUM_OF_SQUARES_AND_NORMALIZE("eddy_row_sum_of_squares_normalize", "iifppp"),
    SCALE_ROWS("eddy_scale_rows", "iipp"),
    GATHER_ROWS("eddy_gather_rows", "iiippp"),
    SCATTER_ADD_ROWS("eddy_scatter_add_rows", "iiifppp"),
    ADAM_STEP("eddy_adam_step", "iffffffpppp"),
    ACCUMULATE_GRADIENTS("eddy_accumulate_gradients", "iidpippp"),
    RTRL_DIAGONAL_STEP("eddy_rtrl_diagonal_step", "iiipppp"),
    RTRL_FORWARD("eddy_rtrl_forward", "iiiiipppipippi"),
    RTRL_GRADIENT("eddy_rtrl_gradient", "iiiipppipippi");

    private final String entry;
    private final String signature;

    CudaKernel(final String entry, final String signature) {
        this.entry = entry;
        this.signature = signature;
    }

    /** The unmangled name of the kernel in the PTX. */
    String entry() {
        return entry;
    }

    /** One letter per parameter, as in the class comment. */
    String signature() {
        return signature;
    }
}
