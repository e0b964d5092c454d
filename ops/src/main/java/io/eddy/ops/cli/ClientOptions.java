package io.eddy.ops.cli;

import io.eddy.errors.EddyException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** A {@code --timeout}-like option's seconds as a duration; a usage error unless positive. */
    static Duration seconds(final double seconds, final String option) {
        if (!(seconds > 0 && seconds <= Duration.ofDays(1).toSeconds())) {
            throw new IllegalArgumentException(option + " must be a number of seconds above 0 and at most a day, got "
                    + seconds);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
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
