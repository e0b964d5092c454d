package io.eddy.tests.support;

import io.eddy.ops.broker.EmbeddedBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker that authenticates clients with SASL/PLAIN and authorizes them with
 * ACLs ({@code StandardAuthorizer}, no access without an ACL): a secured cluster in miniature.
 * Clients connect to the SASL listener; the broker's own traffic uses PLAINTEXT listeners whose
 * anonymous principal is a super user, as is {@code User:admin}.
 */
public final class SecuredBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Map<String, String> passwords;

    private SecuredBroker(final KafkaRaftServer server, final String bootstrapServers,
                          final Map<String, String> passwords) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.passwords = passwords;
    }

    /** Starts a broker that knows {@code admin} and each of {@code users}, each with a password of its own. */
    public static SecuredBroker start(final List<String> users) throws Exception {
        final Map<String, String> passwords = new HashMap<>();
        passwords.put("admin", "admin-secret");
        users.forEach(user -> passwords.put(user, user + "-secret"));
        final int clientPort = freePort();
        final int internalPort = freePort();
        final int controllerPort = freePort();
        final Path logDir = Files.createTempDirectory("eddy-secured-broker").resolve("kraft-logs");
        Files.createDirectories(logDir);
        final StringBuilder jaas =
                new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        passwords.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        final Properties props = EmbeddedBroker.singleNodeProperties(controllerPort, logDir);
        props.put("listeners", "SASL_PLAINTEXT://localhost:" + clientPort + ",INTERNAL://localhost:" + internalPort
                + "," + EmbeddedBroker.CONTROLLER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + clientPort + ",INTERNAL://localhost:"
                + internalPort);
        props.put("listener.security.protocol.map",
                "SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT," + EmbeddedBroker.CONTROLLER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas + ";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS;User:admin");
        props.put("allow.everyone.if.no.acl.found", "false");
        EmbeddedBroker.format(logDir);
        final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new SecuredBroker(server, "localhost:" + clientPort, passwords);
    }

    /** Client settings that authenticate as {@code user}. */
    public Map<String, Object> clientProperties(final String user) {
        return Map.of("bootstrap.servers", bootstrapServers,
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + passwords.get(user) + "\";");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
