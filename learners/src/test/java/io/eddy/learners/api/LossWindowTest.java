package io.eddy.learners.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LossWindowTest {
    @Test
    void shouldAverageTheLastWindowOfLossesAndCountTheRightOnes() {
        final LossWindow window = new LossWindow(3);
        window.record(1, true);
        window.record(2, false);
        window.record(3, true);
        window.record(7, true);
        assertEquals(3, window.count());
        assertEquals(4.0, window.meanLoss(), 1e-12);
        assertEquals(2.0 / 3, window.accuracy(), 1e-12);
    }

    /** An infinite loss counts while it is in the window and not after: inf - inf must not stay in the sum. */
    @Test
    void shouldForgetAnInfiniteLossOnceItHasLeftTheWindow() {
        final LossWindow window = new LossWindow(4);
        window.record(Double.POSITIVE_INFINITY, false);
        window.record(1, false);
        assertEquals(Double.POSITIVE_INFINITY, window.meanLoss());
        for (int i = 0; i < 3; i++) {
            window.record(1, false);
        }
        assertEquals(1.0, window.meanLoss());
    }

    /**
     * A huge finite loss absorbs the small ones added beside it in a running sum; once it leaves, they must not
     * be subtracted as they leave (the mean went to -0.2, and an mf model's rmse, its root, to null).
     */
    @Test
    void shouldKeepTheSmallLossesAHugeOneLeftBehind() {
        final LossWindow window = new LossWindow(10);
        window.record(1e30, false);
        for (int i = 0; i < 9; i++) {
            window.record(1, false);
        }
        for (int i = 0; i < 3; i++) {
            window.record(0, false);
        }
        assertEquals(0.7, window.meanLoss(), 1e-12, "seven losses of 1 and three of 0");
    }
}
