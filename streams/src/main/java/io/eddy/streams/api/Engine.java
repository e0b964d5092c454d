package io.eddy.streams.api;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

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

    /**
     * Kafka Streams' own metrics (and those of its clients) of each model application this process
     * runs, by model name: live objects, read when asked, for exporters such as Prometheus.
     */
    Map<String, Map<MetricName, ? extends Metric>> streamsMetrics();

    /** Stops every model application cleanly; idempotent. */
    @Override
    void close();
}
