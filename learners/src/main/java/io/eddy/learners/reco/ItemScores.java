package io.eddy.learners.reco;

import io.eddy.kernels.cpu.Dots;
import io.eddy.learners.api.EmbeddingTable;

/**
 * New users' states, and scores of items whose rows are {@code [bias, factors...]} for a user's
 * factors: {@code b_i + p_u·q_i}, one item or every live item into a {@link TopK}. The scan reads the
 * table's slab in order.
 */
final class ItemScores {
    /** Users' factors are drawn from another stream than items', so that a user and an item of one id differ. */
    private static final long USER_SEED = 0x5EEDL;

    private ItemScores() {
    }

    /**
     * The user's state, or for a user not seen yet (flag 0 at index 0) a new one in {@code scratch}:
     * seen, {@code zeroed - 1} zeros (biases), then factors seeded by the id alone.
     */
    static float[] userOrNew(final float[] user, final float[] scratch, final long seed, final String userId,
                             final float initScale, final int zeroed) {
        if (user[0] != 0f) {
            return user;
        }
        EmbeddingTable.seededRow(seed ^ USER_SEED, userId, initScale, zeroed, scratch, 0, scratch.length);
        scratch[0] = 1f;
        return scratch;
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

    /**
     * Offers every live item but {@code skip}'s to {@code best}, cleared first. The dot products run
     * on four partial sums, so that the additions need not wait on each other (the scores may differ
     * from {@link #score} in the last bits).
     */
    static void topK(final EmbeddingTable items, final float[] user, final int userAt, final boolean known,
                     final SlotFilter skip, final TopK best) {
        best.clear();
        final float[] q = items.values();
        final int width = items.width();
        final int factors = known ? width - 1 : 0;
        final int limit = items.slotLimit();
        for (int slot = 0; slot < limit; slot++) {
            if (!items.live(slot) || (skip != null && skip.skip(slot))) {
                continue;
            }
            final int at = slot * width + 1;
            best.offer(slot, q[at - 1] + Dots.dot(factors, user, userAt, q, at));
        }
    }
}
