package io.eddy.ops.eval;

import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.Scores;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a learner over a sequence stream as a library, test-then-train, the way the engine does: each
 * event advances its key's state and is predicted, and a labelled one is then learned from. Each
 * key's state lives in a map. With {@code keepState} false every event starts from a zero state: the
 * same net without memory, the stateless baseline.
 */
public final class LibraryRun {
    /** Receives the loss of every labelled event, in stream order. */
    @FunctionalInterface
    public interface LossSink {
        void accept(long index, float loss);
    }

    /**
     * Prequential figures over the labelled events at or after {@code measureFrom}: mean loss, and for
     * classifiers accuracy (NaN for regression).
     *
     * @param refused labelled events the learner refused to step (an input or target too large for the net,
     *     as the engine dead-letters them): neither measured nor learned
     */
    public record Figures(long events, long measured, double meanLoss, double accuracy, long refused) {
    }

    private LibraryRun() {
    }

    /**
     * Runs the learner over the stream, one event at a time through {@link OnlineLearner#step}, each
     * key with its own state when {@code keepState} (else every event starts from a zero state).
     */
    public static Figures run(final SequenceStream stream, final OnlineLearner<DenseExample> learner,
                              final boolean keepState, final long measureFrom, final LossSink sink) {
        return run(stream, learner, keepState, measureFrom, sink, true);
    }

    /** As {@link #run(SequenceStream, OnlineLearner, boolean, long, LossSink)}, learning only if {@code learn}. */
    public static Figures run(final SequenceStream stream, final OnlineLearner<DenseExample> learner,
                              final boolean keepState, final long measureFrom, final LossSink sink,
                              final boolean learn) {
        return run(stream, learner, keepState, 1, measureFrom, sink, learn);
    }

    /**
     * A learner without per-key state over the stream, its events gathered into groups of its
     * {@link OnlineLearner#groupCapacity} as the engine gathers them, each group one {@link OnlineLearner#step}
     * (learning only if {@code learn}).
     */
    public static Figures runInGroups(final SequenceStream stream, final OnlineLearner<DenseExample> learner,
                                      final long measureFrom, final boolean learn) {
        if (learner.keyStateSize() > 0) {
            throw new IllegalArgumentException("groups of a stream's events are for learners without per-key state");
        }
        return run(stream, learner, false, learner.groupCapacity(), measureFrom, null, learn);
    }

    /** The loop of both: {@code keepState} only with groups of one event. */
    private static Figures run(final SequenceStream stream, final OnlineLearner<DenseExample> learner,
                               final boolean keepState, final int groupSize, final long measureFrom,
                               final LossSink sink, final boolean learn) {
        final Map<String, float[]> states = new HashMap<>();
        final EventGroup<DenseExample> group = new EventGroup<>(groupSize, DenseExample::new, learner.keyStateSize(),
                learner.outputSize());
        final long[] indexes = new long[groupSize];
        final Tally tally = new Tally(measureFrom, sink);
        while (stream.hasNext()) {
            group.clear();
            float[] kept = null;
            while (!group.isFull() && stream.hasNext()) {
                final SequenceEvent event = stream.next();
                final DenseExample example = group.next();
                fill(event, example);
                final int slot = group.add(example.labelled());
                indexes[slot] = event.index();
                final float[] state = group.keyState(slot);
                kept = keepState ? states.computeIfAbsent(event.key(), k -> new float[state.length]) : null;
                if (kept != null) {
                    System.arraycopy(kept, 0, state, 0, state.length);
                } else {
                    java.util.Arrays.fill(state, 0f);
                }
            }
            learner.step(group, learn);
            if (kept != null) {
                System.arraycopy(group.keyState(0), 0, kept, 0, kept.length);
            }
            for (int slot = 0; slot < group.size(); slot++) {
                tally.add(group, slot, indexes[slot]);
            }
        }
        return tally.figures(stream.classification());
    }

    /** The prequential figures of the labelled events, in stream order. */
    private static final class Tally {
        private final long measureFrom;
        private final LossSink sink;
        private long events;
        private long measured;
        private long correct;
        private double lossSum;
        private long refused;

        Tally(final long measureFrom, final LossSink sink) {
            this.measureFrom = measureFrom;
            this.sink = sink;
        }

        void add(final EventGroup<DenseExample> group, final int slot, final long index) {
            events++;
            final DenseExample example = group.example(slot);
            if (!example.labelled()) {
                return;
            }
            if (group.notStepped(slot) != null) {
                refused++;
                return;
            }
            final float loss = group.loss(slot);
            if (sink != null) {
                sink.accept(index, loss);
            }
            if (index >= measureFrom) {
                measured++;
                lossSum += loss;
                if (example.label() >= 0 && Scores.argMax(group.output(slot)) == example.label()) {
                    correct++;
                }
            }
        }

        Figures figures(final boolean classification) {
            final double accuracy = classification && measured > 0 ? (double) correct / measured : Double.NaN;
            return new Figures(events, measured, measured == 0 ? Double.NaN : lossSum / measured, accuracy,
                    refused);
        }
    }

    /** Copies a generated event into a learner's example holder. */
    public static void fill(final SequenceEvent event, final DenseExample example) {
        example.clear();
        final float[] x = event.x();
        System.arraycopy(x, 0, example.input(x.length), 0, x.length);
        if (event.hasTarget()) {
            final float[] y = event.y();
            System.arraycopy(y, 0, example.target(y.length), 0, y.length);
        } else if (event.label() >= 0) {
            example.setLabel(event.label());
        }
    }
}
