package io.eddy.tests.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.ops.eval.FfEvaluation;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's full-size targets, as {@code ./eddy eval ff} measures them: one pass over the 60,000 Fashion-MNIST
 * training images as a stream, then the 10,000 test images streamed with labels, forward-forward and backprop
 * of two hidden layers of 500 in the same run; and several passes in library mode. Minutes each, so tagged
 * "long": {@code mvn -B verify -Plong -pl tests -Dgroups=long} runs them. Needs the Debian package
 * {@code dataset-fashion-mnist}.
 *
 * <p>Measured (docs/benchmarks.md): one pass, forward-forward 0.8540 (0.8523 on an AVX-512 host) and backprop
 * 0.8648; 20 passes with the learning rate × 0.85 after each, 0.8922. The targets are the issue's own: the
 * margins are what those runs left, a few tenths of a point, so a host whose float arithmetic rounds another
 * way may land on either side of them.
 */
@Tag("long")
class FfFullQualityTest {

    /** One pass: forward-forward at least 85 % on the test part, and within 3 points of backprop. */
    @Test
    void onePassReachesEightyFivePercentWithinThreePointsOfBackprop() throws IOException {
        final Map<String, Object> figures = quiet(0, 1.0);
        final double ff = (Double) figures.get("ff_accuracy");
        final double bp = (Double) figures.get("bp_accuracy");
        assertTrue(ff >= 0.85, "forward-forward " + ff + " on the test part, target 0.85");
        assertTrue(ff >= bp - 0.03, "forward-forward " + ff + ", backprop " + bp + ": more than 3 points apart");
    }

    /** Several passes in library mode: forward-forward's test accuracy at least 89 %. */
    @Test
    void severalPassesReachEightyNinePercent() throws IOException {
        final Map<String, Object> figures = quiet(20, 0.85);
        final double ff = (Double) figures.get("ff_test_accuracy_after_passes");
        assertTrue(ff >= 0.89, "forward-forward " + ff + " after 20 passes, target 0.89");
    }

    /** The evaluation's figures; its lines go to this test's output file, for the record. */
    private static Map<String, Object> quiet(final int passes, final double passDecay) throws IOException {
        return new FfEvaluation(System.out, false, passes, passDecay).run();
    }
}
