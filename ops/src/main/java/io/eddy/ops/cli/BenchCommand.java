package io.eddy.ops.cli;

import io.eddy.kernels.Backends;
import io.eddy.kernels.bench.KernelBenchmark;
import io.eddy.learners.bench.FfLearnerBenchmark;
import io.eddy.ops.bench.FtrlBenchmark;
import io.eddy.ops.bench.RecoBenchmark;
import io.eddy.ops.bench.RtrlBenchmark;
import io.eddy.ops.broker.EmbeddedBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Run a benchmark; the last line is JSON. ftrl: the engine on a fresh "
        + "embedded broker against a pass-through baseline. rtrl: a recurrent model with 10,000 keys end to end, "
        + "then the learner alone at hidden 64 to 1024. ff: the forward-forward learner alone, 784-2000x4 and "
        + "784-500x2, CPU and CUDA side by side. reco: an implicit model end to end, then the recommendation "
        + "learners alone at 100,000 items of 64 factors: learning rates and top-10 requests. kernels: each "
        + "compute-backend operation, CPU and CUDA side by side.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "Which benchmark: ftrl, rtrl, ff, reco or kernels.")
    String what;

    @Option(names = "--backend", defaultValue = "auto",
            description = "kernels, ff: auto (CPU, plus CUDA where a GPU is usable), cpu, or cuda (CPU and CUDA; "
                    + "fails without a GPU). rtrl with --batch above 1: where the model and the batched learner "
                    + "runs compute (auto: CUDA where a GPU is usable). reco: where the learner scores top-k "
                    + "requests in batches (auto: CUDA where a GPU is usable). Default ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--quick", description = "kernels: small sizes only, a smoke test of a few seconds. reco: 200 "
            + "top-k requests instead of 1,000.")
    boolean quick;

    @Option(names = "--events",
            description = "Events per throughput run. Default: ftrl 200,000; rtrl 1,000,000 (a run of a minute or "
                    + "two, so that start-up and the JIT's warm-up weigh little in its rate); reco 300,000.")
    Integer events;

    @Option(names = "--cell", defaultValue = "elstm",
            description = "rtrl: the recurrent cell, diagonal, elstm or mingru. Default ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--json", description = "Only the JSON summary on stdout; the narration goes to stderr.")
    boolean json;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--batch",
            description = "rtrl: labelled events per update, and so keys the engine steps at once (default 1). ff: "
                    + "events per training step (default 256).")
    Integer batch;

    @Override
    public Integer call() throws Exception {
        if (!List.of("ftrl", "rtrl", "ff", "reco", "kernels").contains(what)) {
            throw new IllegalArgumentException("unknown benchmark '" + what + "'; known: ftrl, rtrl, ff, reco, "
                    + "kernels");
        }
        // before any long work: a misspelt backend, or cuda without a GPU, is known at once
        final String chosen = Backends.validate(backend);
        if (chosen.equals("cuda") && List.of("rtrl", "reco").contains(what)) {
            Backends.select(backend).backend().close();
        }
        final PrintStream out = json ? JsonLines.split(System.out, System.err) : System.out;
        try {
            return run(out);
        } finally {
            out.flush();
        }
    }

    private int run(final PrintStream out) throws Exception {
        if ("kernels".equals(what)) {
            return KernelBenchmark.run(backend, quick, out);
        }
        if ("ff".equals(what)) {
            final int ffBatch = batch == null ? 256 : batch;
            out.println(FfLearnerBenchmark.json(new FfLearnerBenchmark(ffBatch).run(backend, out), ffBatch));
            return ExitCode.OK;
        }
        final Path work = Files.createTempDirectory("eddy-bench");
        // Ctrl-C ends a benchmark where it is, past the finally below: the folder goes then too
        final Thread cleanUp = new Thread(() -> {
            try {
                Utils.delete(work.toFile());
            } catch (final IOException e) {
                System.err.println("eddy: could not delete " + work + ": " + e.getMessage());
            }
        }, "eddy-bench-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, work.resolve("broker"))) {
            if ("ftrl".equals(what)) {
                out.println(new FtrlBenchmark(broker.bootstrapServers(), work, eventsOr(200_000), out)
                        .withProgress(progress.bars()).run().json());
            } else if ("reco".equals(what)) {
                out.println(new RecoBenchmark(broker.bootstrapServers(), work, eventsOr(300_000),
                        quick ? 200 : 1_000, backend, out).withProgress(progress.bars()).run());
            } else {
                out.println(new RtrlBenchmark(broker.bootstrapServers(), work, eventsOr(1_000_000), cell,
                        batch == null ? 1 : batch, backend, out).withProgress(progress.bars()).run());
            }
        } finally {
            // the broker's log and the engine's RocksDB: hundreds of megabytes after a long run
            Utils.delete(work.toFile());
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (final IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook deletes, again, harmlessly
            }
        }
        return ExitCode.OK;
    }

    private int eventsOr(final int defaultEvents) {
        return events == null ? defaultEvents : events;
    }
}
