package io.eddy.tests.support;

import io.eddy.ops.broker.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One real broker per test JVM, started on first use on a free port, stopped when the JVM exits.
 * Tests share it and keep apart by using their own topics, models and application ids.
 */
public final class SharedBroker {
    private static EmbeddedBroker broker;

    private SharedBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                broker = EmbeddedBroker.start(0, Files.createTempDirectory("eddy-test-broker"));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-broker-stop"));
        }
        return broker.bootstrapServers();
    }
}
