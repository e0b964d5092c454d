package io.eddy.ops.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.connectors.dataset.FashionMnistStream;
import io.eddy.connectors.ratings.Interaction;
import io.eddy.connectors.ratings.RatingsFile;
import io.eddy.connectors.ratings.RatingsGenerator;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.connectors.sequence.SequenceTasks;
import io.eddy.ops.replay.Replay;
import io.eddy.streams.api.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eddy replay}: produces a seeded sequence task's events (see {@link SequenceTasks}), keyed by
 * entity, a dataset's ({@code --dataset fashion-mnist}, see {@link FashionMnistStream}), keyed by
 * image, or user–item ratings ({@code --ratings FILE|generated}, see {@link RatingsFile} and
 * {@link RatingsGenerator}), keyed by user, or a CSV or ARFF file's rows ({@code --file FILE}, see
 * {@link FileOptions}), to a model's input topic. Exit code 0 when every event was acknowledged,
 * otherwise one of {@link ExitCode}'s with a one-line error.
 */
@Command(name = "replay",
        description = "Produce a seeded sequence task's events, keyed by entity, a dataset's, keyed by image, or "
                + "user-item ratings from a log file or a generator, keyed by user, or the rows of a CSV or ARFF "
                + "file, to a model's input topic, with a progress bar on a terminal.")
final class ReplayCommand implements Callable<Integer> {
    static final String GENERATED = "generated";
    private static final long DEFAULT_LIMIT = 100_000;

    @Mixin
    ClientOptions client;

    @Mixin
    ProgressOptions progress;

    @Mixin
    TimeoutOption timeoutOption;

    @Mixin
    FileOptions files;

    @Option(names = "--task", paramLabel = "TASK",
            description = "The task: trace-conditioning, trace-patterning, delayed-recall or hidden-state. "
                    + "Give a task, a --dataset, --ratings or --file. With --file: classification or regression "
                    + "(default: classification for a nominal label, regression for a numeric one).")
    String task;

    @Option(names = "--dataset", paramLabel = "DATASET",
            description = "Instead of a task, a dataset in file order: fashion-mnist (from `" + FashionMnist.INSTALL
                    + "`, or the directory in -D" + FashionMnist.DIR_PROPERTY + " or $" + FashionMnist.DIR_ENV + ").")
    String dataset;

    @Option(names = "--ratings", paramLabel = "FILE|generated",
            description = "Instead of a task, ratings in timestamp order, one event per row: "
                    + "{\"id\":\"r0\",\"user\":\"..\",\"item\":\"..\",\"rating\":4.5}, keyed by user. FILE has lines "
                    + "`user item rating timestamp` separated by tabs, commas or '::' (MovieLens .dat), with an "
                    + "optional header line; `generated` is a seeded synthetic stream with drifting tastes "
                    + "(users u0.., items i0..).")
    String ratings;

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

