package io.eddy.streams.api;

import java.util.Set;

/**
 * One engine process: follows the model registry on {@link Topics#MODELS}, answers admin commands
 * on {@link Topics#ADMIN}, and runs one Kafka Streams application per model. Several engines on
 * the same cluster share the work.
 */
public interface Engine extends AutoCloseable {

    /** Starts an engine; returns once its system topics exist and its admin handler runs. */
    static Engine start(final EngineConfig config) {
        return io.eddy.streams.internal.runtime.EddyEngine.start(config);
    }

    /** Names of the models this process currently runs. */
    Set<String> runningModels();

    /** Number of input partitions of {@code model} this process owns right now (0 if none). */
    int ownedPartitions(String model);

    /** Stops every model application cleanly; idempotent. */
    @Override
    void close();
}
