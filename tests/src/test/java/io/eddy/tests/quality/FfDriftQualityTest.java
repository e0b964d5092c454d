package io.eddy.tests.quality;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.ops.eval.FfDriftEvaluation;
import io.eddy.ops.eval.FfEvaluation;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@code eddy eval ff --drift}: four segments of 2,500 Fashion-MNIST training
 * images, the labels permuted anew at each segment's start, and a forward-forward net of one hidden
 * layer of 200 with continual backprop. Needs the Debian package {@code dataset-fashion-mnist}.
 *
 * <p>Measured when written: the first window of 250 events after each change 0.19–0.21 (the old
 * mapping is wrong for every class, and the net relearns within the window), each segment's last
 * 1,000 events 0.72–0.78, recovered to within 0.05 of the level before the change in 1,500–2,500
 * events; 209 units replaced. A net that stops learning after a change stays near its first window.
 */
class FfDriftQualityTest {
    @Test
    void forwardForwardWithContinualBackpropRelearnsAfterEveryChange() throws IOException {
        final Map<String, Object> params = new HashMap<>(FfEvaluation.QUICK_NET);
        params.putAll(FfDriftEvaluation.CONTINUAL_BACKPROP);
        final FfDriftEvaluation.Drift drift = FfDriftEvaluation.run(FfEvaluation.learner("ff", params),
                FashionMnist.load(FashionMnist.TRAIN), FfDriftEvaluation.QUICK_SEGMENTS,
                FfDriftEvaluation.QUICK_SEGMENT_EVENTS);
        for (int s = 0; s < FfDriftEvaluation.QUICK_SEGMENTS; s++) {
            if (s > 0) {
                assertTrue(drift.startOf(s) < 0.3, "segment " + s + " starts with a real change: " + drift.startOf(s));
                assertTrue(drift.recoveryEvents(s) > 0, "segment " + s + ": recovered");
            }
            assertTrue(drift.endOf(s) >= 0.66, "segment " + s + " ends at 0.66 or more: " + drift.endOf(s));
        }
        assertTrue(drift.replacedUnits() > 0, "continual backprop replaced units");
    }
}
