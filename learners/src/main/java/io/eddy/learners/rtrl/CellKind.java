package io.eddy.learners.rtrl;

/**
 * The recurrent cells. Every unit's recurrence is element-wise (it feeds back only to itself), so a
 * unit's state depends only on its own parameters and exact RTRL costs about what the forward pass
 * costs.
 */
public enum CellKind {
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

    CellKind(final int gates) {
        this.gates = gates;
    }

    /** Parameters of one unit with {@code fanIn} inputs. */
    int parameters(final int fanIn) {
        return gates * (fanIn + (this == MINGRU ? 1 : 2));
    }

    /** Parameters the unit's recurrent state depends on: its sensitivities; a prefix of its parameters. */
    int sensitivities(final int fanIn) {
        return this == ELSTM ? 2 * (fanIn + 2) : parameters(fanIn);
    }

    /** Floats per gate block: input weights, recurrent weight (not minGRU), bias. */
    int gateSize(final int fanIn) {
        return fanIn + (this == MINGRU ? 1 : 2);
    }
}
