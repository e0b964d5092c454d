package io.eddy.tests.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.ops.eval.FfEvaluation;
import io.eddy.ops.eval.LibraryRun;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@code eddy eval ff}: 10,000 Fashion-MNIST training images and then 2,000 test
 * images as one labelled stream, a net of one hidden layer of 200, forward-forward and backprop on the
 * same stream. Needs the Debian package {@code dataset-fashion-mnist} (the set-up installs it; the
 * loader's error says how when it is missing).
 *
 * <p>Measured with the current defaults: forward-forward 0.816, backprop 0.819; chance is 0.10. The thresholds sit
 * about 3 points below. A forward-forward layer trained with the wrong sign scores far below chance
 * (the true label's goodness ends up lowest), and one that separates nothing scores near chance.
 */
class FfQualityTest {
    private static FashionMnist train;
    private static FashionMnist test;

    @BeforeAll
    static void load() throws IOException {
        train = FashionMnist.load(FashionMnist.TRAIN);
        test = FashionMnist.load(FashionMnist.TEST);
    }

    @Test
    void forwardForwardLearnsFashionMnistFromAShortStream() {
        final LibraryRun.Figures ff = FfEvaluation.streamed(FfEvaluation.learner("ff", FfEvaluation.QUICK_NET),
                train, test, FfEvaluation.QUICK_TRAIN, FfEvaluation.QUICK_TEST);
        assertEquals(FfEvaluation.QUICK_TEST, ff.measured());
        assertTrue(ff.accuracy() >= 0.78, "forward-forward's prequential accuracy on the test part must reach 0.78: "
                + ff.accuracy());
    }

    @Test
    void backpropBaselineLearnsTheSameStream() {
        final LibraryRun.Figures bp = FfEvaluation.streamed(FfEvaluation.learner("mlp", FfEvaluation.QUICK_NET),
                train, test, FfEvaluation.QUICK_TRAIN, FfEvaluation.QUICK_TEST);
        assertTrue(bp.accuracy() >= 0.79, "backprop's prequential accuracy on the test part must reach 0.79: "
                + bp.accuracy());
    }
}
