package io.eddy.kernels.cpu;

/**
 * Adam's update in double precision over parameters and moments kept as floats, on the calling thread:
 * for a learner that updates on the host after every event. It runs the CPU backend's loops (the Vector
 * API where the JVM has it, plain loops otherwise), and every flavour gives the same bits. Holds its
 * scratch, so one instance serves one thread.
 */
public final class HostAdam {
    private final DenseMath math;
    private final int stride;
    private final float[] next;
    private final double[] wide;

    /**
     * For state laid out as parameters at {@code [0, stride)}, first moments at {@code [stride, 2·stride)}
     * and second moments at {@code [2·stride, 3·stride)}.
     */
    public HostAdam(final int stride) {
        this(stride, CpuBackend.vectorApiWanted());
    }

    HostAdam(final int stride, final boolean vectorApi) {
        this.math = CpuBackend.math(vectorApi);
        this.stride = stride;
        this.next = new float[3 * stride];
        this.wide = new double[4 * stride];
    }

    /** Whether this instance runs the Vector API's loops. */
    public boolean vectorised() {
        return !(math instanceof ScalarMath);
    }

    /**
     * One step for elements {@code [from, to)}: with g = clamp(grad[i], ±limit), the moments become
     * m = β1·m + (1 − β1)·g and v = β2·v + (1 − β2)·g·g, and the parameter p −= rate·m / (√(v / correction2)
     * + 1e−8), each operation rounded in double in that order, the results rounded to float. Elements
     * outside the range are left alone.
     *
     * @param rate the learning rate with the first moment's bias correction in it
     * @param correction2 the second moment's bias correction, 1 − β2^t
     * @return true when written; false, with {@code state} unchanged, when any new value would not be a
     *     finite float
     */
    public boolean step(final float[] state, final int from, final int to, final double[] grad, final double limit,
                        final double beta1, final double beta2, final double rate, final double correction2) {
        if (from < 0 || from > to || to > stride) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + stride + ")");
        }
        if (!math.adamInDouble(from, to, stride, grad, limit, beta1, beta2, rate, correction2, state, next, wide)) {
            return false;
        }
        final int n = to - from;
        for (int block = 0; block < 3; block++) {
            System.arraycopy(next, block * stride + from, state, block * stride + from, n);
        }
        return true;
    }
}
