package io.eddy.ops.cli;

import io.eddy.ops.eval.FfDriftEvaluation;
import io.eddy.ops.eval.FfEvaluation;
import io.eddy.ops.eval.RecoEvaluation;
import io.eddy.ops.eval.RtrlEvaluation;
import io.eddy.ops.progress.ProgressBars;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval",
        description = "Measure a learner family's quality on its tasks against baselines in the same run, as a "
                + "library (no broker); the last line is JSON. rtrl: trace conditioning against truncated BPTT, "
                + "delayed recall at K = 5, 20, 50, and 10,000 entities against a stateless net. ff: Fashion-MNIST as "
                + "a stream (60,000 training then 10,000 test images), forward-forward against backprop; with --drift, "
                + "the training images with labels permuted anew every 10,000, each net with and without continual "
                + "backprop. reco: the ratings generator's stream, online MF against biases (RMSE) and BPR "
                + "against most-popular (recall at 10), with the recovery after a taste drift.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "Which learner family: rtrl, ff or reco.")
    String what;

    @Option(names = "--quick", description = "Shorter streams where a task allows it.")
    boolean quick;

    @Option(names = "--passes", defaultValue = "0", paramLabel = "P",
            description = "ff: also train each net for P passes over the training images and measure it on the "
                    + "test images (library mode). Default ${DEFAULT-VALUE}: none.")
    int passes;

    @Option(names = "--pass-decay", defaultValue = "1", paramLabel = "D",
            description = "ff with --passes: the learning rate is multiplied by D after each pass. Default "
                    + "${DEFAULT-VALUE}: constant.")
    double passDecay;

    @Option(names = "--drift", description = "ff: instead, how fast each net recovers when the labels are permuted "
            + "mid-stream, with and without continual backprop.")
    boolean drift;

    @Option(names = "--json", description = "Only the JSON summary on stdout; the narration goes to stderr.")
    boolean json;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws java.io.IOException {
        if (!List.of("rtrl", "ff", "reco").contains(what)) {
            throw new IllegalArgumentException("unknown evaluation '" + what + "'; known: rtrl, ff, reco");
        }
        if (passes < 0) {
            throw new IllegalArgumentException("--passes must be >= 0, got " + passes);
        }
        if (!(passDecay > 0 && passDecay <= 1)) {
            throw new IllegalArgumentException("--pass-decay must be in (0, 1], got " + passDecay);
        }
        final PrintStream out = json ? JsonLines.split(System.out, System.err) : System.out;
        try {
            final ProgressBars bars = progress.bars();
            final Map<String, Object> figures = switch (what) {
                case "ff" -> drift ? new FfDriftEvaluation(out, quick).withProgress(bars).run()
                        : new FfEvaluation(out, quick, passes, passDecay).withProgress(bars).run();
                case "reco" -> new RecoEvaluation(out, quick).withProgress(bars).run();
                default -> new RtrlEvaluation(out, quick).withProgress(bars).run();
            };
            out.println(RtrlEvaluation.json(figures));
        } finally {
            out.flush();
        }
        return ExitCode.OK;
    }
}
