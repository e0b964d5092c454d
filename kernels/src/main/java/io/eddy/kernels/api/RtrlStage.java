package io.eddy.kernels.api;

/**
 * Where one stage of an RTRL net lives in the buffers of a batched step ({@link ComputeBackend#rtrlForward},
 * {@link ComputeBackend#rtrlGradient}): {@code units} units of one {@code cell} kind, each with
 * {@code fanIn} inputs, for {@code batch} keys.
 *
 * <p>Unit u's parameters start at {@code paramOffset + u·cell.parameters(fanIn)} of the parameter
 * buffer. Key b's state is row b of the state buffer, {@code stateStride} floats; unit u's part starts
 * at {@code stateOffset + u·cell.stateSize(fanIn)} of that row.
 */
public record RtrlStage(RecurrentCell cell, int batch, int units, int fanIn, int paramOffset, int stateOffset,
                        int stateStride) {

    public RtrlStage {
        if (cell == null) {
            throw new IllegalArgumentException("an RTRL stage needs a cell kind");
        }
        if (batch < 0 || units < 0 || fanIn < 0 || paramOffset < 0 || stateOffset < 0) {
            throw new IllegalArgumentException("RTRL stage sizes and offsets must be >= 0: " + batch + " keys, "
                    + units + " units, fan-in " + fanIn + ", offsets " + paramOffset + ", " + stateOffset);
        }
        if (batch > 1 && stateStride < stateOffset + (long) units * cell.stateSize(fanIn)) {
            throw new IllegalArgumentException("RTRL stage: a state row of " + stateStride + " floats cannot hold "
                    + units + " units of " + cell.stateSize(fanIn) + " from " + stateOffset);
        }
    }

    /** Parameters of one unit. */
    public int unitParameters() {
        return cell.parameters(fanIn);
    }

    /** Floats of one unit's state. */
    public int unitState() {
        return cell.stateSize(fanIn);
    }

    /** Floats of one unit's trace per key. */
    public int unitTrace() {
        return cell.traceSize(fanIn);
    }
}
