package io.eddy.ops.cli;

import io.eddy.ops.eval.RtrlEvaluation;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a learner family's quality on its tasks against baselines in the same run, as a "
                + "library (no broker); the last line is JSON. rtrl: trace conditioning against truncated BPTT, "
                + "delayed recall at K = 5, 20, 50, and 10,000 entities against a stateless net.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "Which learner family: rtrl.")
    String what;

    @Option(names = "--quick", description = "Shorter streams where a task allows it.")
    boolean quick;

    @Override
    public Integer call() {
        if (!"rtrl".equals(what)) {
            System.err.println("eddy: unknown evaluation '" + what + "'; known: rtrl");
            return 2;
        }
        final Map<String, Object> figures = new RtrlEvaluation(System.out, quick).run();
        System.out.println(RtrlEvaluation.json(figures));
        return 0;
    }
}
