package io.eddy.learners.rtrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.ParameterState;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RtrlLearnerTest {
    private static final RtrlType TYPE = new RtrlType();

    private static RtrlLearner learner(final Map<String, Object> params) {
        return (RtrlLearner) TYPE.create(HyperParameters.resolve(TYPE.hyperParameters(),
                HyperParameters.coerce(TYPE.hyperParameters(), params)));
    }

    private static DenseExample event(final SplittableRandom random, final int inputs, final int label) {
        final DenseExample example = new DenseExample();
        final float[] x = example.input(inputs);
        for (int j = 0; j < inputs; j++) {
            x[j] = (float) random.nextGaussian();
        }
        if (label >= 0) {
            example.setLabel(label);
        }
        return example;
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

    @Test
    void shouldGoOnBitForBitFromItsPersistedParametersAndKeyState() {
        final Map<String, Object> params = Map.of("inputs", 3, "outputs", 3, "hidden", 5, "batch", 3, "stages", 2,
                "stageEvents", 40);
        final RtrlLearner original = learner(params);
        final SplittableRandom random = new SplittableRandom(1);
        final float[] state = new float[original.keyStateSize()];
        final float[] out = new float[3];
        for (int i = 0; i < 101; i++) { // mid-batch, in the second stage
            final DenseExample e = event(random, 3, random.nextInt(3));
            original.predict(e, state, out);
            original.learn(e, state);
        }
        final RtrlLearner restored = learner(params);
        copy(original.parameters(), restored.parameters());
        final float[] restoredState = state.clone();
        final float[] restoredOut = new float[3];
        for (int i = 0; i < 50; i++) {
            final DenseExample e = event(random, 3, i % 3);
            original.predict(e, state, out);
            restored.predict(e, restoredState, restoredOut);
            assertArrayEquals(out, restoredOut, "prediction " + i);
            assertEquals(original.learn(e, state), restored.learn(e, restoredState));
            assertArrayEquals(state, restoredState);
        }
    }

    @Test
    void shouldUpdateOnlyOnceEveryBatchOfLabelledEvents() {
        final RtrlLearner learner = learner(Map.of("inputs", 2, "outputs", 2, "hidden", 3, "batch", 4));
        final SplittableRandom random = new SplittableRandom(2);
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[2];
        final int weights = learner.network().parameterCount();
        float[] before = Arrays.copyOf(((DenseParameters) learner.parameters()).values(),
                weights);
        for (int i = 1; i <= 8; i++) {
            final DenseExample e = event(random, 2, i % 2);
            learner.predict(e, state, out);
            learner.learn(e, state);
            final float[] now = Arrays.copyOf(((DenseParameters) learner.parameters()).values(),
                    weights);
            assertEquals(i % 4 == 0, !Arrays.equals(before, now), "weights change exactly at event " + i);
            before = now;
        }
    }

    @Test
    void shouldFreezeEarlierStagesOnceTheNextGrows() {
        final RtrlLearner learner = learner(Map.of("inputs", 2, "outputs", 2, "hidden", 3, "stages", 2,
                "stageEvents", 20));
        final SplittableRandom random = new SplittableRandom(3);
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[2];
        final float[] values = ((DenseParameters) learner.parameters()).values();
        final int stageOne = learner.network().unitParameters(3);
        final int readout = learner.network().unitParameters(6);
        float[] firstStage = Arrays.copyOf(values, stageOne);
        float[] secondStage = Arrays.copyOfRange(values, stageOne, readout);
        for (int i = 0; i < 40; i++) {
            final DenseExample e = event(random, 2, i % 2);
            learner.predict(e, state, out);
            learner.learn(e, state);
            if (i == 19) {
                assertFalse(Arrays.equals(firstStage, Arrays.copyOf(values, stageOne)), "stage 0 learned first");
                assertArrayEquals(secondStage, Arrays.copyOfRange(values, stageOne, readout), "stage 1 waits");
                firstStage = Arrays.copyOf(values, stageOne);
                secondStage = Arrays.copyOfRange(values, stageOne, readout);
            }
        }
        assertArrayEquals(firstStage, Arrays.copyOf(values, stageOne), "stage 0 frozen after 20 events");
        assertFalse(Arrays.equals(secondStage, Arrays.copyOfRange(values, stageOne, readout)), "stage 1 learned");
    }

    /**
     * A target of 3e38, a finite float, would make a loss past the float range (and so a gradient with it):
     * the step is refused before anything is written, the key's state and the parameters stay as they were.
     */
    @Test
    void shouldRefuseATargetWhoseLossWouldOverflowAndLeaveEverythingAsItWas() {
        final RtrlLearner learner = learner(Map.of("inputs", 1, "outputs", 1, "hidden", 2, "task", "regression",
                "optimizer", "sgd", "gradientClip", 0, "learningRate", 0.1));
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[1];
        final DenseExample huge = new DenseExample();
        huge.input(1)[0] = 1f;
        huge.target(1)[0] = 3e38f;
        final float[] values = ((DenseParameters) learner.parameters()).values();
        final float[] before = values.clone();
        assertTrue(assertThrows(NonFiniteUpdateException.class, () -> learner.predict(huge, state, out))
                .getMessage().contains("loss"));
        assertArrayEquals(new float[learner.keyStateSize()], state, "the key's state is left as it was");
        assertArrayEquals(before, values);
        huge.target(1)[0] = 1e19f;
        learner.predict(huge, state, out);
        assertTrue(Float.isFinite(learner.learn(huge, state)), "a loss of 1e38 fits a float and is learned");
    }

    /**
     * Zeroes a minGRU net's update-gate input weights, so that its gate stays half open whatever the input:
     * then an input of 1e30 makes the gate's sensitivities about 1e60, beyond the float range of the state.
     */
    static void openUpdateGate(final RtrlLearner learner) {
        final float[] values = ((DenseParameters) learner.parameters()).values();
        final int inputs = learner.network().config().inputs();
        for (int u = 0; u < learner.network().config().units(); u++) {
            Arrays.fill(values, learner.network().unitParameters(u), learner.network().unitParameters(u) + inputs, 0f);
        }
    }

    @Test
    void shouldRefuseAStepThatWouldOverflowTheKeyStateAndLeaveItAsItWas() {
        final RtrlLearner learner = learner(Map.of("cell", "mingru", "inputs", 2, "outputs", 1, "hidden", 1,
                "task", "regression"));
        openUpdateGate(learner);
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[1];
        final DenseExample example = new DenseExample();
        example.input(2)[0] = 0.5f;
        learner.predict(example, state, out);
        final float[] before = state.clone();
        example.input(2)[0] = 1e30f;
        example.input(2)[1] = 1e30f;
        assertThrows(NonFiniteUpdateException.class, () -> learner.predict(example, state, out));
        assertArrayEquals(before, state, "the key's state is left as it was");
        example.input(2)[0] = 1e15f;
        example.input(2)[1] = 1e15f;
        learner.predict(example, state, out);
        for (final float v : state) {
            assertTrue(Float.isFinite(v), "an input the state can take is stepped");
        }
    }

    @Test
    void shouldExplainEventsThatDoNotFitTheModel() {
        final RtrlLearner classifier = learner(Map.of("inputs", 2, "outputs", 3));
        final DenseExample e = new DenseExample();
        e.input(3);
        assertEquals("'x' has 3 values, the model takes 2", classifier.validate(e));
        e.input(2);
        e.setLabel(3);
        assertEquals("'label' 3 is outside [0, 3)", classifier.validate(e));
        e.clear();
        e.input(2);
        assertNull(classifier.validate(e));
        e.target(3);
        assertEquals("a classification model takes 'label', not 'y'", classifier.validate(e));
        final RtrlLearner regression = learner(Map.of("inputs", 2, "outputs", 2, "task", "regression"));
        e.clear();
        e.input(2);
        e.target(1);
        assertEquals("'y' has 1 values, the model predicts 2", regression.validate(e));
    }

    @Test
    void shouldStartAfreshFromSeededWeightsAfterAReset() {
        final RtrlLearner learner = learner(Map.of("inputs", 2, "outputs", 2, "hidden", 3));
        final float[] values = ((DenseParameters) learner.parameters()).values();
        final float[] initial = values.clone();
        final SplittableRandom random = new SplittableRandom(4);
        final float[] state = new float[learner.keyStateSize()];
        final float[] out = new float[2];
        for (int i = 0; i < 10; i++) {
            final DenseExample e = event(random, 2, i % 2);
            learner.predict(e, state, out);
            learner.learn(e, state);
        }
        assertFalse(Arrays.equals(initial, values));
        learner.parameters().clear();
        learner.predict(event(random, 2, -1), new float[learner.keyStateSize()], out);
        assertArrayEquals(initial, values, "a reset model starts from the same seeded weights, not from zeros");
        assertEquals(0, learner.learned());
    }
}
