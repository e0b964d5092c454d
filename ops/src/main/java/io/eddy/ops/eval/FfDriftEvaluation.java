package io.eddy.ops.eval;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.Scores;
import io.eddy.learners.ff.MicroBatchClassifier;
import io.eddy.ops.progress.ProgressBars;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code eddy eval ff --drift}: Fashion-MNIST's training images as one labelled stream whose labels are
 * permuted anew every segment (the first segment keeps the true labels; each later one moves every
 * class from where the previous segment had it, seeded), answered and then learned event by event.
 * For forward-forward and the backprop net, each with and without continual backprop, it reports the
 * prequential accuracy over windows of {@value #WINDOW} events, how many events after each change the
 * accuracy takes to come back to within {@value #RECOVERED_WITHIN} of the accuracy over the last
 * {@value #END_EVENTS} events before the change, and that accuracy at the end of every segment.
 */
public final class FfDriftEvaluation {
    public static final int SEGMENTS = 6;
    public static final int SEGMENT_EVENTS = 10_000;
    public static final int QUICK_SEGMENTS = 4;
    public static final int QUICK_SEGMENT_EVENTS = 4_000;
    public static final int WINDOW = 250;
    /** A segment's end: its last events, over which its accuracy is measured. */
    public static final int END_EVENTS = 1_000;
    public static final double RECOVERED_WITHIN = 0.05;
    /** Continual backprop's settings in the runs with it. */
    public static final Map<String, Object> CONTINUAL_BACKPROP = Map.of("replacementRate", 1e-3, "maturity", 100);
    private static final long PERMUTATION_SEED = 20_240_821L;

    /**
     * The windows' accuracies of one run.
     *
     * @param windows prequential accuracy of each window of {@value #WINDOW} events, in stream order
     * @param replacedUnits units continual backprop replaced in the run
     */
    public record Drift(double[] windows, int windowsPerSegment, long replacedUnits) {
        /** Accuracy over the last {@value #END_EVENTS} events of a segment. */
        public double endOf(final int segment) {
            final int n = END_EVENTS / WINDOW;
            double sum = 0;
            for (int w = (segment + 1) * windowsPerSegment - n; w < (segment + 1) * windowsPerSegment; w++) {
                sum += windows[w];
            }
            return sum / n;
        }

        /** Accuracy of the first window of a segment, just after its change. */
        public double startOf(final int segment) {
            return windows[segment * windowsPerSegment];
        }

        /**
         * Events after the change that starts {@code segment} (≥ 1) until a window's accuracy is back to
         * within {@link #RECOVERED_WITHIN} of the end of the segment before; -1 if it never gets there.
         */
        public int recoveryEvents(final int segment) {
            final double target = endOf(segment - 1) - RECOVERED_WITHIN;
            for (int w = 0; w < windowsPerSegment; w++) {
                if (windows[segment * windowsPerSegment + w] >= target) {
                    return (w + 1) * WINDOW;
                }
            }
            return -1;
        }

        /** Mean of {@link #recoveryEvents} over the changes; a change never recovered from counts a whole segment. */
        public double meanRecoveryEvents() {
            final int segments = windows.length / windowsPerSegment;
            double sum = 0;
            for (int s = 1; s < segments; s++) {
                final int events = recoveryEvents(s);
                sum += events < 0 ? windowsPerSegment * WINDOW : events;
            }
            return sum / (segments - 1);
        }

        /** Mean accuracy at the end of the segments after a change: how well the net still learns anew. */
        public double meanEndAccuracyAfterChanges() {
            final int segments = windows.length / windowsPerSegment;
            double sum = 0;
            for (int s = 1; s < segments; s++) {
                sum += endOf(s);
            }
            return sum / (segments - 1);
        }
    }

    private final PrintStream out;
    private final boolean quick;
    private ProgressBars bars = ProgressBars.OFF;

    public FfDriftEvaluation(final PrintStream out, final boolean quick) {
        this.out = out;
        this.quick = quick;
    }

    /** Shows each net's progress with {@code progress} (none by default). */
    public FfDriftEvaluation withProgress(final ProgressBars progress) {
        this.bars = progress;
        return this;
    }

    /** Runs the four nets and returns the figures; prints a line per net. */
    public Map<String, Object> run() throws IOException {
        final FashionMnist train = FashionMnist.load(FashionMnist.TRAIN);
        final int segments = quick ? QUICK_SEGMENTS : SEGMENTS;
        final int segmentEvents = quick ? QUICK_SEGMENT_EVENTS : SEGMENT_EVENTS;
        final Map<String, Object> net = quick ? FfEvaluation.QUICK_NET : FfEvaluation.NET;
        out.printf(Locale.ROOT, "Fashion-MNIST with drift: %d segments of %,d training images, the labels permuted "
                + "anew at each segment's start; %s hidden layer(s) of %s; accuracy over windows of %d events; "
                + "a segment's end: its last %,d events; recovered: a window within %.2f of the end before%n",
                segments, segmentEvents, net.get("layers"), net.get("hidden"), WINDOW, END_EVENTS, RECOVERED_WITHIN);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("drift_segments", segments);
        figures.put("drift_segment_events", segmentEvents);
        for (final String type : List.of("ff", "mlp")) {
            for (final boolean continual : List.of(false, true)) {
                final Map<String, Object> params = new HashMap<>(net);
                if (continual) {
                    params.putAll(CONTINUAL_BACKPROP);
                }
                final String name = (type.equals("ff") ? "ff" : "bp") + (continual ? "_cbp" : "");
                final Drift drift;
                try (ProgressBars.Bar bar = bars.start(name, (long) segments * segmentEvents, "events")) {
                    drift = run(FfEvaluation.learner(type, params), train, segments, segmentEvents, bar);
                }
                report(name, drift, segments);
                figures.put("drift_" + name + "_recovery_events", Math.round(drift.meanRecoveryEvents()));
                figures.put("drift_" + name + "_end_accuracy", Rounding.round(drift.meanEndAccuracyAfterChanges()));
                figures.put("drift_" + name + "_last_accuracy", Rounding.round(drift.endOf(segments - 1)));
                if (continual) {
                    figures.put("drift_" + name + "_replaced_units", drift.replacedUnits());
                }
            }
        }
        return figures;
    }

    private void report(final String name, final Drift drift, final int segments) {
        final StringBuilder ends = new StringBuilder();
        final StringBuilder recoveries = new StringBuilder();
        for (int s = 0; s < segments; s++) {
            ends.append(String.format(Locale.ROOT, " %.3f", drift.endOf(s)));
            if (s > 0) {
                final int events = drift.recoveryEvents(s);
                recoveries.append(events < 0 ? " never" : String.format(Locale.ROOT, " %,d", events));
            }
        }
        out.printf(Locale.ROOT, "  %-6s segment ends:%s; events to recover after each change:%s (mean %,.0f)%s%n",
                name, ends, recoveries, drift.meanRecoveryEvents(),
                name.endsWith("cbp") ? String.format(Locale.ROOT, "; %,d units replaced", drift.replacedUnits()) : "");
    }

    /**
     * Streams {@code segments × segmentEvents} training images through {@code learner}, each answered and
     * then learned, the labels permuted anew at the start of every segment after the first.
     */
    public static Drift run(final OnlineLearner<DenseExample> learner, final FashionMnist images, final int segments,
                            final int segmentEvents) {
        return run(learner, images, segments, segmentEvents, ProgressBars.NO_BAR);
    }

    private static Drift run(final OnlineLearner<DenseExample> learner, final FashionMnist images,
                             final int segments, final int segmentEvents, final ProgressBars.Bar bar) {
        if (segmentEvents % WINDOW != 0 || segmentEvents < END_EVENTS || segments < 2) {
            throw new IllegalArgumentException("need at least two segments of a whole number of windows");
        }
        final int windowsPerSegment = segmentEvents / WINDOW;
        final double[] windows = new double[segments * windowsPerSegment];
        final DenseExample example = new DenseExample();
        final float[] answer = new float[FashionMnist.CLASSES];
        int[] labels = identity();
        int correct = 0;
        for (int i = 0; i < segments * segmentEvents; i++) {
            if (i > 0 && i % segmentEvents == 0) {
                // every class moves from where the last segment had it
                final int[] move = derangement(new SplittableRandom(PERMUTATION_SEED + i / segmentEvents));
                for (int c = 0; c < labels.length; c++) {
                    labels[c] = move[labels[c]];
                }
            }
            example.clear();
            images.image(i % images.size(), example.input(FashionMnist.PIXELS), 0);
            example.setLabel(labels[images.label(i % images.size())]);
            learner.predict(example, null, answer);
            correct += Scores.argMax(answer) == example.label() ? 1 : 0;
            learner.learn(example, null);
            bar.stepBy(1);
            if ((i + 1) % WINDOW == 0) {
                windows[i / WINDOW] = correct / (double) WINDOW;
                correct = 0;
            }
        }
        final long replaced = learner instanceof MicroBatchClassifier net ? net.replacedUnits() : 0;
        return new Drift(windows, windowsPerSegment, replaced);
    }

    private static int[] identity() {
        final int[] labels = new int[FashionMnist.CLASSES];
        for (int c = 0; c < labels.length; c++) {
            labels[c] = c;
        }
        return labels;
    }

    /** A permutation of the classes that moves every one of them. */
    private static int[] derangement(final SplittableRandom random) {
        final int[] labels = identity();
        boolean moved;
        do {
            for (int c = labels.length - 1; c > 0; c--) {
                final int other = random.nextInt(c + 1);
                final int kept = labels[c];
                labels[c] = labels[other];
                labels[other] = kept;
            }
            moved = true;
            for (int c = 0; c < labels.length; c++) {
                moved &= labels[c] != c;
            }
        } while (!moved);
        return labels;
    }
}
