package io.eddy.streams.internal.model;

import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ModelDefinition;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The topology of one model: its input and control topics (and its replica topic, when its replicas
 * merge) feed one processor, which writes predictions, dead letters and metrics (and its weights for
 * the other partitions' replicas). Keys pass through untouched, so a prediction has its
 * event's key and partition.
 */
public final class ModelTopology {
    public static final String STORE = "model-state";
    static final String PREDICTIONS_SINK = "predictions";
    static final String DLQ_SINK = "dlq";
    static final String METRICS_SINK = "metrics";
    static final String REPLICAS_SINK = "replicas-out";

    private ModelTopology() {
    }

    /** The changelog topic Kafka Streams makes for the model's store; the model's only internal topic. */
    public static String changelogTopic(final ModelDefinition definition) {
        return definition.applicationId() + "-" + STORE + "-changelog";
    }

    /**
     * @param engineBackend the engine's {@code --backend}, for learners that compute on one and models
     *     that did not ask for a backend of their own
     */
    public static Topology build(final ModelDefinition definition, final String engineBackend,
                                 final long metricsIntervalMs) {
        final ModelKind<?> kind = ModelKind.forType(definition.type());
        if (kind == null) {
            throw new IllegalArgumentException("model '" + definition.name() + "' has type '" + definition.type()
                    + "', which this engine cannot serve");
        }
        return build(definition, kind, engineBackend, metricsIntervalMs);
    }

    static <E> Topology build(final ModelDefinition definition, final ModelKind<E> kind, final String engineBackend,
                              final long metricsIntervalMs) {
        final ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        final ByteArraySerializer bytesOut = new ByteArraySerializer();
        final Topology topology = new Topology();
        topology.addSource("events", bytesIn, bytesIn, definition.inputTopic());
        topology.addSource("control", bytesIn, bytesIn, definition.controlTopic());
        final String syncTopic = definition.syncTopic();
        final String[] sources = syncTopic == null ? new String[] {"events", "control"}
                : new String[] {"events", "control", "replicas-in"};
        if (syncTopic != null) {
            topology.addSource("replicas-in", bytesIn, bytesIn, syncTopic);
        }
        topology.addProcessor("model", () -> new ModelProcessor<>(definition, kind, engineBackend, metricsIntervalMs),
                sources);
        topology.addStateStore(ModelStateStore.builder(STORE, Map.of()), "model");
        topology.addSink(PREDICTIONS_SINK, definition.outputTopic(), bytesOut, bytesOut, "model");
        topology.addSink(DLQ_SINK, Topics.DLQ, bytesOut, bytesOut, "model");
        topology.addSink(METRICS_SINK, Topics.METRICS, bytesOut, bytesOut, "model");
        if (syncTopic != null) {
            topology.addSink(REPLICAS_SINK, syncTopic, bytesOut, bytesOut, new Replicas.OtherPartitions(), "model");
        }
        return topology;
    }
}
