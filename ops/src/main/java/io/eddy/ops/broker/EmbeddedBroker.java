package io.eddy.ops.broker;

import io.eddy.errors.EddyException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM. Its log
 * folder is formatted once and reused, so topics and data survive a restart on the same folder.
 * Settings suit one node with exactly-once: every internal topic has one replica.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final int NODE_ID = 1;
    /** The name of the controller listener that {@link #singleNodeProperties} expects. */
    public static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedBroker(final KafkaRaftServer server, final String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker and returns once it serves requests.
     *
     * @param port client port; 0 picks a free one
     * @param dataDir the log folder, created and formatted on first use
     */
    public static EmbeddedBroker start(final int port, final Path dataDir) {
        try {
            final int clientPort = port == 0 ? freePort() : port;
            final int controllerPort = freePort();
            final Path logDir = dataDir.resolve("kraft-logs").toAbsolutePath();
            Files.createDirectories(logDir);
            final Properties props = properties(clientPort, controllerPort, logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir);
            }
            final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedBroker(server, "localhost:" + clientPort);
        } catch (final IOException e) {
            throw new EddyException("cannot prepare broker data folder " + dataDir + ": " + e.getMessage(), e);
        } catch (final EddyException e) {
            throw e;
        } catch (final Exception e) {
            throw new EddyException("embedded broker failed to start on " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Properties properties(final int clientPort, final int controllerPort, final Path logDir) {
        final Properties props = singleNodeProperties(controllerPort, logDir);
        props.put("listeners", "PLAINTEXT://localhost:" + clientPort + "," + CONTROLLER + "://localhost:"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("num.partitions", "1");
        props.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        // a killed transactional producer must not block read_committed readers for long
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        props.put("group.min.session.timeout.ms", "1000");
        return props;
    }

    /**
     * What any one-node KRaft broker needs, whatever its listeners: both roles, itself as the controller quorum on
     * {@code controllerPort} (a listener named {@link #CONTROLLER}), one replica for every internal topic, and no
     * topic created by a client's mere mention of it. The caller adds the listeners.
     */
    public static Properties singleNodeProperties(final int controllerPort, final Path logDir) {
        final Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("controller.listener.names", CONTROLLER);
        props.put("log.dirs", logDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // the cleaner's dedupe buffer is allocated at start-up; the 128 MiB default would dominate the heap
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return props;
    }

    /** Formats {@code logDir} as a new cluster's only node, as {@link #singleNodeProperties} describes it. */
    public static void format(final Path logDir) throws Exception {
        format(logDir, NODE_ID, Uuid.randomUuid().toString());
    }

    /** Formats {@code logDir} as node {@code nodeId} of cluster {@code clusterId}, listener {@link #CONTROLLER}. */
    public static void format(final Path logDir, final int nodeId, final String clusterId) throws Exception {
        new Formatter()
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName(CONTROLLER)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
    }

    /** A port that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and waits for it; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
