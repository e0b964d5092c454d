package io.eddy.learners.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.LearnerCatalog;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A learner's replica spans hold everything its answers depend on: blending another replica's spans in
 * whole (share 1) makes it answer exactly as that replica, and halfway leaves it between the two. The
 * spans leave out what is each replica's own (moments, counters, pending examples).
 */
class ReplicaSpansTest {
    private static final int INPUTS = 5;
    private static final int CLASSES = 3;

    @ParameterizedTest
    @ValueSource(strings = {"rtrl", "ff", "ff-averaged", "mlp"})
    void shouldAnswerAsTheReplicaWhoseWeightsItTookWhole(final String variant) {
        final String type = variant.startsWith("ff") ? "ff" : variant;
        final Map<String, Object> given = switch (type) {
            case "rtrl" -> Map.of("inputs", INPUTS, "outputs", CLASSES, "hidden", 6, "task", "classification");
            default -> Map.of("inputs", INPUTS, "outputs", CLASSES, "layers", 2, "hidden", 8, "batch", 4,
                    "answerAverage", variant.equals("ff-averaged") ? 0.9 : 0.0);
        };
        final OnlineLearner<DenseExample> mine = dense(type, given, 1);
        final OnlineLearner<DenseExample> theirs = dense(type, given, 2);
        train(theirs, 3);
        train(mine, 4);
        final int[] spans = mine.replicaSpans();
        assertTrue(spans.length >= 2 && spans[1] > 0, "a dense learner names its weights");
        assertTrue(spans[0] + spans[1] < floats(mine.parameters()), "and leaves its own bookkeeping out");

        blend(mine, theirs, spans, 0.5f);
        final float[] halfway = answer(mine);
        assertFalse(Arrays.equals(answer(theirs), halfway), "halfway is not there yet");
        blend(mine, theirs, spans, 1f);
        assertArrayEquals(answer(theirs), answer(mine), 0f, "the same weights give the same answers");
    }

    @Test
    void shouldAnswerAsTheFtrlReplicaWhoseStateItTookWhole() {
        final LearnerType<SparseExample> type = type("ftrl");
        final OnlineLearner<SparseExample> mine = type.create(resolved(type, Map.of("hashBits", 8)));
        final OnlineLearner<SparseExample> theirs = type.create(resolved(type, Map.of("hashBits", 8)));
        final SparseExample example = new SparseExample();
        for (int i = 0; i < 200; i++) {
            example.clear();
            example.add(i % 7, 1f);
            example.setLabel(i % 7 < 3 ? 1 : 0);
            theirs.learn(example, null);
        }
        final int[] spans = mine.replicaSpans();
        assertEquals(floats(mine.parameters()), spans[1], "every z and n");
        blend(mine, theirs, spans, 1f);
        for (int feature = 0; feature < 7; feature++) {
            example.clear();
            example.add(feature, 1f);
            final float[] ours = new float[1];
            final float[] other = new float[1];
            mine.predict(example, null, ours);
            theirs.predict(example, null, other);
            assertEquals(other[0], ours[0], 0f, "feature " + feature);
        }
    }

    @Test
    void shouldLeaveReplicasOfLearnersThatDoNotMergeApart() {
        final LearnerType<?> mf = LearnerCatalog.find("mf");
        assertFalse(mf.mergesReplicas());
        assertEquals(0, mf.create(resolved(mf, Map.of())).replicaSpans().length);
        for (final String type : new String[] {"ftrl", "rtrl", "ff", "mlp"}) {
            assertTrue(LearnerCatalog.find(type).mergesReplicas(), type);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> LearnerType<E> type(final String name) {
        return (LearnerType<E>) LearnerCatalog.find(name);
    }

    private static <E> Map<String, Double> resolved(final LearnerType<E> type, final Map<String, Object> given) {
        return HyperParameters.resolve(type.hyperParameters(), HyperParameters.coerce(type.hyperParameters(), given));
    }

    private static OnlineLearner<DenseExample> dense(final String name, final Map<String, Object> given,
                                                     final int seed) {
        final LearnerType<DenseExample> type = type(name);
        final Map<String, Object> seeded = new java.util.HashMap<>(given);
        seeded.put("seed", seed);
        return type.create(resolved(type, seeded));
    }

    /** Labelled events whose class is the largest of the first three inputs, from a zero state each. */
    private static void train(final OnlineLearner<DenseExample> learner, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final DenseExample example = new DenseExample();
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[learner.outputSize()];
        for (int i = 0; i < 64; i++) {
            example.clear();
            final float[] x = example.input(INPUTS);
            int label = 0;
            for (int j = 0; j < INPUTS; j++) {
                x[j] = (float) random.nextDouble();
                if (j < CLASSES && x[j] > x[label]) {
                    label = j;
                }
            }
            example.setLabel(label);
            Arrays.fill(state, 0f);
            learner.predict(example, state, out);
            learner.learn(example, state);
        }
    }

    /** Answers to a fixed set of unlabelled inputs, each from a zero key state. */
    private static float[] answer(final OnlineLearner<DenseExample> learner) {
        final SplittableRandom random = new SplittableRandom(99);
        final DenseExample example = new DenseExample();
        final float[] all = new float[8 * learner.outputSize()];
        final float[] out = new float[learner.outputSize()];
        for (int i = 0; i < 8; i++) {
            example.clear();
            final float[] x = example.input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = (float) random.nextDouble();
            }
            learner.predict(example, new float[learner.keyStateSize()], out);
            System.arraycopy(out, 0, all, i * out.length, out.length);
        }
        return all;
    }

    private static void blend(final OnlineLearner<?> mine, final OnlineLearner<?> theirs, final int[] spans,
                              final float share) {
        for (int s = 0; s < spans.length; s += 2) {
            final float[] weights = new float[spans[s + 1]];
            theirs.parameters().copyOut(spans[s], weights, 0, weights.length);
            mine.parameters().blend(spans[s], weights, 0, weights.length, share);
        }
    }

    private static int floats(final ParameterState parameters) {
        return parameters.blockCount() * parameters.floatsPerBlock();
    }
}
