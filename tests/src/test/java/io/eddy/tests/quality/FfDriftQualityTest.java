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
 * The short version of {@code eddy eval ff --drift}: four segments of 4,000 Fashion-MNIST training
 * images, the labels permuted anew at each segment's start, and a forward-forward net of one hidden
 * layer of 200 with continual backprop. Needs the Debian package {@code dataset-fashion-mnist}.
 *
 * <p>The first window of 250 events after a change is below 0.3: the old mapping is wrong for every
 * class. Measured on hosts with 8 and with 16 float lanes (their sums round apart, so the figures differ
 * a little): each segment's last 1,000 events 0.74–0.76, recovered to within 0.05 of the level before
 * the change in 750–2,250 events; 346 units replaced. With segments of 2,500 one change was recovered
 * from 250 events before its segment's end on the one host and not at all on the other: too short to
 * tell. A net that stops learning after a change stays near its first window.
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
