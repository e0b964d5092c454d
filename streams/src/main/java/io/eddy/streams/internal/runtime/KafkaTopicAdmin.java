package io.eddy.streams.internal.runtime;

import io.eddy.errors.EddyException;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.AdminHandler;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic operations over a Kafka {@link Admin} client, idempotent and with a deadline. */
final class KafkaTopicAdmin implements AdminHandler.TopicAdmin, AutoCloseable {
    private static final long TIMEOUT_S = 30;
    /** How long a model's replica topic keeps the weights its tasks send. */
    static final long SYNC_RETENTION_MS = 24 * 60 * 60 * 1000L;
    private final Admin admin;

    KafkaTopicAdmin(final Map<String, Object> clientProperties) {
        this.admin = Admin.create(clientProperties);
    }

    @Override
    public OptionalInt partitions(final String topic) {
        try {
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic);
            return OptionalInt.of(description.partitions().size());
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new EddyException("cannot describe topic '" + topic + "': " + e.getCause(), e.getCause());
        } catch (final InterruptedException | TimeoutException e) {
            throw interrupted("describe topic '" + topic + "'", e);
        }
    }

    @Override
    public void create(final List<String> topics, final int partitions, final short replicationFactor) {
        final List<NewTopic> newTopics = topics.stream()
                .map(topic -> withSettings(new NewTopic(topic, partitions, replicationFactor))).toList();
        create(newTopics, true);
        create(newTopics, false);
    }

    /**
     * A model's control topic keeps its messages for good: a task that starts from the topic's beginning
     * (one that never committed, say) must see every update, pause and reset, however old. Its replica topic
     * keeps them a day: weights that old have been merged or are not worth merging, and a model's whole
     * weights pass through it at every sync.
     */
    private static NewTopic withSettings(final NewTopic topic) {
        if (topic.name().startsWith(Topics.CONTROL_PREFIX)) {
            return topic.configs(Map.of("retention.ms", "-1"));
        }
        if (topic.name().startsWith(Topics.SYNC_PREFIX)) {
            return topic.configs(Map.of("retention.ms", Long.toString(SYNC_RETENTION_MS)));
        }
        return topic;
    }

    /** Creates each topic unless it exists; with {@code validateOnly} only asks the cluster to check. */
    void create(final List<NewTopic> topics, final boolean validateOnly) {
        final CreateTopicsResult result =
                admin.createTopics(topics, new CreateTopicsOptions().validateOnly(validateOnly));
        for (final NewTopic topic : topics) {
            try {
                result.values().get(topic.name()).get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new EddyException("cannot create topic '" + topic.name() + "': "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (final InterruptedException | TimeoutException e) {
                throw interrupted("create topic '" + topic.name() + "'", e);
            }
        }
    }

    /**
     * The value of the topic's setting {@code name} (its own or the cluster's default). A topic just
     * created may not be known yet to the broker asked: this asks again until it is, for a while.
     */
    String config(final String topic, final String name) {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                final Config config = admin.describeConfigs(List.of(resource)).all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS).get(resource);
                final ConfigEntry entry = config.get(name);
                return entry == null ? null : entry.value();
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new EddyException("cannot read the settings of topic '" + topic + "': " + e.getCause(),
                            e.getCause());
                }
            } catch (final InterruptedException | TimeoutException e) {
                throw interrupted("read the settings of topic '" + topic + "'", e);
            }
            try {
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                throw interrupted("read the settings of topic '" + topic + "'", e);
            }
        }
    }

    /** Deletes those of {@code names} that exist. */
    void delete(final Collection<String> names) {
        try {
            final Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            final List<String> doomed = names.stream().filter(existing::contains).toList();
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new EddyException("cannot delete topics " + names + ": " + e.getCause(), e.getCause());
            }
        } catch (final InterruptedException | TimeoutException e) {
            throw interrupted("delete topics " + names, e);
        }
    }

    private static EddyException interrupted(final String what, final Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new EddyException("could not " + what + " within " + TIMEOUT_S + " s: " + e, e);
    }

    @Override
    public void close() {
        admin.close();
    }
}
