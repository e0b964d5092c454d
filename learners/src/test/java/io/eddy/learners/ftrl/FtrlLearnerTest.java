package io.eddy.learners.ftrl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.FeatureHasher;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.api.PrequentialMetrics;
import io.eddy.learners.api.SparseExample;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FtrlLearnerTest {
    private static final FtrlType TYPE = new FtrlType();
    private static final float[] NO_KEY_STATE = new float[0];

    /**
     * With beta, l1 and l2 at 0 (all allowed), a feature value of 1e-30 gives a gradient whose square rounds to
     * 0: the feature has no step size yet, so no weight, rather than an infinite one that refused every later
     * event with the feature.
     */
    @Test
    void shouldGiveNoWeightToAFeatureWithoutAStepSizeYet() {
        final FtrlType type = new FtrlType();
        final FtrlLearner learner = (FtrlLearner) type.create(HyperParameters.resolve(type.hyperParameters(),
                Map.of("alpha", 0.1, "beta", 0.0, "l1", 0.0, "l2", 0.0, "hashBits", 8.0)));
        final SparseExample example = new SparseExample();
        example.add(7, 1e-30f);
        example.setLabel(0f);
        learner.learn(example, NO_KEY_STATE);
        assertEquals(0.0, learner.weight(7));
        for (int t = 0; t < 10; t++) {
            example.clear();
            example.add(7, 1f);
            example.setLabel(0f);
            learner.learn(example, NO_KEY_STATE);
        }
        assertTrue(learner.weight(7) < 0, "later events with the feature are learned: " + learner.weight(7));
    }

    @Test
    void shouldBeatTheConstantPredictorOnANoisyLogisticProblem() {
        final FtrlLearner learner = create(Map.of("hashBits", 18.0));
        final PrequentialMetrics metrics = new PrequentialMetrics(10_000);
        final Random random = new Random(7);
        // Ground truth: 5 categorical features of 50 values each with N(0, 1) effects, plus one
        // numeric with weight 0.8; labels drawn from the logistic model, so they are noisy.
        final double[][] effects = new double[5][50];
        for (final double[] group : effects) {
            for (int v = 0; v < group.length; v++) {
                group[v] = random.nextGaussian();
            }
        }
        final SparseExample example = new SparseExample();
        final float[] out = new float[1];
        for (int t = 0; t < 40_000; t++) {
            example.clear();
            double logit = -0.5;
            for (int g = 0; g < effects.length; g++) {
                final int v = random.nextInt(50);
                logit += effects[g][v];
                example.add(categorical(g, v), 1f);
            }
            final float numeric = (float) random.nextGaussian();
            logit += 0.8 * numeric;
            example.add(FeatureHasher.hash("numeric"), numeric);
            example.setLabel(random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1f : 0f);

            learner.predict(example, NO_KEY_STATE, out);
            metrics.record(out[0], example.label());
            learner.learn(example, NO_KEY_STATE);
        }
        // Measured: the constant predictor's loss is 0.689, the learner's 0.445 (the true model's
        // 0.413), AUC 0.885. A learner that does not learn sits at or above the constant's loss.
        assertTrue(metrics.logLoss() < metrics.baselineLogLoss() - 0.15,
                "log loss " + metrics.logLoss() + " vs constant " + metrics.baselineLogLoss());
        assertTrue(metrics.auc() > 0.8, "auc " + metrics.auc());
    }

    @Test
    void shouldMatchThePaperFormulasStepByStep() {
        final double alpha = 0.5;
        final double beta = 1.0;
        final double l1 = 0.05;
        final double l2 = 0.2;
        final FtrlLearner learner = create(Map.of("alpha", alpha, "beta", beta, "l1", l1, "l2", l2, "hashBits", 10.0));
        final int mask = (1 << 10) - 1;
        final int bias = FeatureHasher.BIAS & mask;
        final int a = 1;
        final int b = 2;
        final int c = 3;
        final double[] z = new double[1 << 10];
        final double[] n = new double[1 << 10];

        // Two steps, so the second starts from non-zero weights and exercises sigma * w.
        final int[][] slots = {{bias, a, b}, {bias, a, c}};
        final double[][] xs = {{1, 2, -1}, {1, 1, 0.5}};
        final float[] labels = {1f, 0f};
        final SparseExample example = new SparseExample();
        final float[] out = new float[1];
        for (int step = 0; step < 2; step++) {
            example.clear();
            example.add(slots[step][1], (float) xs[step][1]);
            example.add(slots[step][2], (float) xs[step][2]);
            example.setLabel(labels[step]);

            // Reference: Algorithm 1 of McMahan et al. 2013, in double.
            final double[] w = new double[3];
            double logit = 0;
            for (int k = 0; k < 3; k++) {
                final int i = slots[step][k];
                w[k] = Math.abs(z[i]) <= l1 ? 0
                        : -(z[i] - Math.signum(z[i]) * l1) / ((beta + Math.sqrt(n[i])) / alpha + l2);
                logit += w[k] * xs[step][k];
            }
            final double p = 1 / (1 + Math.exp(-logit));
            final double expectedLoss = labels[step] == 1f ? -Math.log(p) : -Math.log(1 - p);
            for (int k = 0; k < 3; k++) {
                final int i = slots[step][k];
                final double g = (p - labels[step]) * xs[step][k];
                final double sigma = (Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / alpha;
                z[i] += g - sigma * w[k];
                n[i] += g * g;
            }

            learner.predict(example, NO_KEY_STATE, out);
            assertEquals(p, out[0], 1e-6, "prediction at step " + step);
            assertEquals(expectedLoss, learner.learn(example, NO_KEY_STATE), 1e-6, "loss at step " + step);
            final float[] values = ((DenseParameters) learner.parameters()).values();
            for (final int i : new int[] {bias, a, b, c}) {
                assertEquals(z[i], values[2 * i], 1e-6, "z of slot " + i + " after step " + step);
                assertEquals(n[i], values[2 * i + 1], 1e-6, "n of slot " + i + " after step " + step);
            }
        }
        // The weights derived lazily after both steps.
        for (final int i : new int[] {bias, a, b, c}) {
            final double expected = Math.abs(z[i]) <= l1 ? 0
                    : -(z[i] - Math.signum(z[i]) * l1) / ((beta + Math.sqrt(n[i])) / alpha + l2);
            assertEquals(expected, learner.weight(i), 1e-6, "w of slot " + i);
        }
        assertNotEquals(0.0, learner.weight(a), "slot a saw two gradients and should have left the L1 ball");
    }

    @Test
    void shouldKeepRareFeaturesExactlyZeroUnderL1() {
        final FtrlLearner sparse = create(Map.of("l1", 1.0, "hashBits", 16.0));
        final FtrlLearner dense = create(Map.of("l1", 0.0, "hashBits", 16.0));
        final int common = 11;
        final Random random = new Random(3);
        final SparseExample example = new SparseExample();
        for (int t = 0; t < 2_000; t++) {
            example.clear();
            final boolean on = random.nextBoolean();
            example.add(common, on ? 1f : 0f);
            example.add(1_000 + t, 1f); // a feature seen exactly once
            example.setLabel(random.nextDouble() < (on ? 0.9 : 0.1) ? 1f : 0f);
            sparse.learn(example, NO_KEY_STATE);
            dense.learn(example, NO_KEY_STATE);
        }
        int nonZeroWithoutL1 = 0;
        for (int t = 0; t < 2_000; t++) {
            assertEquals(0.0, sparse.weight(1_000 + t), "rare feature " + t + " under l1 = 1");
            if (dense.weight(1_000 + t) != 0.0) {
                nonZeroWithoutL1++;
            }
        }
        // Control: without L1 the same features do get weights, so the zeros above are L1's doing.
        assertTrue(nonZeroWithoutL1 > 1_900, "non-zero rare weights without l1: " + nonZeroWithoutL1);
        assertTrue(sparse.weight(common) > 1.0, "common feature weight " + sparse.weight(common));
    }

    @Test
    void shouldThrowAndLeaveStateByteIdenticalOnANonFiniteUpdate() {
        final FtrlLearner learner = create(Map.of("hashBits", 8.0));
        final SparseExample example = new SparseExample();
        for (int t = 0; t < 50; t++) {
            example.clear();
            example.add(t % 7, 1f);
            example.add(100, 0.5f);
            example.setLabel(t % 3 == 0 ? 1f : 0f);
            learner.learn(example, NO_KEY_STATE);
        }
        final ParameterState state = learner.parameters();
        state.drainChanged(new int[state.blockCount()]);
        final float[] before = snapshot(state);

        example.clear();
        example.add(100, 0.5f);
        example.add(42, 1e30f); // its squared gradient overflows a float
        example.setLabel(1f);
        assertThrows(NonFiniteUpdateException.class, () -> learner.learn(example, NO_KEY_STATE));

        final float[] after = snapshot(state);
        for (int i = 0; i < before.length; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "float " + i);
        }
        assertEquals(0, state.drainChanged(new int[state.blockCount()]), "no block may be marked changed");

        // The learner still works afterwards (its scratch was reset).
        example.clear();
        example.add(100, 0.5f);
        example.setLabel(1f);
        assertTrue(Float.isFinite(learner.learn(example, NO_KEY_STATE)));
    }

    @Test
    void shouldPredictFinitelyAndLearnNothingFromNonFiniteFeatureValues() {
        final FtrlLearner learner = create(Map.of("hashBits", 8.0, "l1", 0.0));
        final SparseExample example = new SparseExample();
        for (int t = 0; t < 20; t++) { // give slot 1 and the bias non-zero weights
            example.clear();
            example.add(1, 1f);
            example.setLabel(1f);
            learner.learn(example, NO_KEY_STATE);
        }
        final float[] out = new float[1];
        learner.predict(example, NO_KEY_STATE, out);
        assertTrue(out[0] > 0.6f, "learned something first: " + out[0]);
        learner.parameters().drainChanged(new int[64]);
        for (final float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            example.clear();
            example.add(1, bad);
            example.setLabel(1f);
            learner.predict(example, NO_KEY_STATE, out);
            // NaN evidence scores 0.5; +infinity times a positive weight is a clipped certainty.
            assertEquals(Float.isNaN(bad) ? 0.5f : 1f, out[0], "prediction for feature value " + bad);
            assertThrows(NonFiniteUpdateException.class, () -> learner.learn(example, NO_KEY_STATE));
            assertEquals(0, learner.parameters().drainChanged(new int[64]), "nothing written for " + bad);
        }
    }

    @Test
    void shouldReportExactlyTheTouchedBlocksAsChanged() {
        final FtrlLearner learner = create(Map.of("hashBits", 12.0));
        final ParameterState state = learner.parameters();
        final int[] drained = new int[state.blockCount()];
        assertEquals(0, state.drainChanged(drained), "a fresh learner has changed nothing");

        final int mask = (1 << 12) - 1;
        final int[] hashes = {5, 6, 40, 1_000, 0x7fff_0000 | 2_000};
        final SparseExample example = new SparseExample();
        for (final int hash : hashes) {
            example.add(hash, 1f);
        }
        example.setLabel(1f);
        learner.learn(example, NO_KEY_STATE);

        final TreeSet<Integer> expected = new TreeSet<>();
        expected.add(2 * (FeatureHasher.BIAS & mask) / FtrlLearner.FLOATS_PER_BLOCK);
        for (final int hash : hashes) {
            expected.add(2 * (hash & mask) / FtrlLearner.FLOATS_PER_BLOCK);
        }
        final int count = state.drainChanged(drained);
        final TreeSet<Integer> actual = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            actual.add(drained[i]);
        }
        assertEquals(expected.size(), count, "each block reported once");
        assertEquals(expected, actual);
        assertEquals(0, state.drainChanged(drained), "drained blocks are not reported again");
    }

    @Test
    void shouldTreatRepeatedSlotsAsOneFeatureWithTheSummedValue() {
        final FtrlLearner repeated = create(Map.of("hashBits", 8.0));
        final FtrlLearner summed = create(Map.of("hashBits", 8.0));
        final SparseExample twice = new SparseExample();
        final SparseExample once = new SparseExample();
        for (int t = 0; t < 20; t++) {
            twice.clear();
            twice.add(9, 0.75f);
            twice.add(9 + 256, 1.25f); // same slot after masking to 8 bits
            twice.add(17, 1f);
            once.clear();
            once.add(9, 2f);
            once.add(17, 1f);
            final float label = t % 2 == 0 ? 1f : 0f;
            twice.setLabel(label);
            once.setLabel(label);
            assertEquals(summed.learn(once, NO_KEY_STATE), repeated.learn(twice, NO_KEY_STATE), 1e-6f, "loss " + t);
        }
        assertArrayEquals(((DenseParameters) summed.parameters()).values(),
                ((DenseParameters) repeated.parameters()).values(), 1e-6f);
    }

    @Test
    void shouldApplyNewHyperParametersOnReconfigure() {
        final Map<String, Double> config = HyperParameters.resolve(TYPE.hyperParameters(), Map.of("hashBits", 10.0));
        final FtrlLearner learner = (FtrlLearner) TYPE.create(config);
        final SparseExample example = new SparseExample();
        example.add(3, 1f);
        example.setLabel(1f);
        for (int t = 0; t < 100; t++) {
            learner.learn(example, NO_KEY_STATE);
        }
        final float[] out = new float[1];
        learner.predict(example, NO_KEY_STATE, out);
        assertTrue(out[0] > 0.7f, "learned a positive weight: " + out[0]);

        final Map<String, Double> strong = HyperParameters.update(TYPE.hyperParameters(), config, Map.of("l1", 1000.0));
        learner.reconfigure(strong);
        learner.predict(example, NO_KEY_STATE, out);
        assertEquals(0.5f, out[0], "l1 = 1000 zeroes every weight");
        assertEquals(1000.0, learner.config().l1());

        learner.reconfigure(config);
        final float[] restored = new float[1];
        learner.predict(example, NO_KEY_STATE, restored);
        assertTrue(restored[0] > 0.7f, "z and n were kept, so the old weights come back: " + restored[0]);

        final Map<String, Double> moreBits = new HashMap<>(config);
        moreBits.put("hashBits", 12.0);
        assertThrows(InvalidConfigException.class, () -> learner.reconfigure(moreBits));
    }

    @Test
    void shouldRejectLabelsOtherThanZeroOrOne() {
        final FtrlLearner learner = create(Map.of("hashBits", 8.0));
        final SparseExample example = new SparseExample();
        example.add(1, 1f);
        assertThrows(IllegalArgumentException.class, () -> learner.learn(example, NO_KEY_STATE));
        example.setLabel(0.5f);
        assertThrows(IllegalArgumentException.class, () -> learner.learn(example, NO_KEY_STATE));
        assertEquals(0, learner.parameters().drainChanged(new int[8]), "rejected examples change nothing");
    }

    @Test
    void shouldGrowScratchForWideExamples() {
        final FtrlLearner learner = create(Map.of("hashBits", 16.0));
        final SparseExample example = new SparseExample();
        for (int i = 0; i < 5_000; i++) {
            example.add(i * 31, 0.01f);
        }
        example.setLabel(1f);
        final float loss = learner.learn(example, NO_KEY_STATE);
        assertEquals(Math.log(2), loss, 1e-6, "first prediction is 0.5");
        final float[] values = ((DenseParameters) learner.parameters()).values();
        assertEquals(-0.005, values[2 * (4_999 * 31 & 0xffff)], 1e-6, "z = g = (0.5 - 1) * 0.01 on the last feature");
    }

    @Test
    void shouldAllocateNothingPerEventOnceWarm() {
        final FtrlLearner learner = create(Map.of("hashBits", 16.0));
        final SparseExample example = new SparseExample();
        final float[] out = new float[1];
        final Random random = new Random(1);
        final int[] hashes = new int[1024];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = random.nextInt();
        }
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            final long start = threads.getCurrentThreadAllocatedBytes();
            for (int t = 0; t < 20_000; t++) {
                example.clear();
                for (int k = 0; k < 12; k++) {
                    example.add(hashes[(t * 7 + k * 13) & 1023], 1f);
                }
                example.setLabel((t & 3) == 0 ? 1f : 0f);
                learner.predict(example, NO_KEY_STATE, out);
                learner.learn(example, NO_KEY_STATE);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
        }
        // One small object per event would already be 20,000 * 16 bytes.
        assertTrue(allocated < 4_096, "bytes allocated over 20,000 events: " + allocated);
    }

    @Test
    void shouldValidateHyperParametersThroughTheType() {
        final var specs = TYPE.hyperParameters();
        final Map<String, Double> defaults = HyperParameters.resolve(specs, Map.of());
        assertEquals(new FtrlConfig(0.1, 1.0, 1.0, 1.0, 20), FtrlConfig.from(defaults));

        final InvalidConfigException unknown =
                assertThrows(InvalidConfigException.class, () -> HyperParameters.resolve(specs, Map.of("gamma", 1.0)));
        assertTrue(unknown.getMessage().contains("gamma"), unknown.getMessage());
        final InvalidConfigException range =
                assertThrows(InvalidConfigException.class, () -> HyperParameters.resolve(specs, Map.of("alpha", 11.0)));
        assertTrue(range.getMessage().contains("alpha"), range.getMessage());
        assertThrows(InvalidConfigException.class, () -> HyperParameters.resolve(specs, Map.of("hashBits", 3.0)));
        assertThrows(InvalidConfigException.class, () -> HyperParameters.resolve(specs, Map.of("hashBits", 27.0)));
        final InvalidConfigException fractional = assertThrows(InvalidConfigException.class,
                () -> HyperParameters.resolve(specs, Map.of("hashBits", 12.5)));
        assertTrue(fractional.getMessage().contains("hashBits"), fractional.getMessage());

        final InvalidConfigException fixed = assertThrows(InvalidConfigException.class,
                () -> HyperParameters.update(specs, defaults, Map.of("hashBits", 18.0)));
        assertTrue(fixed.getMessage().contains("hashBits"), fixed.getMessage());
        final Map<String, Double> updated = HyperParameters.update(specs, defaults, Map.of("alpha", 0.05, "l2", 0.0));
        assertEquals(0.05, updated.get("alpha"));
        assertEquals(0.0, updated.get("l2"));
        assertEquals(20.0, updated.get("hashBits"));
    }

    @Test
    void shouldRejectUnusableConfigsNamingTheField() {
        final InvalidConfigException alpha =
                assertThrows(InvalidConfigException.class, () -> new FtrlConfig(0, 1, 1, 1, 10));
        assertTrue(alpha.getMessage().contains("alpha"), alpha.getMessage());
        final InvalidConfigException missing = assertThrows(InvalidConfigException.class,
                () -> FtrlConfig.from(Map.of("alpha", 0.1, "beta", 1.0, "l1", 1.0, "l2", 1.0)));
        assertTrue(missing.getMessage().contains("hashBits"), missing.getMessage());
    }

    private static FtrlLearner create(final Map<String, Double> given) {
        return (FtrlLearner) TYPE.create(HyperParameters.resolve(TYPE.hyperParameters(), given));
    }

    private static int categorical(final int group, final int value) {
        final char[] chars = Integer.toString(value).toCharArray();
        return FeatureHasher.hash(FeatureHasher.hash("c" + group), chars, 0, chars.length);
    }

    private static float[] snapshot(final ParameterState state) {
        final FloatBuffer buffer = FloatBuffer.allocate(state.blockCount() * state.floatsPerBlock());
        for (int block = 0; block < state.blockCount(); block++) {
            buffer.position(block * state.floatsPerBlock());
            state.readBlock(block, buffer);
        }
        return buffer.array();
    }
}
