package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The heap keeps exactly the k best, best first, the earlier slot first among equal scores. */
class TopKTest {
    @Test
    void shouldKeepTheBestKOfManyLikeASort() {
        final SplittableRandom random = new SplittableRandom(11);
        final float[] scores = new float[10_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(2_000) / 10f;
        }
        final TopK best = new TopK(25);
        for (int i = 0; i < scores.length; i++) {
            best.offer(i, scores[i]);
        }
        final int[] slots = new int[25];
        final float[] top = new float[25];
        assertEquals(25, best.drainBestFirst(slots, top));
        final int[] expected = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
                .limit(25).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, slots);
        for (int i = 0; i < 25; i++) {
            assertEquals(scores[expected[i]], top[i]);
        }
    }

    @Test
    void shouldReturnFewerWhenFewerWereOfferedAndIgnoreNaN() {
        final TopK best = new TopK(5);
        best.offer(3, 1f);
        best.offer(4, Float.NaN);
        best.offer(9, 2f);
        final int[] slots = new int[5];
        final float[] scores = new float[5];
        assertEquals(2, best.drainBestFirst(slots, scores));
        assertArrayEquals(new int[] {9, 3}, Arrays.copyOf(slots, 2));
        assertEquals(0, best.drainBestFirst(slots, scores), "drained");
    }
}
