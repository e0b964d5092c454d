package io.eddy.learners.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.Scores;
import io.eddy.learners.api.ParameterState;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward-forward learner and its backprop baseline on seeded synthetic classes (the Fashion-MNIST
 * runs are in the tests module): they learn, answer a micro-batch with the weights from before it,
 * go on bit for bit from their persisted parameters mid-batch, and refuse non-finite updates.
 */
class FfLearnerTest {
    private static final int INPUTS = 20;
    private static final int CLASSES = 5;

    @SuppressWarnings("unchecked")
    private static OnlineLearner<DenseExample> learner(final LearnerType<?> type, final Map<String, Object> extra) {
        final Map<String, Object> params = new HashMap<>(Map.of("inputs", INPUTS, "outputs", CLASSES, "hidden", 32,
                "layers", 2, "batch", 8, "learningRate", 0.01));
        params.putAll(extra);
        final LearnerType<DenseExample> t = (LearnerType<DenseExample>) type;
        return t.create(HyperParameters.resolve(t.hyperParameters(), HyperParameters.coerce(t.hyperParameters(),
                params)));
    }

    /** Classes around seeded random centres in the cube, with Gaussian noise. */
    private static final class Clusters {
        private final float[][] centres;
        private final SplittableRandom random;

        Clusters(final long seed) {
            this(seed, CLASSES);
        }

        Clusters(final long seed, final int classes) {
            centres = new float[classes][INPUTS];
            final SplittableRandom centresRandom = new SplittableRandom(99);
            for (final float[] centre : centres) {
                for (int j = 0; j < INPUTS; j++) {
                    centre[j] = centresRandom.nextBoolean() ? 1f : 0f;
                }
            }
            random = new SplittableRandom(seed);
        }

