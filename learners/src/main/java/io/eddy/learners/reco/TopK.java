package io.eddy.learners.reco;

/**
 * The k best of a stream of (slot, score) pairs: a min-heap of k entries on plain arrays, so that
 * scanning 100,000 items allocates nothing and costs O(n log k).
 */
public final class TopK {
    private final int capacity;
    private int k;
    private final int[] slots;
    private final float[] scores;
    private int size;

    public TopK(final int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1");
        }
        this.capacity = k;
        this.k = k;
        this.slots = new int[k];
        this.scores = new float[k];
    }

    public int capacity() {
        return capacity;
    }

    /** Keeps only the best {@code limit} (at most the capacity) from now on; empties it. */
    public void limit(final int limit) {
        if (limit < 1 || limit > capacity) {
            throw new IllegalArgumentException("the limit must lie in [1, " + capacity + "]");
        }
        k = limit;
        size = 0;
    }

    /** Empties it for a new request. */
    public void clear() {
        size = 0;
    }

    /** Offers a candidate; NaN scores are ignored. Ties keep the earlier slot. */
    public void offer(final int slot, final float score) {
        if (score != score) {
            return;
        }
        if (size < k) {
            slots[size] = slot;
            scores[size] = score;
            up(size++);
        } else if (score > scores[0]) {
            slots[0] = slot;
            scores[0] = score;
            down(0);
        }
    }

    /** The lowest score held once it is full (a candidate must beat it), else negative infinity. */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /**
     * Sorts the entries best first into {@code outSlots} and {@code outScores} and returns how many;
     * empties it.
     */
    public int drainBestFirst(final int[] outSlots, final float[] outScores) {
        final int n = size;
        for (int i = n - 1; i >= 0; i--) {
            outSlots[i] = slots[0];
            outScores[i] = scores[0];
            size--;
            slots[0] = slots[size];
            scores[0] = scores[size];
            down(0);
        }
        return n;
    }

    private void up(final int from) {
        int i = from;
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            if (!lower(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(final int from) {
        int i = from;
        while (true) {
            final int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            final int right = left + 1;
            final int lowest = right < size && lower(right, left) ? right : left;
            if (!lower(lowest, i)) {
                return;
            }
            swap(i, lowest);
            i = lowest;
        }
    }

    /** Whether entry a ranks below entry b: a lower score, or the same score and a later slot. */
    private boolean lower(final int a, final int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && slots[a] > slots[b]);
    }

    private void swap(final int a, final int b) {
        final int s = slots[a];
        slots[a] = slots[b];
        slots[b] = s;
        final float v = scores[a];
        scores[a] = scores[b];
        scores[b] = v;
    }
}
