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
    /** Prefix of the models' control topics, {@code eddy.control.<model>.<incarnation>}. */
    public static final String CONTROL_PREFIX = "eddy.control.";
    /**
     * Prefix of the models' replica topics, {@code eddy.sync.<model>.<incarnation>}: where a model's tasks
     * send one another their weights to merge (a model created with {@code syncEvery} above 0).
     */
    public static final String SYNC_PREFIX = "eddy.sync.";
    /** Prefix of the engine's Kafka Streams application ids, and so of their internal topics. */
    public static final String APPLICATION_PREFIX = "eddy-";

    private Topics() {
    }

    /**
     * Whether {@code topic} is one the engine runs on and so no model's input or output: the topics
     * above, models' control and replica topics, the internal topics of the engine's applications and Kafka's own
     * ({@code __...}). A model writing into one would mix its predictions into the engine's records, and
     * one reading from one would learn from them.
     */
    public static boolean isEngines(final String topic) {
        return topic.equals(ADMIN) || topic.equals(ADMIN_REPLIES) || topic.equals(MODELS) || topic.equals(METRICS)
                || topic.equals(DLQ) || topic.startsWith(CONTROL_PREFIX) || topic.startsWith(SYNC_PREFIX)
                || topic.startsWith(APPLICATION_PREFIX) || topic.startsWith("__");
    }

    /** Default input topic of a model. */
    public static String input(final String model) {
        return "eddy.in." + model;
    }

    /**
     * A model's topic of late labels, {@code {"id","label"}} or {@code {"id","y"}} for events it answered before
     * (a model created with {@code labelWaitSeconds} above 0), keyed as those events.
     */
    public static String labels(final String model) {
        return "eddy.labels." + model;
    }

    /** Default output topic of a model. */
    public static String output(final String model) {
        return "eddy.out." + model;
    }
}
