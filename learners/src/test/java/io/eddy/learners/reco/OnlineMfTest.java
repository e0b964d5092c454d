package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.NonFiniteUpdateException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Biased MF learns ratings made of biases and tastes far better than biases alone, and refuses bad updates. */
class OnlineMfTest {
    private static final int USERS = 300;
    private static final int ITEMS = 200;
    private static final int RANK = 4;

    /** Prequential RMSE over the last half of 120,000 seeded ratings: 3.5 + biases + tastes + noise. */
    private static double rmse(final int factors) {
        final SplittableRandom random = new SplittableRandom(3);
        final double[][] tastes = new double[USERS][RANK];
        final double[][] traits = new double[ITEMS][RANK];
        final double[] userBias = new double[USERS];
        final double[] itemBias = new double[ITEMS];
        for (int u = 0; u < USERS; u++) {
            userBias[u] = 0.3 * random.nextGaussian();
            for (int f = 0; f < RANK; f++) {
                tastes[u][f] = random.nextGaussian() * 0.6;
            }
        }
        for (int i = 0; i < ITEMS; i++) {
            itemBias[i] = 0.3 * random.nextGaussian();
            for (int f = 0; f < RANK; f++) {
                traits[i][f] = random.nextGaussian() * 0.6;
            }
        }
        final OnlineMf mf = new OnlineMf(new OnlineMf.Config(factors, 0.05, 0.02, 0.1, 1), 16);
        final float[][] users = new float[USERS][OnlineMf.userStateSize(factors)];
        double squares = 0;
        int measured = 0;
        for (int n = 0; n < 120_000; n++) {
            final int u = random.nextInt(USERS);
            final int i = random.nextInt(ITEMS);
            double r = 3.5 + userBias[u] + itemBias[i] + 0.2 * random.nextGaussian();
            for (int f = 0; f < RANK; f++) {
                r += tastes[u][f] * traits[i][f];
            }
            final float predicted = mf.learn(users[u], "u" + u, "i" + i, (float) r, n);
            if (n >= 60_000) {
                squares += (predicted - r) * (predicted - r);
                measured++;
            }
        }
        return Math.sqrt(squares / measured);
    }

    @Test
    void shouldLearnTastesThatBiasesAloneCannot() {
        final double biases = rmse(0);
        final double factors = rmse(8);
        // the tastes' part has a standard deviation of about 0.72 and the noise 0.2; measured when
        // written: biases 0.775, factors 0.322 (and 0.757 with a learning rate of 0.02: too slow a start)
        assertTrue(biases > 0.6, "biases alone cannot explain the tastes: " + biases);
        assertTrue(factors < 0.5 * biases, "factors " + factors + " against biases " + biases);
    }

    @Test
    void shouldPredictTheMeanForStrangersAndChangeNothingWhenPredicting() {
        final OnlineMf mf = new OnlineMf(new OnlineMf.Config(4, 0.05, 0.01, 0.1, 1), 4);
        final float[] alice = new float[OnlineMf.userStateSize(4)];
        mf.learn(alice, "alice", "book", 4f, 0);
        mf.learn(alice, "alice", "film", 2f, 1);
        assertEquals(3.0, mf.mean(), 1e-9);
        final float[] stranger = new float[OnlineMf.userStateSize(4)];
        assertEquals(3f, mf.predict(stranger, "unknown item"), 1e-6f);
        final float[] before = alice.clone();
        final float[] items = mf.items().values().clone();
        mf.predict(alice, "book");
        assertArrayEquals(before, alice);
        assertArrayEquals(items, mf.items().values());
    }

    @Test
    void shouldRefuseANonFiniteRatingOrUpdateAndLeaveEverythingAsItWas() {
        final OnlineMf mf = new OnlineMf(new OnlineMf.Config(4, 10, 0.01, 0.1, 1), 4);
        final float[] bob = new float[OnlineMf.userStateSize(4)];
        mf.learn(bob, "bob", "song", 5f, 0);
        final float[] before = bob.clone();
        final float[] items = mf.items().values().clone();
        assertThrows(NonFiniteUpdateException.class, () -> mf.learn(bob, "bob", "song", Float.NaN, 1));
        assertThrows(NonFiniteUpdateException.class, () -> mf.learn(bob, "bob", "new", 3e38f, 1));
        assertArrayEquals(before, bob);
        assertArrayEquals(items, mf.items().values());
        assertEquals(-1, mf.items().find("new"), "the refused rating left no row behind");
        assertEquals(5.0, mf.mean(), 1e-9);
    }
}
