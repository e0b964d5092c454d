package io.eddy.streams.api;

/** Names of Eddy's topics: the public contract between the engine and its clients. */
public final class Topics {
    /** Admin commands, keyed by request id. One partition, so commands apply in order. */
    public static final String ADMIN = "eddy.admin";
    /** One reply per admin command, keyed by the same request id. */
    public static final String ADMIN_REPLIES = "eddy.admin.replies";
    /** Compacted registry of model definitions and status, keyed by model name. */
    public static final String MODELS = "eddy.models";
    /** Per-model metrics records, keyed by model name. */
    public static final String METRICS = "eddy.metrics";
    /** Rejected inputs with their reason and original bytes, keyed by the original key. */
    public static final String DLQ = "eddy.dlq";

    private Topics() {
    }

    /** Default input topic of a model. */
    public static String input(final String model) {
        return "eddy.in." + model;
    }

    /** Default output topic of a model. */
    public static String output(final String model) {
        return "eddy.out." + model;
    }
}
