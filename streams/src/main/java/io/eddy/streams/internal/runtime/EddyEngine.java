package io.eddy.streams.internal.runtime;

import io.eddy.errors.EddyException;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.AdminTopology;
import io.eddy.streams.internal.admin.ModelDefinition;
import io.eddy.streams.internal.json.Json;
import io.eddy.streams.internal.model.ModelTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: makes the system topics, runs the admin application, and follows {@code eddy.models}
 * from its start, starting a model application for each definition and stopping (and cleaning up)
 * the ones deleted. The registry is applied on one thread, in topic order.
 */
public final class EddyEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(EddyEngine.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** First and longest pause before the registry is read again after a failure; doubled in between. */
    private static final long FOLLOW_RETRY_MIN_MS = 1_000;
    private static final long FOLLOW_RETRY_MAX_MS = 30_000;

    private final EngineConfig config;
    private final KafkaTopicAdmin topics;
    private final KafkaStreams admin;
    private final KafkaConsumer<String, byte[]> registry;
    private final Map<String, ModelRunner> runners = new ConcurrentHashMap<>();
    private final Thread registryThread;
    private volatile boolean closed;

    private EddyEngine(final EngineConfig config) {
        this.config = config;
        this.topics = new KafkaTopicAdmin(StreamsSettings.client(config));
        try {
            createSystemTopics();
        } catch (final RuntimeException e) {
            topics.close();
            throw e;
        }
        try {
            this.admin = new KafkaStreams(AdminTopology.build(topics, config.replicationFactor(),
                    config.adminTrust()), StreamsSettings.streams(config, AdminTopology.APPLICATION_ID));
        } catch (final RuntimeException e) {
            topics.close();
            throw e;
        }
        admin.setUncaughtExceptionHandler(error -> {
            LOG.error("admin handler failed; restarting its thread", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        try {
            this.registry = new KafkaConsumer<>(registryConsumerProps(), new StringDeserializer(),
                    new ByteArrayDeserializer());
        } catch (final RuntimeException e) {
            admin.close();
            topics.close();
            throw e;
        }
        this.registryThread = new Thread(this::followRegistry, "eddy-registry");
        registryThread.setDaemon(true);
    }

    /** Starts an engine and waits until its admin handler is running. */
    public static EddyEngine start(final EngineConfig config) {
        final EddyEngine engine = new EddyEngine(config);
        try {
            engine.startAll();
            return engine;
        } catch (final RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private void startAll() {
        final CountDownLatch running = new CountDownLatch(1);
        admin.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        admin.start();
        registryThread.start();
        try {
            if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EddyException("admin handler did not start within " + START_TIMEOUT.toSeconds()
                        + " s; is the broker at " + config.bootstrapServers() + " reachable?");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EddyException("interrupted while starting the engine", e);
        }
        LOG.info("engine started against {}", config.bootstrapServers());
    }

    private void createSystemTopics() {
        final short rf = config.replicationFactor();
        topics.create(List.of(
                new NewTopic(Topics.ADMIN, 1, rf),
                new NewTopic(Topics.ADMIN_REPLIES, 1, rf),
                new NewTopic(Topics.MODELS, 1, rf).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.METRICS, 1, rf),
                new NewTopic(Topics.DLQ, 1, rf)), false);
        // a registry that is not compacted, or compacted and deleted, loses model definitions with its retention,
        // and engines that start later would never run those models
        final String cleanup = topics.config(Topics.MODELS, "cleanup.policy");
        if (cleanup == null || !cleanup.strip().equals("compact")) {
            throw new EddyException("topic " + Topics.MODELS + " exists with cleanup.policy=" + cleanup + "; the "
                    + "model registry must be compacted: kafka-configs.sh --alter --entity-type topics --entity-name "
                    + Topics.MODELS + " --add-config cleanup.policy=compact");
        }
        final List<String> adminTopics = config.adminTrust().sourceTopics();
        topics.create(adminTopics.stream().map(topic -> new NewTopic(topic, 1, rf)).toList(), false);
        for (final String topic : adminTopics) {
            // a second partition would be a second task with a registry of its own
            final int partitions = topics.partitions(topic).orElse(1);
            if (partitions != 1) {
                throw new EddyException("admin topic '" + topic + "' has " + partitions
                        + " partitions; an admin topic must have exactly 1");
            }
        }
    }

    private Map<String, Object> registryConsumerProps() {
        final Map<String, Object> props = StreamsSettings.client(config);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    /**
     * Reads the registry from its start, then follows it. A failure (a broker away for longer than a client's
     * timeout, say) reads it again from the start after a pause, rather than leaving models unstarted and
     * unstopped until a restart: catching up again starts what is new and stops what was deleted meanwhile.
     */
    private void followRegistry() {
        long pauseMs = FOLLOW_RETRY_MIN_MS;
        while (!closed) {
            try {
                final List<TopicPartition> partitions = registryPartitions();
                registry.assign(partitions);
                registry.seekToBeginning(partitions);
                catchUp(partitions);
                pauseMs = FOLLOW_RETRY_MIN_MS;
                while (!closed) {
                    for (final ConsumerRecord<String, byte[]> record : registry.poll(Duration.ofMillis(500))) {
                        applySafely(record.key(), record.value());
                    }
                }
            } catch (final WakeupException e) {
                return; // closing
            } catch (final RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("reading the model registry failed; reading it again in {} s", pauseMs / 1000, e);
                try {
                    Thread.sleep(pauseMs);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pauseMs = Math.min(FOLLOW_RETRY_MAX_MS, 2 * pauseMs);
            }
        }
    }

    /**
     * The registry's partitions; on a cluster of several brokers a topic just created may not be known
     * yet to the broker asked, so this asks again until it is.
     */
    private List<TopicPartition> registryPartitions() {
        while (true) {
            final List<TopicPartition> partitions = registry.partitionsFor(Topics.MODELS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (!partitions.isEmpty() || closed) {
                return partitions;
            }
            try {
                Thread.sleep(200);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return partitions;
            }
        }
    }

    /** Applies one registry record; a model that cannot be started or stopped is logged, the others go on. */
    private void applySafely(final String model, final byte[] value) {
        // under the engine's lock, and not once it is closed: a runner started while close() was closing
        // the others (its wait for this thread can time out) would run on, closed by nobody
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                apply(model, value);
            } catch (final RuntimeException e) {
                LOG.error("could not apply the registry's record of model '{}'; other models are unaffected", model,
                        e);
            }
        }
    }

    /**
     * Reads the registry's history to its current end before acting, so a model deleted long ago
     * is never started again just to be stopped, and only the models that exist now start.
     */
    private void catchUp(final List<TopicPartition> partitions) {
        final Map<TopicPartition, Long> end = registry.endOffsets(partitions);
        final Map<String, byte[]> current = new java.util.LinkedHashMap<>();
        while (!closed && partitions.stream().anyMatch(p -> registry.position(p) < end.get(p))) {
            for (final ConsumerRecord<String, byte[]> record : registry.poll(Duration.ofMillis(200))) {
                if (record.value() == null) {
                    current.remove(record.key());
                } else {
                    current.put(record.key(), record.value());
                }
            }
        }
        if (closed || partitions.isEmpty() || partitions.stream().anyMatch(p -> registry.position(p) < end.get(p))) {
            return; // closing: a registry read in part must neither start models nor remove any model's state
        }
        // models this engine runs that the registry no longer holds were deleted while it was not following
        for (final String running : List.copyOf(runners.keySet())) {
            if (!current.containsKey(running)) {
                applySafely(running, null);
            }
        }
        current.forEach(this::applySafely);
        try {
            removeStateOfDeletedModels(current.values());
        } catch (final RuntimeException e) {
            LOG.warn("could not look for the local state of deleted models", e);
        }
    }

    /**
     * Deletes the local state of models that no longer exist: a model deleted while this engine was
     * down left its folder here, and no runner of this engine would ever remove it. The state of every
     * model in the registry stays, whether or not it runs here.
     */
    private void removeStateOfDeletedModels(final java.util.Collection<byte[]> definitions) {
        final Set<String> kept = new java.util.HashSet<>();
        for (final byte[] definition : definitions) {
            kept.add(Json.read(definition, ModelDefinition.class).applicationId());
        }
        final java.io.File[] folders = config.stateDir().toFile().listFiles(
                folder -> folder.isDirectory() && folder.getName().startsWith(ModelDefinition.APPLICATION_PREFIX)
                        && !kept.contains(folder.getName()));
        for (final java.io.File folder : folders == null ? new java.io.File[0] : folders) {
            LOG.info("removing the local state of deleted model application {}", folder.getName());
            ModelRunner.deleteFolder(folder.toPath());
        }
    }

    private void apply(final String model, final byte[] value) {
        final ModelRunner current = runners.get(model);
        if (value == null) {
            if (current != null) {
                runners.remove(model);
                current.closeAndCleanUp();
                deleteTopicsOf(current.definition());
                LOG.info("model '{}' deleted", model);
            }
            return;
        }
        final ModelDefinition definition = Json.read(value, ModelDefinition.class);
        if (current != null && current.definition().incarnation() == definition.incarnation()) {
            if (!current.failed()) {
                return; // same model; its tasks apply changes through the control topic
            }
            // a failed model starts again, from its state, on the next command for it
            LOG.info("model '{}' failed earlier; starting it again", model);
            current.close();
        } else if (current != null) {
            current.closeAndCleanUp();
        }
        try {
            final ModelRunner runner = new ModelRunner(definition, config);
            runners.put(model, runner);
            runner.start();
        } catch (final RuntimeException e) {
            LOG.error("model '{}' could not start; other models are unaffected", model, e);
        }
    }

    /** Removes a deleted model's control, replica and internal topics; every instance tries, the first wins. */
    private void deleteTopicsOf(final ModelDefinition definition) {
        final List<String> doomed = new ArrayList<>(List.of(definition.controlTopic()));
        doomed.addAll(ModelTopology.internalTopics(definition));
        if (definition.syncTopic() != null) {
            doomed.add(definition.syncTopic());
        }
        try {
            topics.delete(doomed);
        } catch (final RuntimeException e) {
            LOG.warn("could not delete topics of deleted model '{}': {}", definition.name(), e.getMessage());
        }
    }

    @Override
    public Set<String> runningModels() {
        final Set<String> names = new java.util.TreeSet<>();
        runners.forEach((name, runner) -> {
            if (runner.state().isRunningOrRebalancing()) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public int ownedPartitions(final String model) {
        final ModelRunner runner = runners.get(model);
        return runner == null ? 0 : runner.ownedPartitions();
    }

    @Override
    public Map<String, Map<MetricName, ? extends Metric>> streamsMetrics() {
        final Map<String, Map<MetricName, ? extends Metric>> metrics = new java.util.TreeMap<>();
        runners.forEach((name, runner) -> metrics.put(name, runner.metrics()));
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.wakeup();
        try {
            registryThread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // each closes even when one before it fails (an interrupted close of the consumer throws)
        closeQuietly("the registry consumer", registry::close);
        closeQuietly("the models", () -> runners.values().parallelStream().forEach(ModelRunner::close));
        runners.clear();
        closeQuietly("the admin application", () -> admin.close(Duration.ofSeconds(30)));
        closeQuietly("the topic admin", topics::close);
        LOG.info("engine stopped");
    }

    private static void closeQuietly(final String what, final Runnable close) {
        try {
            close.run();
        } catch (final RuntimeException e) {
            LOG.warn("could not close {}", what, e);
        }
    }
}
