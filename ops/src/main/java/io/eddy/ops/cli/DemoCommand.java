package io.eddy.ops.cli;

import io.eddy.ops.broker.EmbeddedBroker;
import io.eddy.ops.demo.Demo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Start a broker and the engine, create three models and stream live data "
        + "through them, with progress: FTRL on a drifting click stream, and an RTRL model beside a stateless MLP on "
        + "entities whose class only their history reveals.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "200000",
            description = "Click events to stream (default ${DEFAULT-VALUE}); the entities get a fifth as many.")
    long events;

    @Option(names = "--rate", defaultValue = "5000",
            description = "Click events per second (default ${DEFAULT-VALUE}); the entities get a fifth of it.")
    int rate;

    @Option(names = "--port", defaultValue = "9092",
            description = "Broker port, so other clients can connect (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "Port of the dashboard and of Prometheus' /metrics (default ${DEFAULT-VALUE}; 0 = off).")
    int httpPort;

    @Override
    public Integer call() throws IOException {
        if (events < 1 || rate < 1) {
            throw new IllegalArgumentException("--events and --rate must be at least 1, not " + events + " and "
                    + rate);
        }
        Ports.check("--port", port);
        Ports.check("--http-port", httpPort);
        final Path work = Files.createTempDirectory("eddy-demo");
        System.out.println("Starting an embedded Kafka broker ...");
        final AtomicReference<Demo> running = new AtomicReference<>();
        final Runnable stop = () -> {
            final Demo demo = running.get();
            if (demo != null) {
                demo.stop();
            }
        };
        // closed last, so that Ctrl-C lets the broker close and the folder go before the JVM exits
        try (Shutdown.Guard guard = Shutdown.guard("eddy-demo-stop", Duration.ofSeconds(30), stop)) {
            try (EmbeddedBroker broker = EmbeddedBroker.start(port, work.resolve("broker"))) {
                final Demo demo = new Demo(broker.bootstrapServers(), work.resolve("state"), events, rate,
                        System.out).withHttpPort(httpPort);
                running.set(demo);
                demo.run();
            } finally {
                // the broker's log and the engine's state: nothing a later demo reads
                Utils.delete(work.toFile());
            }
        }
        return 0;
    }
}
