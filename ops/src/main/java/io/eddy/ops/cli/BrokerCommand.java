package io.eddy.ops.cli;

import io.eddy.ops.broker.EmbeddedBroker;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "broker", description = "Run a single-node Kafka broker (KRaft) in this process until Ctrl-C.")
final class BrokerCommand implements Runnable {
    @Option(names = "--port", defaultValue = "9092", description = "Client port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = ".eddy/broker",
            description = "Log folder, kept across restarts (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public void run() {
        final EmbeddedBroker broker = EmbeddedBroker.start(Ports.check("--port", port), dataDir);
        System.out.println("Kafka broker running at " + broker.bootstrapServers() + " (data in " + dataDir + ")");
        System.out.println("Next: ./eddy engine --bootstrap-servers " + broker.bootstrapServers()
                + "    Stop with Ctrl-C.");
        Shutdown.awaitThen(broker::close);
    }
}
