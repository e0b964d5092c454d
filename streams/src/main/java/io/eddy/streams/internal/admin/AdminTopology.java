package io.eddy.streams.internal.admin;

import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Topics;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The admin application: admin topics → handler → models, control topics, replies. Every admin
 * topic has one partition and all feed one processor, so one task holds the whole registry.
 */
public final class AdminTopology {
    public static final String APPLICATION_ID = "eddy-admin";
    static final String REGISTRY_STORE = "eddy-registry";
    static final String MODELS_SINK = "models";
    static final String REPLIES_SINK = "replies";
    static final String CONTROL_SINK = "control";

    private AdminTopology() {
    }

    /** The admin application taking commands from anyone on {@link Topics#ADMIN}. */
    public static Topology build(final AdminHandler.TopicAdmin topics, final short defaultReplicationFactor) {
        return build(topics, defaultReplicationFactor, AdminTrust.standard());
    }

    /** The admin application applying only commands that {@code trust} accepts, refusing the others. */
    public static Topology build(final AdminHandler.TopicAdmin topics, final short defaultReplicationFactor,
                                 final AdminTrust trust) {
        final Topology topology = new Topology();
        topology.addSource("admin", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                trust.sourceTopics().toArray(String[]::new));
        topology.addProcessor("handler", () -> new AdminProcessor(topics, defaultReplicationFactor, trust), "admin");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REGISTRY_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), "handler");
        topology.addSink(MODELS_SINK, Topics.MODELS, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                "handler");
        topology.addSink(REPLIES_SINK, Topics.ADMIN_REPLIES, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "handler");
        topology.addSink(CONTROL_SINK, (key, value, context) -> key, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), broadcast(), "handler");
        return topology;
    }

    /** Sends each control message to every partition, so every task of the model receives it. */
    private static StreamPartitioner<String, byte[]> broadcast() {
        return (topic, key, value, numPartitions) -> {
            final Set<Integer> all = new HashSet<>();
            for (int p = 0; p < numPartitions; p++) {
                all.add(p);
            }
            return Optional.of(all);
        };
    }
}
