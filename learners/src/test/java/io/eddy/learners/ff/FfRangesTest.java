package io.eddy.learners.ff;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.Activation;
import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The ends of the ff and mlp types' ranges, the other parameters at their defaults (only the stream's
 * shape set), give a learner that learns an easy, separable stream: ten classes around fixed corners of
 * the cube. The types accept these settings, so they must work; and the config record, which a library
 * user builds by hand, refuses values that would put NaN into the weights.
 */
class FfRangesTest {
    private static final int INPUTS = 20;
    private static final int CLASSES = 10;
    private static final int EVENTS = 1600;

    private static HyperParameter spec(final LearnerType<?> type, final String name) {
        for (final HyperParameter spec : type.hyperParameters()) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    /** What a run of the stream gave: refused updates, and the mean loss over its second half. */
    private record Run(int refused, double loss) {
    }

    @SuppressWarnings("unchecked")
    private static Run run(final LearnerType<?> type, final Map<String, Object> given) {
        final LearnerType<DenseExample> t = (LearnerType<DenseExample>) type;
        final Map<String, Object> params = new HashMap<>(Map.of("inputs", INPUTS, "outputs", CLASSES));
        params.putAll(given);
        final OnlineLearner<DenseExample> learner = t.create(HyperParameters.resolve(t.hyperParameters(),
                HyperParameters.coerce(t.hyperParameters(), params)));
        final float[][] centres = new float[CLASSES][INPUTS];
        final SplittableRandom corners = new SplittableRandom(99);
        for (final float[] centre : centres) {
            for (int j = 0; j < INPUTS; j++) {
                centre[j] = corners.nextBoolean() ? 1f : 0f;
            }
        }
        final SplittableRandom random = new SplittableRandom(3);
        final float[] out = new float[CLASSES];
        final DenseExample example = new DenseExample();
        double sum = 0;
        int refused = 0;
        for (int i = 0; i < EVENTS; i++) {
            example.clear();
            final int label = random.nextInt(CLASSES);
            final float[] x = example.input(INPUTS);
            for (int j = 0; j < INPUTS; j++) {
                x[j] = centres[label][j] + (float) (0.3 * random.nextGaussian());
            }
            example.setLabel(label);
            learner.predict(example, null, out);
            float loss;
            try {
                loss = learner.learn(example, null);
            } catch (final NonFiniteUpdateException e) {
                refused++;
                loss = learner.loss(example, out);
            }
            if (i >= EVENTS / 2) {
                sum += loss;
            }
        }
        return new Run(refused, sum / (EVENTS / 2));
    }

    @Test
    void shouldKeepLearningAtTheSmallestBeta2TheFfTypeAccepts() {
        final FfType ff = new FfType();
        final double beta2 = spec(ff, FfType.BETA2).min();
        final Run run = run(ff, Map.of(FfType.BETA2, beta2));
        // measured with beta2 0 (beta1 at its default 0.9): all but the first few of the 200 micro-batches are
        // refused as non-finite; Adam divides a long memory of the gradient by the last one's size alone
        assertTrue(run.refused() == 0, "beta2 " + beta2 + " is accepted, yet " + run.refused() + " of "
                + EVENTS / 8 + " micro-batches were refused as non-finite (mean loss " + run.loss() + ")");
    }

    @Test
    void shouldKeepLearningAtTheSmallestBeta2TheMlpTypeAccepts() {
        final MlpType mlp = new MlpType();
        final double beta2 = spec(mlp, FfType.BETA2).min();
        final Run run = run(mlp, Map.of(FfType.BETA2, beta2));
        assertTrue(run.refused() == 0, "beta2 " + beta2 + " is accepted, yet " + run.refused() + " of "
                + EVENTS / 8 + " micro-batches were refused as non-finite (mean loss " + run.loss() + ")");
    }

    @Test
    void shouldClassifyBetterThanChanceAtTheLargestLearningRateTheMlpTypeAccepts() {
        final MlpType mlp = new MlpType();
        final double rate = spec(mlp, FfType.LEARNING_RATE).max();
        final Run run = run(mlp, Map.of(FfType.LEARNING_RATE, rate));
        // Adam moves every weight by about the learning rate per step: at 10 the logits swing by thousands
        assertTrue(run.loss() < Math.log(CLASSES), "learningRate " + rate + " is accepted, yet the mean "
                + "cross-entropy over the last " + EVENTS / 2 + " events is " + run.loss() + ", worse than the "
                + "uniform answer's " + Math.log(CLASSES) + " (" + run.refused() + " micro-batches refused)");
    }

    /** A config with the defaults but for the one real setting {@code which} (its index below), set to {@code v}. */
    private static FfConfig config(final int which, final double v) {
        final double[] r = {1.0, 4.0, 10.0, 0.001, 0.9, 0.999, 1.0, 0.0, 0.99, 0.0};
        r[which] = v;
        return new FfConfig(4, 3, 1, 8, Activation.RELU, r[0], true, r[1], r[2], true, r[3], r[4], r[5], 2, true,
                false, true, false, r[6], 1, r[7], 100, r[8], r[9]);
    }

    /** The config refuses it with a config error (the checks the configs share). */
    private static void assertRefused(final String what, final Executable build) {
        assertThrows(InvalidConfigException.class, build, "FfConfig accepts " + what);
    }

    @Test
    void shouldRejectNonFiniteSettingsInTheConfig() {
        final String[] names = {"threshold", "alpha", "labelScale", "learningRate", "beta1", "beta2", "initScale",
            "replacementRate", "utilityDecay", "answerAverage"};
        for (int i = 0; i < names.length; i++) {
            final int which = i;
            assertRefused(names[i] + " NaN", () -> config(which, Double.NaN));
            assertRefused(names[i] + " Infinity", () -> config(which, Double.POSITIVE_INFINITY));
        }
    }

    @Test
    void shouldNotPutNaNIntoTheWeightsOfALearnerBuiltFromAConfig() {
        // learningRate NaN: checked nowhere on the way to the backend's optimiser step, which writes NaN weights
        final FfConfig config;
        try {
            config = config(3, Double.NaN);
        } catch (final IllegalArgumentException | InvalidConfigException e) {
            return; // refused up front
        }
        final BackpropMlpLearner learner = new BackpropMlpLearner(config, new CpuBackend(1, false));
        final DenseExample example = new DenseExample();
        final float[] out = new float[3];
        for (int i = 0; i < 2; i++) {
            example.clear();
            final float[] x = example.input(4);
            x[i] = 1f;
            example.setLabel(i);
            learner.predict(example, null, out);
            try {
                learner.learn(example, null);
            } catch (final NonFiniteUpdateException e) {
                return; // refused, state left as it was
            }
        }
        final float[] values = ((DenseParameters) learner.parameters()).values();
        for (int i = 0; i < values.length; i++) {
            assertTrue(Float.isFinite(values[i]), "parameter " + i + " is " + values[i] + " after one micro-batch");
        }
    }
}
