package io.eddy.streams.api;

import io.eddy.kernels.Backends;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one engine process, checked once here.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param stateDir where RocksDB stores live; one sub-folder per model application
 * @param clientProperties extra Kafka client properties (security and the like) passed to every
 *     client the engine creates
 * @param commitIntervalMs Kafka Streams commit interval; bounds how long a prediction waits to
 *     become visible to {@code read_committed} consumers
 * @param metricsIntervalMs how often each model publishes a record on {@link Topics#METRICS}
 * @param replicationFactor replication factor for topics the engine creates
 * @param computeBackend {@code auto}, {@code cpu} or {@code cuda}: where learners that do dense math
 *     compute, unless their model asks for a backend of its own
 * @param adminTrust the topics (and, optionally, principals) whose admin commands are applied
 */
public record EngineConfig(
        String bootstrapServers,
        Path stateDir,
        Map<String, Object> clientProperties,
        long commitIntervalMs,
        long metricsIntervalMs,
        short replicationFactor,
        String computeBackend,
        AdminTrust adminTrust) {

    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;
    public static final long DEFAULT_METRICS_INTERVAL_MS = 5_000;

    public EngineConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(stateDir, "stateDir");
        clientProperties = Map.copyOf(clientProperties);
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        if (commitIntervalMs <= 0) {
            throw new IllegalArgumentException("commitIntervalMs must be positive, got " + commitIntervalMs);
        }
        if (metricsIntervalMs <= 0) {
            throw new IllegalArgumentException("metricsIntervalMs must be positive, got " + metricsIntervalMs);
        }
        computeBackend = Backends.validate(computeBackend);
        if (replicationFactor <= 0) {
            throw new IllegalArgumentException("replicationFactor must be positive, got " + replicationFactor);
        }
        Objects.requireNonNull(adminTrust, "adminTrust");
    }

    /** Settings that take admin commands from {@link AdminTrust#standard()}. */
    public EngineConfig(final String bootstrapServers, final Path stateDir, final Map<String, Object> clientProperties,
                        final long commitIntervalMs, final long metricsIntervalMs, final short replicationFactor,
                        final String computeBackend) {
        this(bootstrapServers, stateDir, clientProperties, commitIntervalMs, metricsIntervalMs, replicationFactor,
                computeBackend, AdminTrust.standard());
    }

    /** Defaults for everything but the broker address and state folder. */
    public static EngineConfig of(final String bootstrapServers, final Path stateDir) {
        return new EngineConfig(bootstrapServers, stateDir, Map.of(),
                DEFAULT_COMMIT_INTERVAL_MS, DEFAULT_METRICS_INTERVAL_MS, (short) 1, "auto");
    }

    public EngineConfig withClientProperties(final Map<String, Object> properties) {
        return new EngineConfig(bootstrapServers, stateDir, properties, commitIntervalMs, metricsIntervalMs,
                replicationFactor, computeBackend, adminTrust);
    }

    public EngineConfig withCommitIntervalMs(final long ms) {
        return new EngineConfig(bootstrapServers, stateDir, clientProperties, ms, metricsIntervalMs,
                replicationFactor, computeBackend, adminTrust);
    }

    public EngineConfig withMetricsIntervalMs(final long ms) {
        return new EngineConfig(bootstrapServers, stateDir, clientProperties, commitIntervalMs, ms,
                replicationFactor, computeBackend, adminTrust);
    }

    public EngineConfig withReplicationFactor(final short factor) {
        return new EngineConfig(bootstrapServers, stateDir, clientProperties, commitIntervalMs,
                metricsIntervalMs, factor, computeBackend, adminTrust);
    }

    public EngineConfig withComputeBackend(final String backend) {
        return new EngineConfig(bootstrapServers, stateDir, clientProperties, commitIntervalMs, metricsIntervalMs,
                replicationFactor, backend, adminTrust);
    }

    public EngineConfig withAdminTrust(final AdminTrust trust) {
        return new EngineConfig(bootstrapServers, stateDir, clientProperties, commitIntervalMs, metricsIntervalMs,
                replicationFactor, computeBackend, trust);
    }
}