        void next(final DenseExample example) {
            example.clear();
            final int label = random.nextInt(centres.length);
            final float[] x = example.input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = centres[label][j] + (float) (0.4 * random.nextGaussian());
            }
            example.setLabel(label);
        }
    }

    static Stream<Arguments> learners() {
        return Stream.of(Arguments.of("ff goodness, hardest negatives", new FfType(), Map.of()),
                Arguments.of("ff goodness, random negatives", new FfType(), Map.of("negatives", "random")),
                Arguments.of("ff all negatives", new FfType(), Map.of("negatives", "all")),
                Arguments.of("ff threshold loss, all negatives", new FfType(), Map.of("loss", "threshold",
                        "negatives", "all", "replacementRate", 0.01, "maturity", 20)),
                Arguments.of("ff threshold loss", new FfType(), Map.of("loss", "threshold")),
                Arguments.of("ff threshold loss, continual backprop", new FfType(), Map.of("loss", "threshold",
                        "replacementRate", 0.01, "maturity", 20)),
                Arguments.of("ff head", new FfType(), Map.of("classifier", "head")),
                Arguments.of("ff collaborative layer loss", new FfType(), Map.of("layerLoss", "collaborative")),
                Arguments.of("ff answer averaging", new FfType(), Map.of("answerAverage", 0.9)),
                Arguments.of("ff collaborative threshold loss, all negatives, continual backprop", new FfType(),
                        Map.of("layerLoss", "collaborative", "loss", "threshold", "negatives", "all",
                                "replacementRate", 0.01, "maturity", 20)),
                Arguments.of("ff tanh, sgd", new FfType(), Map.of("activation", "tanh", "optimizer", "sgd",
                        "learningRate", 0.1)),
                Arguments.of("ff continual backprop", new FfType(), Map.of("replacementRate", 0.01, "maturity", 20)),
                Arguments.of("backprop mlp", new MlpType(), Map.of()),
                Arguments.of("backprop mlp, answer averaging", new MlpType(), Map.of("answerAverage", 0.9)),
                Arguments.of("backprop mlp, continual backprop", new MlpType(),
                        Map.of("replacementRate", 0.01, "maturity", 20)));
    }

    /**
     * A learner may learn without predicting first: it trains the weights it holds. Learning alone trained the
     * backend's blank buffers, whose copy back then wiped the initial weights.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ff", "mlp"})
    void shouldLearnAlikeWhetherOrNotEachEventWasPredictedFirst(final String type) {
        final LearnerType<?> learnerType = type.equals("ff") ? new FfType() : new MlpType();
        final Map<String, Object> settings = type.equals("ff") ? Map.of("negatives", "random") : Map.of();
        final OnlineLearner<DenseExample> predicted = learner(learnerType, settings);
        final OnlineLearner<DenseExample> learnedOnly = learner(learnerType, settings);
        final Clusters stream = new Clusters(6);
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        for (int i = 0; i < 24; i++) {
            stream.next(example);
            predicted.predict(example, null, out);
            predicted.learn(example, null);
            learnedOnly.learn(example, null);
        }
        assertArrayEquals(((DenseParameters) predicted.parameters()).values(),
                ((DenseParameters) learnedOnly.parameters()).values());
    }

    /**
     * With {@code answerAverage} the answers come from a running average of the weights and learning from the
     * current ones: with random negatives (which do not depend on the answers) the current weights are those
     * of a net without averaging, bit for bit; the average moves by (1 − decay) of the gap at each step; and a
     * net restored from the parameters answers alike.
     */
    @Test
    void shouldAnswerFromTheAveragedWeightsAndLearnFromTheCurrentOnes() {
        // the weights of the test nets: layer 0 (inputs + labels + bias) × 32, layer 1 (32 + bias) × 32
        final int count = (INPUTS + CLASSES + 1) * 32 + 33 * 32;
        final OnlineLearner<DenseExample> plain = learner(new FfType(), Map.of("negatives", "random"));
        final Map<String, Object> withAverage = Map.of("negatives", "random", "answerAverage", 0.9);
        final OnlineLearner<DenseExample> averaged = learner(new FfType(), withAverage);
        final Clusters stream = new Clusters(4);
        final DenseExample example = new DenseExample();
        final float[] plainOut = new float[CLASSES];
        final float[] averagedOut = new float[CLASSES];
        for (int i = 0; i < 200; i++) {
            stream.next(example);
            plain.predict(example, null, plainOut);
            averaged.predict(example, null, averagedOut);
            plain.learn(example, null);
            averaged.learn(example, null);
        }
        final float[] plainValues = ((DenseParameters) plain.parameters()).values();
        final float[] values = ((DenseParameters) averaged.parameters()).values();
        assertArrayEquals(java.util.Arrays.copyOf(plainValues, 3 * count), java.util.Arrays.copyOf(values, 3 * count),
                "the current weights and moments are those of the net without averaging");
        assertFalse(java.util.Arrays.equals(plainOut, averagedOut), "the answers differ");

        final float[] before = values.clone();
        for (int i = 0; i < 8; i++) {  // one more micro-batch: one step
            stream.next(example);
            averaged.predict(example, null, averagedOut);
            averaged.learn(example, null);
        }
        final float[] after = ((DenseParameters) averaged.parameters()).values();
        int moved = 0;
        for (int w = 0; w < count; w++) {
            final double expected = 0.9 * before[3 * count + w] + 0.1 * after[w];
            assertEquals(expected, after[3 * count + w], 1e-6 * (1 + Math.abs(expected)), "average of weight " + w);
            moved += after[3 * count + w] != before[3 * count + w] ? 1 : 0;
        }
        assertTrue(moved > count / 2, moved + " of " + count + " averaged weights moved");

        final OnlineLearner<DenseExample> restored = learner(new FfType(), withAverage);
        copy(averaged.parameters(), restored.parameters());
        stream.next(example);
        final float[] restoredOut = new float[CLASSES];
        averaged.predict(example, null, averagedOut);
        restored.predict(example, null, restoredOut);
        assertArrayEquals(averagedOut, restoredOut, "a net restored from the parameters answers alike");
    }

    /** With one layer the goodness summed over the layers is the layer's own: the two losses are one. */
    @ParameterizedTest(name = "layers={0}")
    @ValueSource(ints = {1, 2})
    void shouldTrainOnTheSummedGoodnessOnlyWhenThereAreSeveralLayers(final int layers) {
        final OnlineLearner<DenseExample> local = learner(new FfType(), Map.of("layers", layers));
        final OnlineLearner<DenseExample> collaborative = learner(new FfType(), Map.of("layers", layers,
                "layerLoss", "collaborative"));
        final Clusters stream = new Clusters(3);
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        for (int i = 0; i < 64; i++) {
            stream.next(example);
            for (final OnlineLearner<DenseExample> learner : List.of(local, collaborative)) {
                learner.predict(example, null, out);
                learner.learn(example, null);
            }
        }
        final boolean same = java.util.Arrays.equals(((DenseParameters) local.parameters()).values(),
                ((DenseParameters) collaborative.parameters()).values());
        assertEquals(layers == 1, same, layers + " layer(s): the parameters are " + (same ? "" : "not ") + "equal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learners")
    void shouldLearnClassesFarAboveChance(final String name, final LearnerType<?> type,
                                          final Map<String, Object> extra) {
        final double accuracy = lastThousand(learner(type, extra), new Clusters(1), 4_000, Integer.MAX_VALUE);
        // chance is 0.2; the centres are a noise's width apart in a few coordinates only
        assertTrue(accuracy > 0.9, name + ": prequential accuracy " + accuracy);
    }

    @Test
    void shouldAnswerAMicroBatchWithTheWeightsFromBeforeIt() {
        final FfLearner learner = (FfLearner) learner(new FfType(), Map.of());
        final Clusters clusters = new Clusters(2);
        final DenseExample probe = new DenseExample();
        clusters.next(probe);
        final DenseExample example = new DenseExample();
        final float[] first = new float[CLASSES];
        final float[] again = new float[CLASSES];
        learner.predict(probe, null, first);
        for (int i = 0; i < 7; i++) {
            clusters.next(example);
            learner.predict(example, null, again);
            learner.learn(example, null);
        }
        learner.predict(probe, null, again);
        assertArrayEquals(first, again, "seven of eight events learned: no step yet");
        clusters.next(example);
        learner.predict(example, null, again);
        learner.learn(example, null);
        learner.predict(probe, null, again);
        assertFalse(java.util.Arrays.equals(first, again), "the eighth event completes the batch: one step");
        assertEquals(8, learner.learned());
    }

    /**
     * A group is stepped as its events one by one, bit for bit: groups of every size up to the capacity,
     * some events unlabelled, some groups while not learning, across several micro-batches. Answers of
     * one row (the head, the backprop net) and of a few (three labels) are padded to the rows at which the
     * CPU backend's products sum a row alike, whatever the pass's size.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("learners")
    void shouldStepAGroupAsItsEventsOneByOne(final String name, final LearnerType<?> type,
                                             final Map<String, Object> extra) {
        for (final int classes : new int[] {3, 10}) {
            stepsAGroupAsItsEventsOneByOne(name + ", " + classes + " labels", type, extra, classes);
        }
    }

    private static void stepsAGroupAsItsEventsOneByOne(final String name, final LearnerType<?> type,
                                                       final Map<String, Object> extra, final int classes) {
        final Map<String, Object> params = new HashMap<>(extra);
        params.put("outputs", classes);
        final OnlineLearner<DenseExample> grouped = learner(type, params);
        final OnlineLearner<DenseExample> oneByOne = learner(type, params);
        assertEquals(8, grouped.groupCapacity(), name + ": a micro-batch's events");
        final EventGroup<DenseExample> group = new EventGroup<>(grouped.groupCapacity(), DenseExample::new, 0,
                classes);
        final Clusters clusters = new Clusters(5, classes);
        final SplittableRandom draws = new SplittableRandom(11);
        final DenseExample drawn = new DenseExample();
        final float[] out = new float[classes];
        int refusals = 0;
        for (int round = 0; round < 40; round++) {
            final boolean learn = round % 6 != 5;
            group.clear();
            for (int i = 1 + draws.nextInt(group.capacity()); i > 0; i--) {
                final DenseExample example = group.next();
                clusters.next(drawn);
                example.clear();
                System.arraycopy(drawn.input(), 0, example.input(INPUTS), 0, INPUTS);
                if (draws.nextInt(25) == 0) {
                    // an input the net cannot take: refused, as the event or its micro-batch
                    java.util.Arrays.fill(example.input(), 0, INPUTS, 1e18f);
                }
                if (draws.nextInt(4) > 0) {
                    example.setLabel(drawn.label());
                }
                group.add(example.labelled());
            }
            grouped.step(group, learn);
            for (int slot = 0; slot < group.size(); slot++) {
                final DenseExample example = group.example(slot);
                final String at = name + ", round " + round + ", slot " + slot;
                try {
                    oneByOne.predict(example, null, out);
                } catch (final NonFiniteUpdateException e) {
                    assertEquals(e.getMessage(), group.notStepped(slot), at);
                    refusals++;
                    continue;
                }
                assertNull(group.notStepped(slot), at);
                assertArrayEquals(out, group.output(slot), at);
                if (example.labelled()) {
                    float loss = oneByOne.loss(example, out);
                    String notLearned = null;
                    try {
                        if (learn) {
                            loss = oneByOne.learn(example, null);
                        }
                    } catch (final NonFiniteUpdateException e) {
                        notLearned = e.getMessage();
                        refusals++;
                    }
                    assertEquals(loss, group.loss(slot), at);
                    assertEquals(notLearned, group.notLearned(slot), at);
                }
            }
        }
        // tanh saturates: its nets take such inputs
        assertEquals(!name.contains("tanh"), refusals > 0, name + ": inputs refused: " + refusals);
        assertEquals(((MicroBatchClassifier) oneByOne).learned(), ((MicroBatchClassifier) grouped).learned());
        assertArrayEquals(((DenseParameters) oneByOne.parameters()).values(),
                ((DenseParameters) grouped.parameters()).values(), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learners")
    void shouldGoOnBitForBitFromItsPersistedParametersMidBatch(final String name, final LearnerType<?> type,
                                                              final Map<String, Object> extra) {
        final OnlineLearner<DenseExample> original = learner(type, extra);
        final Clusters clusters = new Clusters(3);
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        for (int i = 0; i < 101; i++) {
            clusters.next(example);
            original.predict(example, null, out);
            original.learn(example, null);
        }
        final OnlineLearner<DenseExample> restored = learner(type, extra);
        copy(original.parameters(), restored.parameters());
        final float[] restoredOut = new float[CLASSES];
        for (int i = 0; i < 40; i++) {
            clusters.next(example);
            original.predict(example, null, out);
            restored.predict(example, null, restoredOut);
            assertArrayEquals(out, restoredOut, name + ": prediction " + i);
            assertEquals(original.learn(example, null), restored.learn(example, null));
        }
        assertArrayEquals(((DenseParameters) original.parameters()).values(),
                ((DenseParameters) restored.parameters()).values());
    }

    /**
     * The engine reads a model's parameters whenever it persists them (at commits, on its own clock); a
     * learner must learn alike whether or not they were read in between, or a replay would not give the
     * same model.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("learners")
    void shouldLearnAlikeWhetherOrNotItsParametersAreReadInBetween(final String name, final LearnerType<?> type,
                                                                  final Map<String, Object> extra) {
        final OnlineLearner<DenseExample> read = learner(type, extra);
        final OnlineLearner<DenseExample> unread = learner(type, extra);
        final Clusters clusters = new Clusters(5);
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        for (int i = 0; i < 600; i++) {
            clusters.next(example);
            read.predict(example, null, out);
            read.learn(example, null);
            ((DenseParameters) read.parameters()).values();
            unread.predict(example, null, out);
            unread.learn(example, null);
        }
        assertArrayEquals(((DenseParameters) read.parameters()).values(),
                ((DenseParameters) unread.parameters()).values(), name);
    }

    /** The ReLU nets: inputs near the float range overflow their activity, so the update would too. */
    static Stream<Arguments> reluLearners() {
        return learners().filter(a -> !a.get()[0].toString().contains("tanh"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reluLearners")
    void shouldRefuseANonFiniteUpdateAndLeaveItsStateAsItWas(final String name, final LearnerType<?> type,
                                                            final Map<String, Object> extra) {
        final Map<String, Object> params = new HashMap<>(extra);
        params.putAll(Map.of("batch", 1, "optimizer", "sgd", "learningRate", 1));
        final OnlineLearner<DenseExample> learner = learner(type, params);
        final DenseExample huge = new DenseExample();
        final float[] x = huge.input(INPUTS);
        java.util.Arrays.fill(x, 3e38f);
        huge.setLabel(1);
        final float[] before = ((DenseParameters) learner.parameters()).values().clone();
        final EventGroup<DenseExample> group = new EventGroup<>(1, DenseExample::new, 0, CLASSES);
        group.next().copyFrom(huge);
        group.add(true);
        learner.step(group, true);
        assertTrue(group.notStepped(0) != null || group.notLearned(0) != null, name + ": refused, answer or update");
        assertArrayEquals(before, ((DenseParameters) learner.parameters()).values(), name);
    }

    /**
     * An event whose micro-batch's update would overflow is dropped with its micro-batch: kept, it would
     * refuse every later micro-batch, and the model would learn nothing more.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reluLearners")
    void shouldDropARefusedMicroBatchAndGoOnLearning(final String name, final LearnerType<?> type,
                                                     final Map<String, Object> extra) {
        final Map<String, Object> params = new HashMap<>(extra);
        params.put("batch", 4);
        final OnlineLearner<DenseExample> learner = learner(type, params);
        final EventGroup<DenseExample> group = new EventGroup<>(1, DenseExample::new, 0, CLASSES);
        final Clusters clusters = new Clusters(7);
        final String[] refused = new String[40];
        final int[] takenBack = new int[refused.length];
        float[] afterRefusals = null;
        for (int i = 0; i < refused.length; i++) {
            group.clear();
            clusters.next(group.next());
            if (i == 2) {
                java.util.Arrays.fill(group.next().input(), 0, INPUTS, 1e18f);
            }
            group.add(true);
            learner.step(group, true);
            refused[i] = group.notStepped(0) != null ? group.notStepped(0) : group.notLearned(0);
            takenBack[i] = group.earlierUnlearned(0);
            if (i == 4) {
                afterRefusals = ((DenseParameters) learner.parameters()).values().clone();
            }
        }
        assertNotNull(refused[2] != null ? refused[2] : refused[3], name + ": the huge event or its micro-batch");
        final long learned = ((MicroBatchClassifier) learner).learned();
        if (refused[2] != null) {
            assertEquals(39, learned, name + ": every other event");
        } else {
            assertTrue(refused[3].endsWith("; the 3 earlier events of its micro-batch are not learned either"),
                    name + ": " + refused[3]);
            assertEquals(3, takenBack[3], name + ": the engine is told to take them back from its count");
            assertEquals(36, learned, name + ": the events after the dropped micro-batch");
        }
        for (int i = 4; i < refused.length; i++) {
            assertNull(refused[i], name + ": event " + i);
        }
        assertFalse(java.util.Arrays.equals(afterRefusals, ((DenseParameters) learner.parameters()).values()),
                name + ": learning went on");
    }

    @Test
    void shouldReplaceUnitsWithoutChangingTheBackpropNetsAnswers() {
        final BackpropMlpLearner learner = (BackpropMlpLearner) learner(new MlpType(), Map.of());
        final Clusters clusters = new Clusters(4);
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        for (int i = 0; i < 200; i++) {
            clusters.next(example);
            learner.predict(example, null, out);
            learner.learn(example, null);
        }
        final float[] values = ((DenseParameters) learner.parameters()).values();
        learner.resetUnit(0, 3, new SplittableRandom(5));
        learner.resetUnit(1, 7, new SplittableRandom(6));
        final float[] before = new float[CLASSES];
        learner.predict(example, null, before);
        final float[] weightsBefore = values.clone();
        learner.resetUnit(0, 3, new SplittableRandom(7));
        learner.resetUnit(1, 7, new SplittableRandom(8));
        final float[] after = new float[CLASSES];
        learner.predict(example, null, after);
        // a new unit's outgoing weights are zero: whatever its input weights, the answer stays
        assertArrayEquals(before, after);
        final int firstRow = 3 * INPUTS;
        assertFalse(values[firstRow] == weightsBefore[firstRow], "unit 3 of layer 0 has fresh input weights");
        final int secondLayer = (INPUTS + 1) * 32;
        for (int k = 0; k < 32; k++) {
            // (row 7 of layer 1 is unit 7's fresh input weights)
            assertTrue(k == 7 || values[secondLayer + k * 32 + 3] == 0f, "layer 1 reads nothing from the new unit");
        }
        // the device copy is the host's: a learner made from the parameters answers alike
        final OnlineLearner<DenseExample> restored = learner(new MlpType(), Map.of());
        copy(learner.parameters(), restored.parameters());
        final float[] restoredOut = new float[CLASSES];
        restored.predict(example, null, restoredOut);
        assertArrayEquals(after, restoredOut);
    }

    /**
     * All but the threshold loss without continual backprop: on these clusters that net does not
     * relearn after the permutation (0.19 prequential accuracy, below chance), and continual backprop
     * is what restores it.
     */
    static Stream<Arguments> plasticLearners() {
        return learners().filter(a -> !a.get()[0].equals("ff threshold loss"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plasticLearners")
    void shouldRelearnAfterTheLabelsArePermuted(final String name, final LearnerType<?> type,
                                               final Map<String, Object> extra) {
        final OnlineLearner<DenseExample> learner = learner(type, extra);
        final double accuracy = lastThousand(learner, new Clusters(5), 8_000, 4_000);
        assertTrue(accuracy > 0.9, name + ": prequential accuracy after the change " + accuracy);
        if (extra.containsKey("replacementRate")) {
            assertTrue(((MicroBatchClassifier) learner).replacedUnits() > 0, name + ": units were replaced");
        }
    }

    @Test
    void shouldTrainOnAllLabelsAsOnThePairWhenThereAreTwo() {
        final Map<String, Object> two = Map.of("outputs", 2, "optimizer", "sgd", "learningRate", 0.1);
        final Map<String, Object> all = new HashMap<>(two);
        all.put("negatives", "all");
        final OnlineLearner<DenseExample> pairs = learner(new FfType(), two);
        final OnlineLearner<DenseExample> everyLabel = learner(new FfType(), all);
        final SplittableRandom random = new SplittableRandom(8);
        final DenseExample example = new DenseExample();
        final float[] out = new float[2];
        for (int i = 0; i < 200; i++) {
            example.clear();
            final float[] x = example.input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = (float) random.nextGaussian();
            }
            example.setLabel(x[0] > 0 ? 1 : 0);
            pairs.predict(example, null, out);
            pairs.learn(example, null);
            everyLabel.predict(example, null, out);
            everyLabel.learn(example, null);
        }
        final float[] a = ((DenseParameters) pairs.parameters()).values();
        final float[] b = ((DenseParameters) everyLabel.parameters()).values();
        float largest = 0f;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        // the same sums in another order: equal up to rounding; a factor 2 on either would show far above
        assertTrue(largest < 1e-4f, "largest difference " + largest);
        assertFalse(java.util.Arrays.equals(a, ((DenseParameters) learner(new FfType(), two).parameters()).values()),
                "they learned");
    }

    @Test
    void shouldExplainEventsThatDoNotFitTheModel() {
        final OnlineLearner<DenseExample> learner = learner(new FfType(), Map.of());
        final DenseExample e = new DenseExample();
        e.input(3);
        assertEquals("'x' has 3 values, the model takes 20", learner.validate(e));
        e.input(INPUTS);
        e.setLabel(CLASSES);
        assertEquals("'label' 5 is outside [0, 5)", learner.validate(e));
        e.setLabel(0);
        assertNull(learner.validate(e));
    }


    /**
     * Streams {@code events} cluster events through the learner, each answered then learned, the labels
     * shifted by one class from event {@code shiftFrom} on; the prequential accuracy of the last 1,000.
     */
    private static double lastThousand(final OnlineLearner<DenseExample> learner, final Clusters clusters,
                                       final int events, final int shiftFrom) {
        final DenseExample example = new DenseExample();
        final float[] out = new float[CLASSES];
        int correct = 0;
        for (int i = 0; i < events; i++) {
            clusters.next(example);
            if (i >= shiftFrom) {
                example.setLabel((example.label() + 1) % CLASSES);
            }
            learner.predict(example, null, out);
            if (i >= events - 1_000 && Scores.argMax(out) == example.label()) {
                correct++;
            }
            learner.learn(example, null);
        }
        return correct / 1_000.0;
    }

    private static void copy(final ParameterState from, final ParameterState to) {
        final FloatBuffer block = FloatBuffer.allocate(from.floatsPerBlock());
        for (int b = 0; b < from.blockCount(); b++) {
            block.clear();
            from.readBlock(b, block);
            block.flip();
            to.writeBlock(b, block);
        }
    }
}
