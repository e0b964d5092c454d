package io.eddy.learners.reco;

import io.eddy.learners.api.EmbeddingTable;

/**
 * Scores of items whose rows are {@code [bias, factors...]} for a user's factors: {@code b_i + p_u·q_i},
 * one item or every live item into a {@link TopK}. The scan reads the table's slab in order.
 */
final class ItemScores {
    private ItemScores() {
    }

    /** The score of the item in {@code slot}; with {@code known} false, the user's factors count as zero. */
    static float score(final EmbeddingTable items, final float[] user, final int userAt, final boolean known,
                       final int slot) {
        final float[] q = items.values();
        final int at = slot * items.width();
        float s = q[at];
        if (known) {
            final int factors = items.width() - 1;
            for (int f = 0; f < factors; f++) {
                s += user[userAt + f] * q[at + 1 + f];
            }
        }
        return s;
    }

    /** Offers every live item but {@code skip}'s to {@code best}, cleared first. */
    static void topK(final EmbeddingTable items, final float[] user, final int userAt, final boolean known,
                     final SlotFilter skip, final TopK best) {
        best.clear();
        final int limit = items.slotLimit();
        for (int slot = 0; slot < limit; slot++) {
            if (items.live(slot) && (skip == null || !skip.skip(slot))) {
                best.offer(slot, score(items, user, userAt, known, slot));
            }
        }
    }
}
