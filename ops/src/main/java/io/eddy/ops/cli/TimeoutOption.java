package io.eddy.ops.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout}, for commands that wait on Kafka and on nothing else. */
final class TimeoutOption {
    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for Kafka to answer (default ${DEFAULT-VALUE}).")
    double seconds;

    /** The option as a duration; a usage error unless positive and at most a day. */
    Duration duration() {
        return ClientOptions.seconds(seconds, "--timeout");
    }
}
