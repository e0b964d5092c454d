package io.eddy.learners.reco;

import io.eddy.learners.api.EmbeddingTable;

/**
 * The most-popular baseline: every interaction adds to its item's count, and all counts decay by half
 * every {@code halfLife} interactions, so that recent popularity ranks first. Decay costs nothing per
 * event: each new interaction adds a weight that grows by {@code 2^(1/halfLife)}, and the table is
 * rescaled when that weight gets large.
 */
public final class PopularItems {
    private static final float RESCALE_AT = 1e20f;

    private final EmbeddingTable items;
    private final double growth;
    private double weight = 1;

    public PopularItems(final double halfLife, final int expectedItems) {
        if (!(halfLife >= 1) || Double.isInfinite(halfLife)) {
            // below one interaction the per-interaction growth 2^(1/halfLife) passes the rescaling point at once
            throw new IllegalArgumentException("the half-life must be a finite number of interactions from 1, got "
                    + halfLife);
        }
        this.items = new EmbeddingTable(1, 1, 0f, 0, expectedItems);
        this.growth = Math.pow(2, 1 / halfLife);
    }

    public EmbeddingTable items() {
        return items;
    }

    /** Counts an interaction with {@code item} at {@code now}. */
    public void learn(final String item, final long now) {
        final int slot = items.getOrCreate(item, now);
        items.values()[slot] += (float) weight;
        weight *= growth;
        if (weight > RESCALE_AT) {
            final float[] counts = items.values();
            for (int s = 0; s < items.slotLimit(); s++) {
                counts[s] = (float) (counts[s] / weight);
                items.markChanged(s);
            }
            weight = 1;
        }
    }

    /** The decayed count of the item in {@code slot}, in units of an interaction now. */
    public float count(final int slot) {
        return (float) (items.values()[slot] / weight * growth);
    }

    /** Offers every live item, by decayed count, to {@code best} (cleared first). */
    public void topK(final TopK best) {
        best.clear();
        final float[] counts = items.values();
        for (int slot = 0; slot < items.slotLimit(); slot++) {
            if (items.live(slot)) {
                best.offer(slot, counts[slot]);
            }
        }
    }
}
