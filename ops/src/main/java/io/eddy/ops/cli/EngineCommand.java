package io.eddy.ops.cli;

import io.eddy.kernels.Backends;
import io.eddy.ops.http.EngineHttpServer;
import io.eddy.ops.kafka.KafkaReachability;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "engine", description = "Run the Eddy engine against a Kafka cluster until Ctrl-C.")
final class EngineCommand implements Runnable {
    @Mixin
    ClientOptions client;

    @Option(names = "--state-dir", defaultValue = ".eddy/state",
            description = "Folder for RocksDB state (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--commit-interval-ms", defaultValue = "100",
            description = "Kafka Streams commit interval (default ${DEFAULT-VALUE}).")
    long commitIntervalMs;

    @Option(names = "--metrics-interval-ms", defaultValue = "5000",
            description = "How often each model publishes metrics (default ${DEFAULT-VALUE}).")
    long metricsIntervalMs;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replication factor of topics the engine creates (default ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--backend", defaultValue = "auto",
            description = "Compute backend of learners that do dense math: auto (CUDA when a GPU is usable, "
                    + "else CPU), cpu or cuda; a model may ask for its own (default ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--admin-topic", paramLabel = "TOPIC", defaultValue = "eddy.admin",
            description = "Topic whose admin commands are applied (repeatable; default ${DEFAULT-VALUE}). Commands "
                    + "on eddy.admin when it is not listed get an error reply.")
    List<String> adminTopics;

    @Option(names = "--admin-principal", paramLabel = "PRINCIPAL",
            description = "Apply only commands whose eddy.principal header names this principal, e.g. "
                    + "User:alice (repeatable; default: any). Only as strong as the admin topics' ACLs.")
    Set<String> adminPrincipals;

    @Mixin
    TimeoutOption timeoutOption;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "Port of the dashboard and of Prometheus' /metrics (default ${DEFAULT-VALUE}; 0 = off).")
    int httpPort;

    /** The trust setting the options describe. */
    AdminTrust adminTrust() {
        return new AdminTrust(adminTopics, adminPrincipals == null ? Set.of() : adminPrincipals);
    }

    @Override
    public void run() {
        // the options first (exit code 2), then an unreachable cluster in one line (exit code 3), before anything
        // starts
        Ports.check("--http-port", httpPort);
        final EngineConfig config = new EngineConfig(client.bootstrapServers, stateDir, client.fileProperties(),
                commitIntervalMs, metricsIntervalMs, replicationFactor, backend).withAdminTrust(adminTrust());
        KafkaReachability.require(client.clientProperties(), timeoutOption.duration());
        // Probe once up front: a missing GPU is reported here, in one line, not at the first model's task.
        final Backends.Selection probe = Backends.select(config.computeBackend());
        probe.backend().close();
        System.out.println("Compute backend: " + probe.reason());
        final Engine engine = Engine.start(config);
        final EngineHttpServer http;
        try {
            http = httpPort == 0 ? null : EngineHttpServer.start(engine, config, new InetSocketAddress(httpPort));
        } catch (final RuntimeException e) {
            engine.close();
            throw e;
        }
        System.out.println("Eddy engine running against " + client.bootstrapServers + "; "
                + config.adminTrust().describe() + ". Stop with Ctrl-C.");
        if (http != null) {
            System.out.println("Dashboard: " + http.url() + "   Prometheus metrics: " + http.url() + "metrics");
        }
        Shutdown.awaitThen(() -> {
            if (http != null) {
                http.close();
            }
            engine.close();
        });
    }
}
