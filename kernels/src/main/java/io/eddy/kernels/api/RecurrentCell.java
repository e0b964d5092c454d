package io.eddy.kernels.api;

/**
 * The recurrent cells whose exact RTRL the backends run. Every unit's recurrence is element-wise (it
 * feeds back only to itself), so a unit's state depends only on its own parameters and exact RTRL
 * costs about what the forward pass costs.
 *
 * <p>A unit with {@code fanIn} inputs has {@link #gates()} parameter blocks of {@link #gateSize}
 * floats: input weights, the recurrent weight (not minGRU), the bias. Its state is its recurrent
 * value followed by its {@link #sensitivities}, the derivatives of that value by a prefix of its
 * parameters.
 */
public enum RecurrentCell {
    /** {@code h = tanh(W·u + r·h' + b)}. */
    DIAGONAL(1),
    /**
     * Element-wise LSTM after Irie et al.: {@code f = σ(F·u + wf·c' + bf)}, {@code z = tanh(Z·u + wz·c' + bz)},
     * {@code c = f·c' + (1 − f)·z}, {@code o = σ(O·u + wo·c' + bo)}, {@code h = o·c}.
     */
    ELSTM(3),
    /** minGRU: {@code z = σ(Wz·u + bz)}, {@code h~ = Wh·u + bh}, {@code h = (1 − z)·h' + z·h~}. */
    MINGRU(2);

    private final int gates;

    RecurrentCell(final int gates) {
        this.gates = gates;
    }

    /** Parameter blocks per unit. */
    public int gates() {
        return gates;
    }

    /** Parameters of one unit with {@code fanIn} inputs. */
    public int parameters(final int fanIn) {
        return gates * gateSize(fanIn);
    }

    /** Parameters the unit's recurrent state depends on: its sensitivities; a prefix of its parameters. */
    public int sensitivities(final int fanIn) {
        return this == ELSTM ? 2 * gateSize(fanIn) : parameters(fanIn);
    }

    /** Floats of one unit's per-key state: its recurrent value and its sensitivities. */
    public int stateSize(final int fanIn) {
        return 1 + sensitivities(fanIn);
    }

    /** Floats per gate block: input weights, recurrent weight (not minGRU), bias. */
    public int gateSize(final int fanIn) {
        return fanIn + (this == MINGRU ? 1 : 2);
    }

    /**
     * Floats per unit and key that a batched step keeps for the gradient that follows it: for eLSTM
     * the output gate, the new and the previous cell value and the sensitivities before the step (the
     * output gate reads the previous cell value); nothing for the others.
     */
    public int traceSize(final int fanIn) {
        return this == ELSTM ? 3 + sensitivities(fanIn) : 0;
    }
}
