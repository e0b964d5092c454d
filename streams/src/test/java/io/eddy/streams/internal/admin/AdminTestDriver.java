package io.eddy.streams.internal.admin;

import io.eddy.errors.EddyException;
import io.eddy.streams.api.AdminTrust;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The admin application in a {@link TopologyTestDriver}, its topic admin a map the test reads and seeds. */
final class AdminTestDriver {
    private AdminTestDriver() {
    }

    /**
     * Starts the admin topology.
     *
     * @param cluster topics as the handler's fake cluster knows them: name to partition count; it has one
     *     broker, so it refuses a replication factor above 1
     */
    static TopologyTestDriver start(final String applicationId, final Map<String, Integer> cluster,
                                    final AdminTrust trust) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(AdminTopology.build(topics(cluster), (short) 1, trust), props);
    }

    /** A fake cluster of one broker whose topics are {@code cluster}: name to partition count. */
    static AdminHandler.TopicAdmin topics(final Map<String, Integer> cluster) {
        return new AdminHandler.TopicAdmin() {
            @Override
            public OptionalInt partitions(final String topic) {
                final Integer partitions = cluster.get(topic);
                return partitions == null ? OptionalInt.empty() : OptionalInt.of(partitions);
            }

            @Override
            public void create(final List<String> names, final int partitions, final short replicationFactor) {
                if (replicationFactor > 1) {
                    // as a cluster of one broker answers
                    throw new EddyException("cannot create topic '" + names.get(0) + "': replication factor "
                            + replicationFactor + " larger than the 1 available broker");
                }
                names.forEach(topic -> cluster.putIfAbsent(topic, partitions));
            }
        };
    }

    static TestInputTopic<String, byte[]> input(final TopologyTestDriver driver, final String topic) {
        return driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    static TestOutputTopic<String, byte[]> output(final TopologyTestDriver driver, final String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }
}
