package io.eddy.ops.cli;

import io.eddy.ops.bench.FtrlBenchmark;
import io.eddy.ops.broker.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Run a benchmark on a fresh embedded broker; the last line is JSON.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "Which benchmark: ftrl.")
    String what;

    @Option(names = "--events", defaultValue = "200000",
            description = "Events per throughput run (default ${DEFAULT-VALUE}).")
    int events;

    @Override
    public Integer call() throws Exception {
        if (!"ftrl".equals(what)) {
            System.err.println("eddy: unknown benchmark '" + what + "'; known: ftrl");
            return 2;
        }
        final Path work = Files.createTempDirectory("eddy-bench");
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, work.resolve("broker"))) {
            final FtrlBenchmark.Result result = new FtrlBenchmark(broker.bootstrapServers(), work, events, System.out)
                    .run();
            System.out.println(result.json());
        }
        return 0;
    }
}
