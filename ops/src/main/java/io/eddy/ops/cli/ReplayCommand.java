package io.eddy.ops.cli;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.connectors.dataset.FashionMnistStream;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.connectors.sequence.SequenceTasks;
import io.eddy.ops.replay.Replay;
import io.eddy.streams.api.Topics;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eddy replay}: produces a seeded sequence task's events (see {@link SequenceTasks}), keyed by
 * entity, or a dataset's ({@code --dataset fashion-mnist}, see {@link FashionMnistStream}), keyed by
 * image, to a model's input topic. Exit code 0 when every event was acknowledged, 1 with a one-line
 * error otherwise.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Produce a seeded sequence task's events, keyed by entity, or a dataset's, keyed by image, to a "
                + "model's input topic, with progress once a second.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--task", paramLabel = "TASK",
            description = "The task: trace-conditioning, trace-patterning, delayed-recall or hidden-state. "
                    + "Give a task or a --dataset.")
    String task;

    @Option(names = "--dataset", paramLabel = "DATASET",
            description = "Instead of a task, a dataset in file order: fashion-mnist (from `" + FashionMnist.INSTALL
                    + "`, or the directory in -D" + FashionMnist.DIR_PROPERTY + " or $" + FashionMnist.DIR_ENV + ").")
    String dataset;

    @Option(names = "--split", paramLabel = "SPLIT",
            description = "The dataset's split: train (the default, 60,000 images), test (10,000) or train+test "
                    + "(train, then test).")
    String split;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "The model whose input topic (eddy.in.NAME) receives the events.")
    String model;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Produce here instead of the model's input topic.")
    String topic;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Events per second; 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--limit", defaultValue = "100000", paramLabel = "N",
            description = "Events to produce; 0 = no end, until Ctrl-C (a dataset: the end of its split) "
                    + "(default ${DEFAULT-VALUE}).")
    long limit;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of a task (default ${DEFAULT-VALUE}); a dataset's order is the files'.")
    long seed;

    @Option(names = "--delay", paramLabel = "K",
            description = "delayed-recall: steps between a token and its recall (required; we evaluate 5, 20, 50).")
    Integer delay;

    @Option(names = "--keys", paramLabel = "N",
            description = "Entities: interleaved sequences (default: 1, or 10000 for hidden-state).")
    Integer keys;

    @Override
    public Integer call() throws IOException {
        if (task == null && dataset == null) {
            throw new IllegalArgumentException("name a --task (" + String.join(", ", SequenceTasks.names())
                    + ") or a --dataset (" + FashionMnistStream.NAME + ")");
        }
        if (task != null && dataset != null) {
            throw new IllegalArgumentException("name either a --task or a --dataset, not both");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = no end), got " + limit);
        }
        final SequenceStream stream = dataset != null ? datasetStream() : taskStream();
        final String target = topic != null ? topic : Topics.input(model);
        final Replay replay = new Replay(client.clientProperties(), target, stream, rate, System.out);
        if (dataset != null) {
            printDatasetIntro((FashionMnistStream) stream, target);
        } else {
            printIntro(stream, target);
        }

        final Thread main = Thread.currentThread();
        final Thread hook = new Thread(() -> {
            replay.stop();
            try {
                main.join(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eddy-replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            replay.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
        return 0;
    }

    private SequenceStream datasetStream() throws IOException {
        if (!FashionMnistStream.NAME.equals(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "'; known: " + FashionMnistStream.NAME);
        }
        if (split != null && !FashionMnistStream.SPLITS.contains(split)) {
            throw new IllegalArgumentException("unknown --split '" + split + "'; known: "
                    + String.join(", ", FashionMnistStream.SPLITS));
        }
        if (delay != null) {
            throw new IllegalArgumentException("--delay applies to the task delayed-recall only, not to a --dataset");
        }
        if (keys != null) {
            throw new IllegalArgumentException("--keys applies to a --task only: a dataset's events are keyed by "
                    + "image");
        }
        return FashionMnistStream.builder()
                .split(split == null ? FashionMnist.TRAIN : split)
                .limit(limit == 0 ? Long.MAX_VALUE : limit)
                .build();
    }

    private SequenceStream taskStream() {
        if (split != null) {
            throw new IllegalArgumentException("--split applies to a --dataset only, not to the task " + task);
        }
        if (delay != null && delay < 1) {
            throw new IllegalArgumentException("--delay must be >= 1, got " + delay);
        }
        if (keys != null && keys < 1) {
            throw new IllegalArgumentException("--keys must be >= 1, got " + keys);
        }
        if ("delayed-recall".equals(task) && delay == null) {
            throw new IllegalArgumentException("delayed-recall needs --delay K (we evaluate 5, 20 and 50)");
        }
        if (delay != null && SequenceTasks.names().contains(task) && !"delayed-recall".equals(task)) {
            throw new IllegalArgumentException("--delay applies to delayed-recall only, not to " + task);
        }
        return SequenceTasks.create(task, new SequenceTasks.Options()
                .seed(seed)
                .events(limit == 0 ? Long.MAX_VALUE : limit)
                .keys(keys == null ? 0 : keys)
                .delay(delay == null ? 0 : delay));
    }

    private void printIntro(final SequenceStream stream, final String target) {
        System.out.printf(Locale.ROOT, "Replaying %s (inputs %d, outputs %d, %s) to %s: %s, %s, seed %d.%n",
                stream.name(), stream.inputSize(), stream.outputs(),
                stream.classification() ? "classification" : "regression", target,
                limit == 0 ? "no end" : String.format(Locale.ROOT, "%,d events", limit),
                rateText(), seed);
        System.out.println("Create the model first if it does not exist, e.g.:");
        System.out.printf(Locale.ROOT, "  ./eddy admin create %s --type rtrl --param inputs=%d --param outputs=%d "
                        + "--param task=%s --bootstrap-servers %s%s%n", model, stream.inputSize(), stream.outputs(),
                stream.classification() ? "classification" : "regression", client.bootstrapServers,
                client.config == null ? "" : " --config " + client.config);
    }

    private void printDatasetIntro(final FashionMnistStream stream, final String target) {
        System.out.printf(Locale.ROOT, "Replaying %s %s (inputs %d, outputs %d, classification) to %s: %,d events, "
                        + "%s.%n", stream.name(), stream.split(), stream.inputSize(), stream.outputs(), target,
                stream.totalEvents(), rateText());
        System.out.println("Create the model first if it does not exist, e.g.:");
        System.out.printf(Locale.ROOT, "  ./eddy admin create %s --type ff --param inputs=%d --param outputs=%d "
                        + "--bootstrap-servers %s%s%n", model, stream.inputSize(), stream.outputs(),
                client.bootstrapServers, client.config == null ? "" : " --config " + client.config);
    }

    private String rateText() {
        return rate == 0 ? "as fast as possible" : (rate == Math.rint(rate) ? Long.toString((long) rate)
                : Double.toString(rate)) + " events/s";
    }
}
