package io.eddy.tests.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.connectors.dataset.FashionMnistStream;
import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.ops.eval.FfEvaluation;
import io.eddy.ops.eval.LibraryRun;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short net of {@code eddy eval ff --quick} with each type's defaults (the one-pass settings that
 * {@code eval ff} adds are tuned for its full run): 10,000 Fashion-MNIST training images and then 2,000
 * test images as one labelled stream, a net of one hidden layer of 200, forward-forward and backprop on
 * the same stream. Needs the Debian package {@code dataset-fashion-mnist} (the set-up installs it; the
 * loader's error says how when it is missing).
 *
 * <p>Measured with the current defaults: forward-forward 0.816 (0.8145 on an AVX-512 host), backprop 0.819,
 * and a linear model (softmax regression, no hidden layer) 0.802 on the same stream; chance is 0.10. The
 * thresholds sit about 3 points below; forward-forward must come within 3 points of backprop in the same
 * run (the full run's target), and both must beat the linear model, which a net whose hidden layer learns
 * nothing does not. A forward-forward layer trained with the wrong sign scores far below
 * chance (the true label's goodness ends up lowest), and one that separates nothing scores near chance.
 */
class FfQualityTest {
    private static LibraryRun.Figures forwardForward;
    private static LibraryRun.Figures backprop;
    private static double linear;

    @BeforeAll
    static void runBothNets() throws IOException {
        final FashionMnist train = FashionMnist.load(FashionMnist.TRAIN);
        final FashionMnist test = FashionMnist.load(FashionMnist.TEST);
        forwardForward = FfEvaluation.streamed(FfEvaluation.learner("ff", FfEvaluation.QUICK_NET), train, test,
                FfEvaluation.QUICK_TRAIN, FfEvaluation.QUICK_TEST);
        backprop = FfEvaluation.streamed(FfEvaluation.learner("mlp", FfEvaluation.QUICK_NET), train, test,
                FfEvaluation.QUICK_TRAIN, FfEvaluation.QUICK_TEST);
        linear = linearAccuracy(FashionMnistStream.of(List.of(train), FfEvaluation.QUICK_TRAIN, 1),
                FashionMnistStream.of(List.of(test), FfEvaluation.QUICK_TEST, 1));
    }

    /**
     * A model without a hidden layer on the same stream: softmax regression on the pixels, SGD at 0.005 per
     * event (its best of 0.002 to 0.02 here), answering each event before learning it. Its prequential
     * accuracy on the test part, the level a net whose hidden layer learns nothing useful stays near.
     */
    private static double linearAccuracy(final SequenceStream training, final SequenceStream testing) {
        final int inputs = FashionMnist.PIXELS;
        final int classes = FashionMnist.CLASSES;
        final double[] w = new double[classes * (inputs + 1)];
        final double[] p = new double[classes];
        long right = 0;
        long measured = 0;
        for (final SequenceStream stream : List.of(training, testing)) {
            while (stream.hasNext()) {
                final SequenceEvent event = stream.next();
                final float[] x = event.x();
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    double z = w[c * (inputs + 1) + inputs];
                    for (int j = 0; j < inputs; j++) {
                        z += w[c * (inputs + 1) + j] * x[j];
                    }
                    p[c] = z;
                    best = z > p[best] ? c : best;
                }
                double sum = 0;
                final double max = p[best];
                for (int c = 0; c < classes; c++) {
                    p[c] = Math.exp(p[c] - max);
                    sum += p[c];
                }
                if (stream == testing) {
                    measured++;
                    right += best == event.label() ? 1 : 0;
                }
                for (int c = 0; c < classes; c++) {
                    final double g = 0.005 * ((c == event.label() ? 1 : 0) - p[c] / sum);
                    for (int j = 0; j < inputs; j++) {
                        w[c * (inputs + 1) + j] += g * x[j];
                    }
                    w[c * (inputs + 1) + inputs] += g;
                }
            }
        }
        return (double) right / measured;
    }

    @Test
    void forwardForwardLearnsFashionMnistFromAShortStream() {
        assertEquals(FfEvaluation.QUICK_TEST, forwardForward.measured());
        assertTrue(forwardForward.accuracy() >= 0.78, "forward-forward's prequential accuracy on the test part must "
                + "reach 0.78: " + forwardForward.accuracy());
    }

    @Test
    void backpropBaselineLearnsTheSameStream() {
        assertTrue(backprop.accuracy() >= 0.79, "backprop's prequential accuracy on the test part must reach 0.79: "
                + backprop.accuracy());
    }

    /**
     * Both nets beat a model without a hidden layer on the same stream: a backprop net whose hidden layer
     * learned nothing (fixed random features under a trained head) stays about at the linear model's level.
     */
    @Test
    void bothNetsBeatALinearModelOnTheSameStream() {
        System.out.printf("quick Fashion-MNIST stream: forward-forward %.4f, backprop %.4f, linear %.4f%n",
                forwardForward.accuracy(), backprop.accuracy(), linear);
        assertTrue(linear > 0.7, "the linear baseline itself learns: " + linear);
        assertTrue(backprop.accuracy() >= linear + 0.01, "backprop " + backprop.accuracy() + " against linear "
                + linear);
        assertTrue(forwardForward.accuracy() >= linear, "forward-forward " + forwardForward.accuracy()
                + " against linear " + linear);
    }

    @Test
    void forwardForwardComesWithinThreePointsOfBackpropOnTheSameStream() {
        assertTrue(forwardForward.accuracy() >= backprop.accuracy() - 0.03, "forward-forward " + forwardForward
                .accuracy() + " against backprop " + backprop.accuracy());
    }
}
