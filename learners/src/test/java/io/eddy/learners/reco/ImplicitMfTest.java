package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.EmbeddingTable;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BPR from positive feedback: users of two kinds, each interacting only with its own kind of items,
 * get their own kind recommended, which popularity cannot do; and one interaction of a new user
 * shows in that user's very next top-k.
 */
class ImplicitMfTest {
    private static final int ITEMS = 100;

    private static ImplicitMf trained(final PopularItems popular) {
        final ImplicitMf bpr = new ImplicitMf(new ImplicitMf.Config(8, 0.05, 0.005, 4, 0.1, 1), 16);
        final float[][] users = new float[200][ImplicitMf.userStateSize(8)];
        final SplittableRandom random = new SplittableRandom(9);
        for (int n = 0; n < 40_000; n++) {
            final int u = random.nextInt(200);
            // users below 100 like items below 50 and the others the rest; item popularity is skewed
            final int item = (u < 100 ? 0 : 50) + (int) (50 * Math.pow(random.nextDouble(), 2));
            bpr.learn(users[u], "u" + u, "i" + item, n);
            popular.learn("i" + item, n);
        }
        return bpr;
    }

    private static int ownKind(final EmbeddingTable items, final TopK best, final boolean low) {
        final int[] slots = new int[best.capacity()];
        final int n = best.drainBestFirst(slots, new float[best.capacity()]);
        int own = 0;
        for (int r = 0; r < n; r++) {
            final int item = Integer.parseInt(items.id(slots[r]).substring(1));
            own += (item < 50) == low ? 1 : 0;
        }
        return own;
    }

    @Test
    void shouldRecommendEachUserTheirOwnKindOfItems() {
        final PopularItems popular = new PopularItems(10_000, 16);
        final ImplicitMf bpr = trained(popular);
        final float[][] users = new float[200][ImplicitMf.userStateSize(8)];
        // re-learn two users' histories into fresh states to read them: the trained ones live in the helper
        final SplittableRandom random = new SplittableRandom(10);
        for (int n = 0; n < 40; n++) {
            bpr.learn(users[0], "u0", "i" + random.nextInt(50), 40_000 + n);
            bpr.learn(users[150], "u150", "i" + (50 + random.nextInt(50)), 40_000 + n);
        }
        final TopK best = new TopK(10);
        bpr.topK(users[0], null, best);
        final int lowForLow = ownKind(bpr.items(), best, true);
        bpr.topK(users[150], null, best);
        final int highForHigh = ownKind(bpr.items(), best, false);
        assertTrue(lowForLow >= 9 && highForHigh >= 9, "own kind in the top 10: " + lowForLow + ", " + highForHigh);
        popular.topK(best);
        final int popularLow = ownKind(popular.items(), best, true);
        assertTrue(popularLow > 2 && popularLow < 8, "popularity mixes both kinds: " + popularLow);
    }

    @Test
    void shouldShowOneInteractionInTheNextTopK() {
        final ImplicitMf bpr = trained(new PopularItems(10_000, 16));
        final float[] newcomer = new float[ImplicitMf.userStateSize(8)];
        final TopK best = new TopK(10);
        bpr.topK(newcomer, null, best);
        final int before = ownKind(bpr.items(), best, false);
        bpr.learn(newcomer, "newcomer", "i60", 50_000);
        bpr.topK(newcomer, null, best);
        final int after = ownKind(bpr.items(), best, false);
        assertTrue(after >= 7 && after > before, "after one interaction, items like it: before " + before + ", after "
                + after);
    }

    /**
     * A positive item scored 800 below its negative: exp(800) overflows a double, but the BPR step is
     * finite (its gradient weight is 1) and its loss is 800, so the step is taken.
     */
    @Test
    void shouldLearnAPositiveFarBelowItsNegative() {
        final ImplicitMf bpr = new ImplicitMf(new ImplicitMf.Config(2, 0.05, 0.005, 1, 0.1, 1), 4);
        bpr.items().restore("a", 0, 0, new float[] {-800f, 0f, 0f}, 0);
        bpr.items().restore("b", 1, 0, new float[] {0f, 0f, 0f}, 0);
        final float[] user = new float[ImplicitMf.userStateSize(2)];
        final double loss = bpr.learn(user, "u", "a", 1);
        assertEquals(800, loss, 1e-9);
        assertTrue(bpr.items().values()[0] > -800f, "the positive's bias rose");
    }
}
