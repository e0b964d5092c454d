package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.learners.api.EmbeddingTable;
import org.junit.jupiter.api.Test;

/** Counts decay by half every half-life, through any number of rescalings, and rank recent popularity first. */
class PopularItemsTest {
    @Test
    void shouldRankRecentPopularityFirst() {
        final PopularItems popular = new PopularItems(50, 4);
        for (int i = 0; i < 100; i++) {
            popular.learn("old hit", i);
        }
        for (int i = 0; i < 60; i++) {
            popular.learn("new hit", 100 + i);
        }
        popular.learn("once", 160);
        final TopK best = new TopK(3);
        popular.topK(best);
        final int[] slots = new int[3];
        best.drainBestFirst(slots, new float[3]);
        final EmbeddingTable items = popular.items();
        assertArrayEquals(new String[] {"new hit", "old hit", "once"},
                new String[] {items.id(slots[0]), items.id(slots[1]), items.id(slots[2])});
        assertEquals(1f, popular.count(items.find("once")), 1e-5f, "the latest interaction counts 1");
    }

    @Test
    void shouldKeepDecayingExactlyThroughRescaling() {
        final PopularItems popular = new PopularItems(1, 4);
        popular.learn("a", 0);
        for (int i = 1; i <= 200; i++) {
            popular.learn("b", i);
        }
        // 2^200 is far past the rescaling point; b's count is the geometric sum 1 + 1/2 + ... -> 2
        assertEquals(2f, popular.count(popular.items().find("b")), 1e-5f);
        assertEquals(0f, popular.count(popular.items().find("a")), 1e-30f);
    }

    /**
     * A half-life under one interaction is refused: its per-interaction growth passed the float range at once,
     * so the item just counted read 0 (half-life 0.005) or NaN (1e-4).
     */
    @Test
    void shouldRefuseAHalfLifeUnderOneInteraction() {
        for (final double halfLife : new double[] {0.999, 0.005, 1e-4, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new PopularItems(halfLife, 4), "" + halfLife);
        }
    }
}
