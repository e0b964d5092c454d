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
     */
    public record Figures(long events, long measured, double meanLoss, double accuracy) {
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
        final Map<String, float[]> states = new HashMap<>();
        final EventGroup<DenseExample> group = new EventGroup<>(1, DenseExample::new, learner.keyStateSize(),
                learner.outputSize());
        final float[] state = group.keyState(0);
        final float[] output = group.output(0);
        long events = 0;
        long measured = 0;
        long correct = 0;
        double lossSum = 0;
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            group.clear();
            final DenseExample example = group.next();
            fill(event, example);
            group.add(example.labelled());
            final float[] kept = keepState ? states.computeIfAbsent(event.key(), k -> new float[state.length]) : null;
            if (kept != null) {
                System.arraycopy(kept, 0, state, 0, state.length);
            } else {
                java.util.Arrays.fill(state, 0f);
            }
            learner.step(group, learn);
            if (kept != null) {
                System.arraycopy(state, 0, kept, 0, state.length);
            }
            events++;
            if (!example.labelled()) {
                continue;
            }
            final float loss = group.loss(0);
            if (sink != null) {
                sink.accept(event.index(), loss);
            }
            if (event.index() >= measureFrom) {
                measured++;
                lossSum += loss;
                if (example.label() >= 0 && Scores.argMax(output) == example.label()) {
                    correct++;
                }
            }
        }
        final double accuracy = stream.classification() && measured > 0 ? (double) correct / measured : Double.NaN;
        return new Figures(events, measured, measured == 0 ? Double.NaN : lossSum / measured, accuracy);
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
