package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.NonFiniteUpdateException;
import io.eddy.learners.api.OnlineLearner;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The largest value of each step-size range of a recommendation type, the others at their defaults, gives a
 * learner that learns: with the ranges as they were (learningRate to 10, regularization to 100, initScale to
 * 10) each one's SGD step overshot, grew geometrically and ended refusing every event as non-finite. Larger
 * steps together can still diverge once factors grow; the learner then refuses the updates, as for any net.
 */
class RecoRangesTest {

    private static double max(final RecoType type, final String name) {
        for (final HyperParameter spec : type.hyperParameters()) {
            if (spec.name().equals(name)) {
                return spec.max();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    /**
     * Learns a small, perfectly consistent stream (every user rates every item 4) and returns how many
     * events were refused. The type's ranges accepted the settings, so the learner must build.
     */
    private static int refusals(final RecoType type, final Map<String, Double> given) {
        final OnlineLearner<RecoExample> learner = type.create(HyperParameters.resolve(type.hyperParameters(),
                given));
        final float[][] users = new float[5][learner.keyStateSize()];
        final RecoExample example = new RecoExample();
        final SplittableRandom random = new SplittableRandom(7);
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            final int user = random.nextInt(users.length);
            example.interaction("u" + user, "i" + random.nextInt(10), type.name().equals(RecoType.MF) ? 4f : Float.NaN);
            try {
                final float loss = learner.learn(example, users[user]);
                assertTrue(Float.isFinite(loss), "event " + i + ": loss " + loss);
            } catch (final NonFiniteUpdateException e) {
                refused++;
            }
        }
        return refused;
    }

    @Test
    void shouldLearnConstantRatingsAtTheLargestLearningRateTheMfTypeAccepts() {
        final RecoType mf = RecoType.mf();
        final double rate = max(mf, RecoType.LEARNING_RATE);
        final int refused = refusals(mf, Map.of(RecoType.LEARNING_RATE, rate));
        assertTrue(refused == 0, "learningRate " + rate + " is accepted, yet the model diverged and refused "
                + refused + " of 500 ratings that are all 4");
    }

    @Test
    void shouldLearnConstantRatingsAtTheLargestRegularizationTheMfTypeAccepts() {
        final RecoType mf = RecoType.mf();
        final double reg = max(mf, RecoType.REGULARIZATION);
        final int refused = refusals(mf, Map.of(RecoType.REGULARIZATION, reg));
        assertTrue(refused == 0, "regularization " + reg + " (with the default learningRate) is accepted, yet "
                + "the shrinkage step overshoots and the model refused " + refused + " of 500 ratings");
    }

    @Test
    void shouldLearnAtTheLargestRegularizationTheImplicitTypeAccepts() {
        final RecoType implicit = RecoType.implicit();
        final double reg = max(implicit, RecoType.REGULARIZATION);
        final int refused = refusals(implicit, Map.of(RecoType.REGULARIZATION, reg));
        assertTrue(refused == 0, "regularization " + reg + " (with the default learningRate) is accepted, yet "
                + "the model diverged and refused " + refused + " of 500 interactions");
    }

    @Test
    void shouldLearnAtTheLargestLearningRateTheImplicitTypeAccepts() {
        final RecoType implicit = RecoType.implicit();
        final double rate = max(implicit, RecoType.LEARNING_RATE);
        final int refused = refusals(implicit, Map.of(RecoType.LEARNING_RATE, rate));
        assertTrue(refused == 0, "learningRate " + rate + " is accepted, yet the model diverged and refused "
                + refused + " of 500 interactions");
    }

    @Test
    void shouldLearnConstantRatingsAtTheLargestInitScaleTheMfTypeAccepts() {
        final RecoType mf = RecoType.mf();
        final double scale = max(mf, RecoType.INIT_SCALE);
        final int refused = refusals(mf, Map.of(RecoType.INIT_SCALE, scale));
        assertTrue(refused == 0, "initScale " + scale + " (with the default 32 factors and learningRate) is "
                + "accepted, yet the model diverged and refused " + refused + " of 500 ratings");
    }

    @Test
    void shouldRejectNonFiniteRatesInTheModelConfigs() {
        assertThrows(IllegalArgumentException.class, () -> new OnlineMf.Config(4, Double.NaN, 0.02, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OnlineMf.Config(4, 0.1, Double.NaN, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OnlineMf.Config(4, 0.1, 0.02, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new OnlineMf.Config(4, Double.POSITIVE_INFINITY, 0.02, 0.1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ImplicitMf.Config(4, Double.NaN, 0.005, 4, 0.1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ImplicitMf.Config(4, 0.05, 0.005, 4, Double.POSITIVE_INFINITY, 1));
        // a shrinkage factor 1 - lr·reg at or below 0 flips or grows the weights each event: no new model of
        // either type can have one (a stored one may, and still runs: the configs do not refuse it)
        for (final RecoType type : new RecoType[] {RecoType.mf(), RecoType.implicit()}) {
            assertTrue(max(type, RecoType.LEARNING_RATE) * max(type, RecoType.REGULARIZATION) < 1, type.name());
        }
    }
}
