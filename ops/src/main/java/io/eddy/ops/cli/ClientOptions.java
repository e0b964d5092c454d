package io.eddy.ops.cli;

import io.eddy.errors.EddyException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command that talks to a cluster shares. */
final class ClientOptions {
    @Option(names = "--bootstrap-servers", required = true, scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Kafka client properties (security settings and the like) passed to every client.")
    Path config;

    /** The client properties from {@code --config}, plus the bootstrap servers. */
    Map<String, Object> clientProperties() {
        final Map<String, Object> props = new HashMap<>(fileProperties());
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    Map<String, Object> fileProperties() {
        final Map<String, Object> props = new HashMap<>();
        if (config == null) {
            return props;
        }
        final Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(config)) {
            file.load(reader);
        } catch (final IOException e) {
            throw new EddyException("cannot read --config " + config + ": " + e.getMessage(), e);
        }
        file.forEach((key, value) -> props.put(key.toString(), value));
        return props;
    }
}
