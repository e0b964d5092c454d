package io.eddy.connectors.dataset;

import io.eddy.connectors.sequence.AbstractSequenceStream;
import io.eddy.connectors.sequence.SequenceEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST ({@link FashionMnist}) as a replayable {@link io.eddy.connectors.sequence.SequenceStream}:
 * every image one labelled classification event of {@value FashionMnist#PIXELS} inputs in [0, 1]
 * (the file's bytes over 255) and a label in [0, 10), in the order of the files.
 *
 * <p>The split is {@code train} (60,000 events), {@code test} (10,000) or {@code train+test}: the
 * 60,000 training images, then the 10,000 test images, which is what an evaluation replays (learn
 * online from the first, score the second). With {@link Builder#passes(int) passes} above 1 the whole
 * split repeats that many times; a {@link Builder#limit(long) limit} ends the stream earlier.
 *
 * <p>An event's record key is its split and its image's index in that split, {@code "train-17"} or
 * {@code "test-3"}; its JSON {@code "id"} is {@code "e"} and its index in the stream, as for every
 * sequence stream. The keys spread events over a topic's partitions, so a consumer reading several
 * partitions sees the file order only within each; produce to a topic of one partition where the
 * order across splits matters. Pixels are k/255 floats, which {@link SequenceEvent#toJson()} writes
 * so that they read back as the same floats.
 *
 * <p>Deterministic: no seed. {@link #next()} allocates only the key; not thread-safe.
 */
public final class FashionMnistStream extends AbstractSequenceStream {
    /** The stream's name. */
    public static final String NAME = "fashion-mnist";
    /** The splits a stream replays, by name. */
    public static final List<String> SPLITS = List.of("train", "test", "train+test");

    private final String split;
    private final FashionMnist[] parts;
    private final long perPass;
    private final int passes;
    private FashionMnist currentPart;
    private int currentImage = -1;

    private FashionMnistStream(final String split, final List<FashionMnist> parts, final long limit,
                               final int passes) {
        super(NAME, FashionMnist.PIXELS, FashionMnist.CLASSES, true, Math.min(limit, total(parts, passes)));
        this.split = split;
        this.parts = parts.toArray(new FashionMnist[0]);
        this.perPass = total(parts, 1);
        this.passes = passes;
    }

    /** A builder with defaults: {@link FashionMnist#directory()}, split {@code train}, no limit, one pass. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A stream over splits already loaded, one after the other, {@code passes} times, ending after
     * {@code limit} events at most ({@link Long#MAX_VALUE} for no limit).
     */
    public static FashionMnistStream of(final List<FashionMnist> splits, final long limit, final int passes) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("need at least one split");
        }
        checkLimit(limit);
        checkPasses(passes);
        final List<String> names = new ArrayList<>();
        for (final FashionMnist part : splits) {
            names.add(part.split());
        }
        return new FashionMnistStream(String.join("+", names), List.copyOf(splits), limit, passes);
    }

    private static long total(final List<FashionMnist> parts, final int passes) {
        long total = 0;
        for (final FashionMnist part : parts) {
            total += part.size();
        }
        return total * passes;
    }

    @Override
    protected void fill(final SequenceEvent event, final long index) {
        long within = perPass == 0 ? 0 : index % perPass;
        FashionMnist part = parts[0];
        for (final FashionMnist candidate : parts) {
            part = candidate;
            if (within < candidate.size()) {
                break;
            }
            within -= candidate.size();
        }
        final int image = (int) within;
        currentPart = part;
        currentImage = image;
        event.begin(part.split() + "-" + image, index);
        part.image(image, event.x(), 0);
        event.setLabel(part.label(image));
    }

    /** The split replayed: {@code train}, {@code test} or {@code train+test}. */
    public String split() {
        return split;
    }

    /** Number of times the split is replayed, unless the limit ends it first. */
    public int passes() {
        return passes;
    }

    /** Events in one pass over the split. */
    public long eventsPerPass() {
        return perPass;
    }

    /** The split of the current event's image, {@code train} or {@code test}; null before the first event. */
    public String currentSplit() {
        return currentPart == null ? null : currentPart.split();
    }

    /** The index in its split of the current event's image; -1 before the first event. */
    public int currentImage() {
        return currentImage;
    }

    private static void checkLimit(final long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    private static void checkPasses(final int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be >= 1, got " + passes);
        }
    }

    /** Settings of a {@link FashionMnistStream}; each has a default. */
    public static final class Builder {
        private Path directory;
        private String split = "train";
        private long limit = Long.MAX_VALUE;
        private int passes = 1;

        private Builder() {
        }

        /** The directory of the files; default {@link FashionMnist#directory()}. */
        public Builder directory(final Path directory) {
            this.directory = directory;
            return this;
        }

        /** {@code train} (the default), {@code test} or {@code train+test}. */
        public Builder split(final String split) {
            if (!SPLITS.contains(split)) {
                throw new IllegalArgumentException("unknown split '" + split + "'; known: " + String.join(", ",
                        SPLITS));
            }
            this.split = split;
            return this;
        }

        /** The most events to produce; default {@link Long#MAX_VALUE}, no limit but the split's end. */
        public Builder limit(final long limit) {
            checkLimit(limit);
            this.limit = limit;
            return this;
        }

        /** How many times to replay the split, at least 1; default 1. */
        public Builder passes(final int passes) {
            checkPasses(passes);
            this.passes = passes;
            return this;
        }

        /**
         * Loads the split's files and builds the stream.
         *
         * @throws IOException when the files are missing (the message says how to install them) or bad
         */
        public FashionMnistStream build() throws IOException {
            final Path dir = directory != null ? directory : FashionMnist.directory();
            final List<FashionMnist> parts = new ArrayList<>();
            for (final String part : split.split("\\+")) {
                parts.add(FashionMnist.load(dir, part));
            }
            return new FashionMnistStream(split, parts, limit, passes);
        }
    }
}
