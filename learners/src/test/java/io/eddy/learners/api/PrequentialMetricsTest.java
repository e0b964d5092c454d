package io.eddy.learners.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrequentialMetricsTest {

    @Test
    void shouldGiveAucOneForAPerfectRanking() {
        final PrequentialMetrics metrics = of(new float[] {0.1f, 0.2f, 0.7f, 0.9f}, new float[] {0, 0, 1, 1});
        assertEquals(1.0, metrics.auc());
    }

    @Test
    void shouldGiveAucZeroForAReversedRanking() {
        final PrequentialMetrics metrics = of(new float[] {0.9f, 0.8f, 0.3f, 0.1f}, new float[] {0, 0, 1, 1});
        assertEquals(0.0, metrics.auc());
    }

    @Test
    void shouldCountTiesAsOneHalf() {
        assertEquals(0.5, of(new float[] {0.4f, 0.4f, 0.4f}, new float[] {0, 1, 1}).auc());
        // Pairs (positive, negative): (0.5, 0.2) = 1, (0.5, 0.5) = 0.5, (0.8, 0.2) = 1, (0.8, 0.5) = 1.
        assertEquals(3.5 / 4, of(new float[] {0.2f, 0.5f, 0.5f, 0.8f}, new float[] {0, 1, 0, 1}).auc());
    }

    @Test
    void shouldGiveNanAucWhenOnlyOneClassIsInTheWindow() {
        assertTrue(Double.isNaN(of(new float[] {0.2f, 0.9f}, new float[] {1, 1}).auc()));
        assertTrue(Double.isNaN(new PrequentialMetrics(4).auc()));
        assertTrue(Double.isNaN(new PrequentialMetrics(4).logLoss()));
    }

    @Test
    void shouldComputeLogLossAccuracyAndBaseline() {
        final PrequentialMetrics metrics =
                of(new float[] {0.8f, 0.4f, 0.5f, 0.3f}, new float[] {1, 0, 0, 1});
        final double expectedLoss =
                (-Math.log(0.8f) - Math.log(1.0 - 0.4f) - Math.log(1.0 - 0.5f) - Math.log(0.3f)) / 4;
        assertEquals(expectedLoss, metrics.logLoss(), 1e-12);
        assertEquals(0.5, metrics.accuracy(), "0.8->1 and 0.4->0 right; 0.5 counts as 1, 0.3 as 0: wrong");
        assertEquals(0.5, metrics.baseRate());
        assertEquals(Math.log(2), metrics.baselineLogLoss(), 1e-12);
        assertEquals(4, metrics.count());
        assertEquals(4, metrics.total());
    }

    @Test
    void shouldClipConfidentMistakes() {
        final PrequentialMetrics metrics = of(new float[] {0f}, new float[] {1});
        assertEquals(-Math.log(PrequentialMetrics.EPSILON), metrics.logLoss(), 1e-9);
    }

    @Test
    void shouldDropOldValuesAsTheWindowSlides() {
        final PrequentialMetrics metrics = new PrequentialMetrics(2);
        metrics.record(0.1f, 1f); // a bad prediction that will leave the window
        metrics.record(0.9f, 1f);
        metrics.record(0.2f, 0f);
        assertEquals(3, metrics.total());
        assertEquals(2, metrics.count());
        assertEquals((-Math.log(0.9f) - Math.log(1.0 - 0.2f)) / 2, metrics.logLoss(), 1e-12);
        assertEquals(1.0, metrics.accuracy());
        assertEquals(1.0, metrics.auc());
        assertEquals(0.5, metrics.baseRate());
    }

    @Test
    void shouldGiveTheBaseRatesLogLossAsBaseline() {
        final PrequentialMetrics metrics =
                of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {1, 0, 0, 0});
        final double q = 0.25;
        assertEquals(-(q * Math.log(q) + (1 - q) * Math.log(1 - q)), metrics.baselineLogLoss(), 1e-12);
    }

    @Test
    void shouldMatchADirectComputationAfterManyWraps() {
        final int window = 1_000;
        final PrequentialMetrics metrics = new PrequentialMetrics(window);
        final Random random = new Random(5);
        final float[] p = new float[300_123];
        final float[] y = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextFloat();
            y[i] = random.nextFloat() < p[i] ? 1f : 0f;
            metrics.record(p[i], y[i]);
        }
        double loss = 0;
        int correct = 0;
        for (int i = p.length - window; i < p.length; i++) {
            final double pc = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
            loss += y[i] == 1f ? -Math.log(pc) : -Math.log(1 - pc);
            correct += (p[i] >= 0.5f) == (y[i] == 1f) ? 1 : 0;
        }
        assertEquals(loss / window, metrics.logLoss(), 1e-12);
        assertEquals(correct / (double) window, metrics.accuracy());
        assertTrue(metrics.auc() > 0.7, "calibrated random scores rank well: " + metrics.auc());
    }

    @Test
    void shouldRejectInvalidInputs() {
        final PrequentialMetrics metrics = new PrequentialMetrics(3);
        assertThrows(IllegalArgumentException.class, () -> metrics.record(Float.NaN, 1f));
        assertThrows(IllegalArgumentException.class, () -> metrics.record(1.5f, 1f));
        assertThrows(IllegalArgumentException.class, () -> metrics.record(0.5f, 2f));
        assertThrows(IllegalArgumentException.class, () -> new PrequentialMetrics(0));
        assertEquals(0, metrics.count());
        assertEquals(0, metrics.total());
    }

    @Test
    void shouldAllocateNothingWhenRecording() {
        final PrequentialMetrics metrics = new PrequentialMetrics(512);
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            final long start = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++) {
                metrics.record((i % 97) / 97f, (i & 1));
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
        }
        assertTrue(allocated < 4_096, "bytes allocated over 50,000 records: " + allocated);
    }

    private static PrequentialMetrics of(final float[] probabilities, final float[] labels) {
        final PrequentialMetrics metrics = new PrequentialMetrics(probabilities.length);
        for (int i = 0; i < probabilities.length; i++) {
            metrics.record(probabilities[i], labels[i]);
        }
        return metrics;
    }
}
