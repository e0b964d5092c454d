package io.eddy.learners.rtrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.learners.api.DenseExample;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The baseline of the trace tasks: with a window that covers the whole sequence its first update is
 * RTRL's exact one, so the loss of the next event is the same; once the readout has learned (it starts
 * at zero, so the first gradient reaches no earlier step), a short window drops the earlier steps' share
 * of the gradient, and later losses differ from a whole window's.
 */
class TruncatedBpttTrainerTest {
    private static final int UNLABELLED = 12;

    @ParameterizedTest
    @EnumSource(RecurrentCell.class)
    void shouldMakeRtrlsFirstUpdateWithAWholeWindowAndAnotherWithAShortOne(final RecurrentCell cell) {
        final RtrlConfig config = new RtrlConfig(cell, 3, 5, 1, 1_000_000, 3, true, false, 0.5, 0.9, 0.999, 0,
                1, 1.0, 7);
        final double rtrl = lastLoss(config, 0, UNLABELLED);
        final double whole = lastLoss(config, UNLABELLED + 1, UNLABELLED);
        assertEquals(rtrl, whole, 1e-5 * Math.abs(rtrl), cell + ": a whole window is RTRL's exact gradient");
        final double wholeLater = lastLoss(config, UNLABELLED + 1, UNLABELLED - 4);
        final double shortLater = lastLoss(config, 2, UNLABELLED - 4);
        assertTrue(Math.abs(wholeLater - shortLater) > 1e-4 * Math.abs(wholeLater), cell + ": a window of 2 "
                + "learns otherwise: " + wholeLater + " and " + shortLater);
    }

    /**
     * Unlabelled steps, labelled ones from {@code firstLabelled} on (each updates), then the loss of one
     * more event; window 0: RTRL.
     */
    private static double lastLoss(final RtrlConfig config, final int window, final int firstLabelled) {
        final RtrlLearner learner = window == 0 ? new RtrlLearner(config) : null;
        final TruncatedBpttTrainer trainer = window == 0 ? null : new TruncatedBpttTrainer(config, window);
        final float[] keyState = learner == null ? null : new float[learner.keyStateSize()];
        final float[] out = new float[config.outputs()];
        final SplittableRandom random = new SplittableRandom(11);
        final DenseExample example = new DenseExample();
        for (int step = 0; step <= UNLABELLED + 1; step++) {
            example.clear();
            final float[] x = example.input(config.inputs());
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            final boolean labelled = step >= firstLabelled;
            if (labelled) {
                example.setLabel(step % 3);
            }
            if (trainer != null) {
                final double loss = trainer.step(x, labelled ? example : null);
                if (step == UNLABELLED + 1) {
                    return loss;
                }
                continue;
            }
            learner.predict(example, keyState, out);
            if (step == UNLABELLED + 1) {
                return learner.loss(example, out);
            }
            if (labelled) {
                learner.learn(example, keyState);
            }
        }
        throw new AssertionError("unreachable");
    }
}
