package io.eddy.ops.cli;

import io.eddy.kernels.bench.KernelBenchmark;
import io.eddy.ops.bench.FtrlBenchmark;
import io.eddy.ops.bench.RtrlBenchmark;
import io.eddy.ops.broker.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Run a benchmark; the last line is JSON. ftrl: the engine on a fresh "
        + "embedded broker against a pass-through baseline. rtrl: a recurrent model with 10,000 keys end to end, "
        + "then the learner alone at hidden 64 to 1024. kernels: each compute-backend operation, CPU and CUDA "
        + "side by side.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "Which benchmark: ftrl, rtrl or kernels.")
    String what;

    @Option(names = "--backend", defaultValue = "auto",
            description = "kernels: auto (CPU, plus CUDA where a GPU is usable), cpu, or cuda (CPU and CUDA; "
                    + "fails without a GPU). Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--quick", description = "kernels: small sizes only, a smoke test of a few seconds.")
    boolean quick;

    @Option(names = "--events", defaultValue = "200000",
            description = "Events per throughput run (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--cell", defaultValue = "elstm",
            description = "rtrl: the recurrent cell, diagonal, elstm or mingru. Default ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--batch", defaultValue = "1",
            description = "rtrl: labelled events per update, and so keys the engine steps at once. Default "
                    + "${DEFAULT-VALUE}.")
    int batch;

    @Override
    public Integer call() throws Exception {
        if ("kernels".equals(what)) {
            return KernelBenchmark.run(backend, quick, System.out);
        }
        if (!"ftrl".equals(what) && !"rtrl".equals(what)) {
            System.err.println("eddy: unknown benchmark '" + what + "'; known: ftrl, rtrl, kernels");
            return 2;
        }
        final Path work = Files.createTempDirectory("eddy-bench");
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, work.resolve("broker"))) {
            if ("ftrl".equals(what)) {
                System.out.println(new FtrlBenchmark(broker.bootstrapServers(), work, events, System.out).run().json());
            } else {
                System.out.println(new RtrlBenchmark(broker.bootstrapServers(), work, events, cell, batch,
                        System.out).run());
            }
        }
        return 0;
    }
}
