package io.eddy.tests.support;

import io.eddy.ops.broker.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real cluster of three Kafka nodes in this JVM, each both broker and controller (a quorum of three),
 * set up as a production cluster would be for exactly-once: three replicas of every internal topic and
 * {@code min.insync.replicas} 2, so that one node may stop while every write still lands on two.
 */
public final class BrokerCluster implements AutoCloseable {
    public static final int SIZE = 3;

    private final List<KafkaRaftServer> nodes = new ArrayList<>();
    private final List<AtomicBoolean> running = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();

    private BrokerCluster() {
    }

    /** Formats three fresh nodes under {@code dataDir} and starts them; returns once all serve requests. */
    public static BrokerCluster start(final Path dataDir) throws Exception {
        final BrokerCluster cluster = new BrokerCluster();
        final List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            cluster.clientPorts.add(EmbeddedBroker.freePort());
            controllerPorts.add(EmbeddedBroker.freePort());
        }
        final String voters = IntStream.range(0, SIZE)
                .mapToObj(i -> nodeId(i) + "@localhost:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        final String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < SIZE; i++) {
            final Path logDir = dataDir.resolve("node-" + nodeId(i)).toAbsolutePath();
            Files.createDirectories(logDir);
            EmbeddedBroker.format(logDir, nodeId(i), clusterId);
            final Properties props = properties(i, cluster.clientPorts.get(i), controllerPorts.get(i), voters, logDir);
            cluster.nodes.add(new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM));
            cluster.running.add(new AtomicBoolean());
        }
        // a node's start-up waits for the quorum, which needs two of the three: start them together
        try {
            cluster.onEveryNode(i -> {
                cluster.running.get(i).set(true);
                cluster.nodes.get(i).startup();
            });
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Runs {@code action} for every node index at once, on a thread each, and waits for all. */
    private void onEveryNode(final IntConsumer action) {
        final ExecutorService threads = Executors.newFixedThreadPool(SIZE);
        try {
            CompletableFuture.allOf(IntStream.range(0, SIZE)
                    .mapToObj(i -> CompletableFuture.runAsync(() -> action.accept(i), threads))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }

    private static int nodeId(final int index) {
        return index + 1;
    }

    /** A one-node broker's settings, made a node of three with three replicas of everything, two in sync. */
    private static Properties properties(final int index, final int clientPort, final int controllerPort,
            final String voters, final Path logDir) {
        final Properties props = EmbeddedBroker.singleNodeProperties(controllerPort, logDir);
        props.put("node.id", Integer.toString(nodeId(index)));
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://localhost:" + clientPort + "," + EmbeddedBroker.CONTROLLER
                + "://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + EmbeddedBroker.CONTROLLER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("offsets.topic.replication.factor", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("min.insync.replicas", "2");
        props.put("group.min.session.timeout.ms", "1000");
        return props;
    }

    /** {@code host:port} of every node, for clients that must find the cluster while one node is down. */
    public String bootstrapServers() {
        return clientPorts.stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
    }

    /** Stops node {@code nodeId} (1 to 3) cleanly; its partitions' leadership moves to the others. */
    public void stop(final int nodeId) {
        final int index = nodeId - 1;
        if (running.get(index).getAndSet(false)) {
            nodes.get(index).shutdown();
            nodes.get(index).awaitShutdown();
        }
    }

    @Override
    public void close() {
        // together, so that no node's shutdown waits on a quorum whose other members have already gone
        onEveryNode(i -> stop(nodeId(i)));
    }
}
