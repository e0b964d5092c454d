package io.eddy.ops.cli;

import io.eddy.ops.broker.EmbeddedBroker;
import io.eddy.ops.demo.Demo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Start a broker and the engine, create an FTRL model and stream a drifting "
        + "click stream through it, with live progress.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "200000", description = "Events to stream (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--rate", defaultValue = "5000", description = "Events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--port", defaultValue = "9092",
            description = "Broker port, so other clients can connect (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "Port of the dashboard and of Prometheus' /metrics (default ${DEFAULT-VALUE}; 0 = off).")
    int httpPort;

    @Override
    public Integer call() throws IOException {
        final Path work = Files.createTempDirectory("eddy-demo");
        System.out.println("Starting an embedded Kafka broker ...");
        try (EmbeddedBroker broker = EmbeddedBroker.start(port, work.resolve("broker"))) {
            final Demo demo = new Demo(broker.bootstrapServers(), work.resolve("state"), events, rate, System.out)
                    .withHttpPort(httpPort);
            final Thread main = Thread.currentThread();
            final Thread hook = new Thread(() -> {
                demo.stop();
                try {
                    main.join(30_000);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "eddy-demo-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            demo.run();
        }
        return 0;
    }
}
