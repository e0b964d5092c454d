package io.eddy.streams.internal.runtime;

import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.model.ModelTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's Kafka Streams application in this process. A failure stops only this application:
 * the error is logged with the model's name and the other models go on.
 */
final class ModelRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ModelDefinition definition;
    private final KafkaStreams streams;
    private final Path stateDir;

    ModelRunner(final ModelDefinition definition, final EngineConfig config) {
        this.definition = definition;
        this.stateDir = config.stateDir().resolve(definition.applicationId());
        this.streams = new KafkaStreams(
                ModelTopology.build(definition, config.computeBackend(), config.metricsIntervalMs()),
                settings(definition, config));
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("model '{}' failed and stopped; other models are unaffected", definition.name(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** The model's Kafka Streams settings: the engine's, with the model's own replication factor for its changelog. */
    static Properties settings(final ModelDefinition definition, final EngineConfig config) {
        final Properties props = StreamsSettings.streams(config, definition.applicationId());
        if (definition.replicationFactor() != null) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) definition.replicationFactor());
        }
        return props;
    }

    void start() {
        streams.start();
        LOG.info("model '{}' started (application {})", definition.name(), definition.applicationId());
    }

    ModelDefinition definition() {
        return definition;
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** The application's Kafka Streams and client metrics. */
    Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /** Input partitions whose active task runs here now. */
    int ownedPartitions() {
        int owned = 0;
        for (final ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (final TaskMetadata task : thread.activeTasks()) {
                for (final TopicPartition partition : task.topicPartitions()) {
                    if (partition.topic().equals(definition.inputTopic())) {
                        owned++;
                    }
                }
            }
        }
        return owned;
    }

    /** Stops cleanly and leaves the group, so other instances take over at once. */
    @Override
    public void close() {
        if (!closeWithin()) {
            LOG.warn("model '{}' did not stop within {} s", definition.name(), CLOSE_TIMEOUT.toSeconds());
        }
    }

    /** Whether the application stopped on an error (see the class comment); a failed one processes nothing. */
    boolean failed() {
        final KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR;
    }

    /**
     * Stops cleanly and leaves the group, so other instances take over at once.
     *
     * @return false when it did not stop within its timeout
     */
    private boolean closeWithin() {
        return streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }

    /**
     * Closes and deletes this model's local state, down to its folder; a model that does not stop in
     * time keeps its folder, which the engine's next start removes.
     */
    void closeAndCleanUp() {
        if (!closeWithin()) {
            LOG.warn("model '{}' did not stop within {} s; its local state stays until the engine restarts",
                    definition.name(), CLOSE_TIMEOUT.toSeconds());
            return;
        }
        streams.cleanUp();
        // cleanUp leaves the folder when Streams' own bookkeeping files remain in it
        deleteFolder(stateDir);
    }

    /** Deletes {@code folder} and everything in it; a failure is logged. */
    static void deleteFolder(final Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final NoSuchFileException e) {
            // already gone
        } catch (final IOException e) {
            LOG.warn("could not delete state folder {}: {}", folder, e.toString());
        }
    }
}
