package io.eddy.kernels.api;

/** Element-wise activations; ids are fixed because kernels switch on them. */
public enum Activation {
    IDENTITY(0),
    RELU(1),
    TANH(2),
    SIGMOID(3);

    private final int id;

    Activation(final int id) {
        this.id = id;
    }

    /** The number kernels use for this activation. */
    public int id() {
        return id;
    }
}
