package io.eddy.streams.internal.model;

import io.eddy.state.api.ModelStateStore;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ModelDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

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

    /** The changelog topic Kafka Streams makes for the model's store. */
    public static String changelogTopic(final ModelDefinition definition) {
        return definition.applicationId() + "-" + STORE + "-changelog";
    }

    /** The model's internal topics: its store's changelog, and that of its events waiting for labels. */
    public static List<String> internalTopics(final ModelDefinition definition) {
        final List<String> topics = new ArrayList<>(List.of(changelogTopic(definition)));
        if (definition.labelTopic() != null) {
            topics.add(definition.applicationId() + "-" + LateLabels.STORE + "-changelog");
        }
        return topics;
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
        final List<String> sources = new ArrayList<>(List.of("events", "control"));
        final String syncTopic = definition.syncTopic();
        if (syncTopic != null) {
            topology.addSource("replicas-in", bytesIn, bytesIn, syncTopic);
            sources.add("replicas-in");
        }
        if (definition.labelTopic() != null) {
            topology.addSource("labels", bytesIn, bytesIn, definition.labelTopic());
            sources.add("labels");
        }
        topology.addProcessor("model", () -> new ModelProcessor<>(definition, kind, engineBackend, metricsIntervalMs),
                sources.toArray(new String[0]));
        topology.addStateStore(ModelStateStore.builder(STORE, Map.of()), "model");
        if (definition.labelTopic() != null) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LateLabels.STORE),
                    Serdes.Bytes(), Serdes.ByteArray()), "model");
        }
        topology.addSink(PREDICTIONS_SINK, definition.outputTopic(), bytesOut, bytesOut, "model");
        topology.addSink(DLQ_SINK, Topics.DLQ, bytesOut, bytesOut, "model");
        topology.addSink(METRICS_SINK, Topics.METRICS, bytesOut, bytesOut, "model");
        if (syncTopic != null) {
            topology.addSink(REPLICAS_SINK, syncTopic, bytesOut, bytesOut, new Replicas.OtherPartitions(), "model");
        }
        return topology;
    }
}
