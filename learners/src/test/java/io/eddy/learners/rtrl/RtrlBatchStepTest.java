package io.eddy.learners.rtrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batched step on a compute backend (float32) against the one-by-one double path, on the same
 * stream cut into the same groups the engine would make: runs of distinct keys, some events without a
 * target, batches of updates that start and end inside groups, the second stage growing mid-stream,
 * and stretches where the model does not learn.
 *
 * <p>Tolerance: every output, loss, key state and parameter within {@code 2e-5·(1 + |double|)} of the
 * double path over 600 events and about 120 optimiser steps. The largest difference measured is
 * about 2e-6 (float rounding); dropping one term of a kernel or stepping past an update with stale
 * parameters fails it within a few events.
 */
class RtrlBatchStepTest {
    private static final RtrlType TYPE = new RtrlType();
    private static final double TOLERANCE = 2e-5;
    private static final int KEYS = 7;

    private final CpuBackend backend = new CpuBackend();

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    static Stream<Arguments> nets() {
        return Stream.of(RecurrentCell.values()).flatMap(cell -> Stream.of(
                Arguments.of(cell, "classification", "adam"), Arguments.of(cell, "regression", "sgd")));
    }

    private static Map<String, Double> params(final RecurrentCell cell, final String task, final String optimizer) {
        final Map<String, Object> given = new HashMap<>(Map.of("cell", cell.name().toLowerCase(), "task", task,
                "optimizer", optimizer, "inputs", 3, "outputs", 3, "hidden", 5, "stages", 2, "stageEvents", 250,
                "batch", 4, "learningRate", 0.02));
        return HyperParameters.resolve(TYPE.hyperParameters(), HyperParameters.coerce(TYPE.hyperParameters(), given));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("nets")
    void shouldMatchTheOneByOneDoublePath(final RecurrentCell cell, final String task, final String optimizer) {
        final Map<String, Double> resolved = params(cell, task, optimizer);
        final RtrlLearner reference = new RtrlLearner(RtrlConfig.from(resolved));
        final RtrlLearner batched = (RtrlLearner) TYPE.create(resolved, backend);
        assertEquals(4, batched.groupCapacity());
        final boolean classification = task.equals("classification");
        final Replica one = new Replica(reference);
        final Replica many = new Replica(batched);
        final SplittableRandom random = new SplittableRandom(cell.ordinal() * 10L + (classification ? 1 : 2));
        int groups = 0;
        int event = 0;
        while (event < 600) {
            // a group ends at a key it already holds, or full; the model pauses learning now and then
            one.group.clear();
            many.group.clear();
            final boolean learn = groups++ % 9 != 8;
            final boolean[] taken = new boolean[KEYS];
            int key = random.nextInt(KEYS);
            while (!taken[key] && !one.group.isFull()) {
                taken[key] = true;
                final boolean labelled = random.nextInt(5) != 0;
                fill(one.group.next(), random.split(), labelled, classification);
                many.group.next().copyFrom(one.group.example(one.group.size()));
                one.add(key, labelled);
                many.add(key, labelled);
                key = random.nextInt(KEYS);
                event++;
            }
            one.step(learn);
            many.step(learn);
            for (int slot = 0; slot < one.group.size(); slot++) {
                final String where = "event group " + groups + " slot " + slot;
                near(one.group.output(slot), many.group.output(slot), where + " output");
                near(one.group.keyState(slot), many.group.keyState(slot), where + " key state");
                near(new float[] {one.group.loss(slot)}, new float[] {many.group.loss(slot)}, where + " loss");
                assertNull(many.group.notLearned(slot), where);
            }
        }
        assertEquals(reference.learned(), batched.learned());
        assertTrue(batched.learned() > 250, "the second stage grew: " + batched.learned());
        near(values(reference), values(batched), "parameters after " + event + " events");
    }

    /**
     * A key's result must not depend on which other keys share its step, or on where a group ends (the
     * engine closes groups at commits): then a replay, or a restart after a crash, that cuts the stream
     * into other groups still gives bit for bit the same model.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("nets")
    void shouldGiveTheSameBitsHoweverTheEventsAreGrouped(final RecurrentCell cell, final String task,
                                                         final String optimizer) {
        final Map<String, Double> resolved = params(cell, task, optimizer);
        final Replica whole = new Replica((RtrlLearner) TYPE.create(resolved, backend));
        final Replica single = new Replica((RtrlLearner) TYPE.create(resolved, backend));
        final SplittableRandom random = new SplittableRandom(cell.ordinal());
        final boolean classification = task.equals("classification");
        for (int group = 0; group < 150; group++) {
            whole.group.clear();
            for (int key = 0; key < 4; key++) {
                fill(whole.group.next(), random.split(), random.nextInt(5) != 0, classification);
                whole.add(key, whole.group.next().labelled());
            }
            whole.step(true);
            for (int slot = 0; slot < 4; slot++) {
                single.group.clear();
                single.group.next().copyFrom(whole.group.example(slot));
                single.add(slot, whole.group.labelled(slot));
                single.step(true);
                assertArrayEquals(whole.group.output(slot), single.group.output(0), "group " + group + " slot " + slot);
                assertArrayEquals(whole.group.keyState(slot), single.group.keyState(0));
            }
        }
        assertArrayEquals(values(whole.learner), values(single.learner));
    }

    /**
     * A target so far from the prediction that the loss would pass the float range (3e38, a finite float)
     * is refused in a batched step as in the one-by-one path: not stepped, nothing learned, and the
     * batched path's float32 gradient never sees it.
     */
    @Test
    void shouldRefuseATargetWhoseLossOverflowsAsTheOneByOnePathDoes() {
        final Map<String, Object> given = Map.of("inputs", 1, "outputs", 1, "hidden", 2, "task", "regression",
                "optimizer", "sgd", "gradientClip", 0, "learningRate", 0.1, "batch", 2);
        final Map<String, Double> resolved = HyperParameters.resolve(TYPE.hyperParameters(),
                HyperParameters.coerce(TYPE.hyperParameters(), given));
        final Replica one = new Replica(new RtrlLearner(RtrlConfig.from(resolved)));
        final Replica many = new Replica((RtrlLearner) TYPE.create(resolved, backend));
        for (final Replica replica : new Replica[] {one, many}) {
            for (int i = 0; i < 2; i++) {
                final DenseExample huge = replica.group.next();
                huge.clear();
                huge.input(1)[0] = 1f;
                huge.target(1)[0] = i == 0 ? 3e38f : 1e19f;
                replica.add(i, true);
            }
            replica.step(true);
            assertTrue(replica.group.notStepped(0).contains("loss"), replica.group.notStepped(0));
            assertNull(replica.group.notStepped(1), "a loss of 1e38 still fits a float");
            assertNull(replica.group.notLearned(1));
            assertEquals(1, replica.learner.learned());
            assertTrue(Float.isFinite(replica.group.loss(1)));
        }
        near(values(one.learner), values(many.learner), "parameters");
    }

    /**
     * A key whose step would overflow its state is refused in a batched step as in the one-by-one path:
     * its state stays as it was, it is not learned from, and the keys around it go on as they would
     * without it.
     */
    @Test
    void shouldRefuseAStepThatWouldOverflowAKeysStateAsTheOneByOnePathDoes() {
        final Map<String, Object> given = Map.of("cell", "mingru", "inputs", 2, "outputs", 1, "hidden", 1,
                "task", "regression", "optimizer", "sgd", "batch", 4, "learningRate", 0.1);
        final Map<String, Double> resolved = HyperParameters.resolve(TYPE.hyperParameters(),
                HyperParameters.coerce(TYPE.hyperParameters(), given));
        final Replica one = new Replica(new RtrlLearner(RtrlConfig.from(resolved)));
        final Replica many = new Replica((RtrlLearner) TYPE.create(resolved, backend));
        for (final Replica replica : new Replica[] {one, many}) {
            RtrlLearnerTest.openUpdateGate(replica.learner);
        }
        final SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 3; round++) {
            one.group.clear();
            many.group.clear();
            for (int key = 0; key < 4; key++) {
                final DenseExample example = one.group.next();
                example.clear();
                final float[] x = example.input(2);
                final boolean huge = round == 1 && key == 1;
                x[0] = huge ? 1e30f : (float) random.nextGaussian();
                x[1] = huge ? 1e30f : (float) random.nextGaussian();
                example.target(1)[0] = x[0] - x[1];
                many.group.next().copyFrom(example);
                one.add(key, true);
                many.add(key, true);
            }
            final float[] oneBefore = one.group.keyState(1).clone();
            final float[] manyBefore = many.group.keyState(1).clone();
            one.step(true);
            many.step(true);
            for (int slot = 0; slot < 4; slot++) {
                final String where = "round " + round + " slot " + slot;
                final boolean refused = round == 1 && slot == 1;
                assertEquals(refused, one.group.notStepped(slot) != null, where);
                assertEquals(refused, many.group.notStepped(slot) != null, where);
                if (refused) {
                    assertArrayEquals(oneBefore, one.group.keyState(slot), where);
                    assertArrayEquals(manyBefore, many.group.keyState(slot), where);
                    continue;
                }
                near(one.group.output(slot), many.group.output(slot), where + " output");
                near(one.group.keyState(slot), many.group.keyState(slot), where + " key state");
            }
        }
        assertEquals(11, one.learner.learned(), "every event but the refused one");
        assertEquals(11, many.learner.learned());
        near(values(one.learner), values(many.learner), "parameters");
    }