    @Option(names = "--limit", paramLabel = "N",
            description = "Events to produce; 0 = no end, until Ctrl-C (a dataset, ratings file or --file: its "
                    + "end). Default: 100,000 for a task or generated ratings, all of a dataset's split, "
                    + "a ratings file or a --file.")
    Long limit;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of a task or of generated ratings (default ${DEFAULT-VALUE}); a dataset's or "
                    + "ratings file's order is the file's.")
    long seed;

    @Option(names = "--delay", paramLabel = "K",
            description = "delayed-recall: steps between a token and its recall (required; we evaluate 5, 20, 50).")
    Integer delay;

    @Option(names = "--keys", paramLabel = "N",
            description = "Entities: interleaved sequences (default: 1, or 10000 for hidden-state).")
    Integer keys;

    @Override
    public Integer call() throws IOException {
        if (task == null && dataset == null && ratings == null && files.file == null) {
            throw new IllegalArgumentException("name a --task (" + String.join(", ", SequenceTasks.names())
                    + "), a --dataset (" + FashionMnistStream.NAME + "), --ratings (FILE or " + GENERATED
                    + ") or --file FILE");
        }
        requireOneSource();
        if (task != null && dataset != null) {
            throw new IllegalArgumentException("name either a --task or a --dataset, not both");
        }
        if (ratings != null && (task != null || dataset != null)) {
            throw new IllegalArgumentException("name --ratings or a " + (task != null ? "--task" : "--dataset")
                    + ", not both");
        }
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0 (0 = no end), got " + limit);
        }
        Replay.requireRate(rate); // before a dataset or ratings file is read
        final String target = topic != null ? topic : Topics.input(model);
        final Replay replay;
        if (files.file != null) {
            replayFile(target);
            return 0;
        }
        if (ratings != null) {
            final RatingEvents source = ratingsSource(target);
            replay = new Replay(client.clientProperties(), target, source, rate, System.out)
                    .withProgress(progress.bars(), source.total());
            System.out.println("Create the model first if it does not exist, e.g.:");
            System.out.printf(Locale.ROOT, "  ./eddy admin create %s --type mf (ratings) or --type implicit "
                    + "(interactions) --bootstrap-servers %s%s%n", model, client.bootstrapServers,
                    client.config == null ? "" : " --config " + client.config);
        } else {
            final SequenceStream stream = dataset != null ? datasetStream() : taskStream();
            replay = new Replay(client.clientProperties(), target, stream, rate, System.out)
                    .withProgress(progress.bars(), dataset != null ? ((FashionMnistStream) stream).totalEvents()
                            : knownEnd(events()));
            if (dataset != null) {
                printDatasetIntro((FashionMnistStream) stream, target);
            } else {
                printIntro(stream, target);
            }
        }

        replay.withTimeout(timeoutOption.duration());
        try (Shutdown.Guard guard = Shutdown.guard("eddy-replay-stop", Duration.ofSeconds(10), replay::stop)) {
            replay.run();
        }
        return 0;
    }

    /** Refuses --file with another source, and the file's options without it. */
    private void requireOneSource() {
        if (files.file == null) {
            if (files.strayOption() != null) {
                throw new IllegalArgumentException(files.strayOption() + " applies to --file only");
            }
            return;
        }
        if (task != null && !FileOptions.TASKS.contains(task)) {
            throw new IllegalArgumentException("name --file or a --task, not both (with --file, --task is "
                    + String.join(" or ", FileOptions.TASKS) + ")");
        }
        if (dataset != null || ratings != null) {
            throw new IllegalArgumentException("name --file or " + (dataset != null ? "a --dataset" : "--ratings")
                    + ", not both");
        }
        for (final Object[] stray : new Object[][] {{"--split", split}, {"--delay", delay}, {"--keys", keys}}) {
            if (stray[1] != null) {
                throw new IllegalArgumentException(stray[0] + " does not apply to --file");
            }
        }
    }

    /** Replays --file's rows; the file is read through (and checked) before the first event. */
    private void replayFile(final String target) throws IOException {
        final FileOptions.ReplayIntro intro = new FileOptions.ReplayIntro(System.out, model, target, rateText(),
                "--bootstrap-servers " + client.bootstrapServers
                        + (client.config == null ? "" : " --config " + client.config));
        try (FileEvents events = files.open(task, limit, intro)) {
            final Replay replay = new Replay(client.clientProperties(), target, events, rate, System.out)
                    .withProgress(progress.bars(), events.total())
                    .withTimeout(timeoutOption.duration());
            try (Shutdown.Guard guard = Shutdown.guard("eddy-replay-stop", Duration.ofSeconds(10), replay::stop)) {
                replay.run();
            }
            if (events.skipped() > 0) {
                System.out.printf(Locale.ROOT, "Skipped %,d rows with a missing value.%n", events.skipped());
            }
        }
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
                .limit(limit == null || limit == 0 ? Long.MAX_VALUE : limit)
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
                .events(events())
                .keys(keys == null ? 0 : keys)
                .delay(delay == null ? 0 : delay));
    }

    private void printIntro(final SequenceStream stream, final String target) {
        System.out.printf(Locale.ROOT, "Replaying %s (inputs %d, outputs %d, %s) to %s: %s, %s, seed %d.%n",
                stream.name(), stream.inputSize(), stream.outputs(),
                stream.classification() ? "classification" : "regression", target,
                eventsText(events()), rateText(), seed);
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

    /**
     * Ratings from a file or the generator; checks the options first and prints what it replays.
     */
    private RatingEvents ratingsSource(final String target) throws IOException {
        if (split != null) {
            throw new IllegalArgumentException("--split applies to a --dataset only, not to --ratings");
        }
        if (delay != null) {
            throw new IllegalArgumentException("--delay applies to the task delayed-recall only, not to --ratings");
        }
        if (keys != null) {
            throw new IllegalArgumentException("--keys applies to a --task only: ratings are keyed by user");
        }
        if (GENERATED.equals(ratings)) {
            final long events = events();
            final RatingsGenerator.Config config = RatingsGenerator.Config.defaults().withSeed(seed).withEvents(events);
            final RatingsGenerator generator = new RatingsGenerator(config);
            System.out.printf(Locale.ROOT, "Replaying generated ratings (%,d users and %,d items to start, more "
                            + "arriving%s) to %s: %s, %s, seed %d.%n", config.initialUsers(), config.initialItems(),
                    events == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, ", tastes drifting at event %,d",
                            generator.driftAt()), target, eventsText(events), rateText(), seed);
            return RatingEvents.generated(generator, knownEnd(events));
        }
        final RatingsFile file;
        try {
            file = RatingsFile.load(Path.of(ratings));
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException("no ratings file " + ratings + " (--ratings takes a file or "
                    + GENERATED + ")", e);
        }
        final int rows = limit == null || limit == 0 ? file.size() : (int) Math.min(limit, file.size());
        System.out.printf(Locale.ROOT, "Replaying ratings from %s (%,d rows, %,d users, %,d items) in timestamp "
                        + "order to %s: %,d events, %s.%n", file.path(), file.size(), file.distinctUsers(),
                file.distinctItems(), target, rows, rateText());
        return RatingEvents.of(file, rows);
    }

    /** Events of a task or generated ratings: the --limit, 100,000 by default, 0 for no end. */
    private long events() {
        final long events = limit == null ? DEFAULT_LIMIT : limit;
        return events == 0 ? Long.MAX_VALUE : events;
    }

    /** An event count for a progress bar: 0 for a stream without an end. */
    private static long knownEnd(final long events) {
        return events == Long.MAX_VALUE ? 0 : events;
    }

    private static String eventsText(final long events) {
        return events == Long.MAX_VALUE ? "no end" : String.format(Locale.ROOT, "%,d events", events);
    }

    private String rateText() {
        return rate == 0 ? "as fast as possible" : (rate == Math.rint(rate) ? Long.toString((long) rate)
                : Double.toString(rate)) + " events/s";
    }

    /**
     * Ratings as events keyed by user, {@code {"id":"r17","user":"42","item":"i7","rating":4.5}} with
     * {@code "id"} the event's index; a whole rating is written without a decimal point.
     */
    abstract static class RatingEvents implements Replay.Source {
        private final StringBuilder json = new StringBuilder(96);
        private final long total;
        private long index = -1;
        private String key;
        private byte[] value;

        /** @param total events it will make, 0 when it has no end */
        RatingEvents(final long total) {
            this.total = total;
        }

        /** Events it will make, 0 when it has no end. */
        long total() {
            return total;
        }

        /** The first {@code rows} rows of the file, in its (timestamp) order. */
        static RatingEvents of(final RatingsFile file, final int rows) {
            return new RatingEvents(rows) {
                @Override
                public String name() {
                    return "ratings";
                }

                @Override
                public boolean hasNext() {
                    return produced() < rows;
                }

                @Override
                public void advance() {
                    final int row = (int) produced();
                    render(file.user(row), file.item(row), file.rating(row));
                }
            };
        }

        /** The generator's stream, users and items named {@code u<id>} and {@code i<id>}. */
        static RatingEvents generated(final RatingsGenerator generator, final long total) {
            final Interaction interaction = new Interaction();
            return new RatingEvents(total) {
                @Override
                public String name() {
                    return "generated-ratings";
                }

                @Override
                public boolean hasNext() {
                    return generator.hasNext();
                }

                @Override
                public void advance() {
                    generator.next(interaction);
                    render("u" + interaction.user(), "i" + interaction.item(), interaction.rating());
                }
            };
        }

        /** Events rendered so far. */
        long produced() {
            return index + 1;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public byte[] value() {
            return value;
        }

        /** Makes the next event, keyed by the user. */
        void render(final String user, final String item, final float rating) {
            index++;
            key = user;
            final StringBuilder sb = json;
            sb.setLength(0);
            sb.append("{\"id\":\"r").append(index).append("\",\"user\":");
            appendString(sb, user);
            sb.append(",\"item\":");
            appendString(sb, item);
            sb.append(",\"rating\":");
            final int whole = (int) rating;
            if (whole == rating) {
                sb.append(whole); // 4 rather than 4.0
            } else {
                sb.append(rating); // the shortest decimal that reads back as this float; finite (RatingsFile)
            }
            value = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void appendString(final StringBuilder sb, final String text) {
            sb.append('"');
            JsonStringEncoder.getInstance().quoteAsString(text, sb);
            sb.append('"');
        }
    }
}