    /**
     * A diagonal unit held at h = 0 (no input, no bias) with recurrent weight 2: its bias sensitivity doubles
     * every step, 2^t, and passes the float range at step 128 while the unit's value and the prediction stay
     * 0. Instead of refusing the key from then on, both paths restart its sensitivities at that step, alike.
     */
    @Test
    void shouldRestartSensitivitiesThatAloneWouldOverflowAsTheOneByOnePathDoes() {
        final Map<String, Object> given = Map.of("cell", "diagonal", "inputs", 1, "outputs", 1, "hidden", 1,
                "task", "regression", "batch", 2);
        final Map<String, Double> resolved = HyperParameters.resolve(TYPE.hyperParameters(),
                HyperParameters.coerce(TYPE.hyperParameters(), given));
        final Replica one = new Replica(new RtrlLearner(RtrlConfig.from(resolved)));
        final Replica many = new Replica((RtrlLearner) TYPE.create(resolved, backend));
        for (final Replica replica : new Replica[] {one, many}) {
            final float[] values = values(replica.learner);
            final int unit = replica.learner.network().unitParameters(0);
            java.util.Arrays.fill(values, unit, unit + 3, 0f);
            values[unit + 1] = 2f; // the recurrent weight; W and b are 0
        }
        final int bias = one.learner.network().unitState(0) + 3;
        for (int step = 1; step <= 200; step++) {
            for (final Replica replica : new Replica[] {one, many}) {
                replica.group.clear();
                final DenseExample example = replica.group.next();
                example.clear();
                example.input(1)[0] = 0f;
                replica.add(0, false);
                replica.step(false);
                assertNull(replica.group.notStepped(0), "step " + step);
            }
            final float sensitivity = one.states.get(0)[bias];
            assertEquals(step < 128 ? Math.scalb(1f, step) - 1 : Math.scalb(1f, step - 127) - 1, sensitivity,
                    "the bias sensitivity, 2^t - 1 until it would pass the float range, then from 1 again");
            assertArrayEquals(one.states.get(0), many.states.get(0), "step " + step);
        }
    }

    private static float[] values(final RtrlLearner learner) {
        return ((DenseParameters) learner.parameters()).values();
    }

    private static void fill(final DenseExample example, final SplittableRandom random, final boolean labelled,
                             final boolean classification) {
        example.clear();
        final float[] x = example.input(3);
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) random.nextGaussian();
        }
        if (!labelled) {
            return;
        }
        if (classification) {
            example.setLabel(x[0] + x[1] > 0 ? 1 : random.nextInt(3));
        } else {
            final float[] y = example.target(3);
            for (int o = 0; o < y.length; o++) {
                y[o] = (float) Math.sin(x[o] + o);
            }
        }
    }

    private static void near(final float[] expected, final float[] actual, final String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(actual[i]), what + " [" + i + "]: expected no value, got " + actual[i]);
                continue;
            }
            final double allowed = TOLERANCE * (1 + Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= allowed, what + " [" + i + "]: " + actual[i]
                    + " differs from " + expected[i] + " by more than " + allowed);
        }
    }

    /** A learner with its keys' states, stepping groups as the engine does. */
    private static final class Replica {
        private final RtrlLearner learner;
        private final EventGroup<DenseExample> group;
        private final int[] keys;
        private final Map<Integer, float[]> states = new HashMap<>();

        Replica(final RtrlLearner learner) {
            this.learner = learner;
            this.group = new EventGroup<>(learner.groupCapacity(), DenseExample::new, learner.keyStateSize(),
                    learner.outputSize());
            this.keys = new int[learner.groupCapacity()];
        }

        void add(final int key, final boolean labelled) {
            final int slot = group.add(labelled);
            keys[slot] = key;
            System.arraycopy(states.computeIfAbsent(key, k -> new float[learner.keyStateSize()]), 0,
                    group.keyState(slot), 0, learner.keyStateSize());
        }

        void step(final boolean learn) {
            learner.step(group, learn);
            for (int slot = 0; slot < group.size(); slot++) {
                System.arraycopy(group.keyState(slot), 0, states.get(keys[slot]), 0, learner.keyStateSize());
            }
        }
    }
}
