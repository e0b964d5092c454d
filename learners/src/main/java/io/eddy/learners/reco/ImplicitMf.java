package io.eddy.learners.reco;

import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.NonFiniteUpdateException;

/**
 * Top-k recommendation from positive-only feedback (views, clicks, purchases): Bayesian personalised
 * ranking (Rendle et al.) trained by SGD one interaction at a time, each against {@code negatives}
 * items drawn uniformly from the items seen so far, so that the item interacted with scores above
 * them. An item's score for a user is {@code b_i + p_u·q_i}; {@link #topK} scores every item.
 *
 * <p>As in {@link OnlineMf}, the user's factors are the caller's per-user state ({@link #userStateSize};
 * zeros for a new user) and items live in an {@link EmbeddingTable}.
 */
public final class ImplicitMf {
    /**
     * @param factors latent factors per user and item
     * @param learningRate SGD step
     * @param regularization L2 weight on biases and factors
     * @param negatives items sampled against each interaction
     * @param initScale new factors start uniform in ±initScale
     */
    public record Config(int factors, double learningRate, double regularization, int negatives, double initScale,
                         long seed) {
        public Config {
            // the type's ranges keep learningRate·regularization below 1 for a new model
            if (factors < 1 || negatives < 1 || !(learningRate > 0 && regularization >= 0) || !(initScale >= 0)
                    || !Double.isFinite(learningRate) || !Double.isFinite(regularization)
                    || !Double.isFinite(initScale)) {
                throw new IllegalArgumentException("need factors >= 1, negatives >= 1, finite learningRate > 0, "
                        + "finite regularization >= 0, finite initScale >= 0");
            }
        }
    }

    private static final int SEEN = 0;
    private static final int FACTORS = 1;
    private static final int DRAW_TRIES = 16;

    private final Config config;
    private final EmbeddingTable items;
    private final float[] newUser;
    private final float[] userStep;
    private final float[] positiveStep;
    private final int[] negatives;
    private final float[] negativeSteps;
    /** Negatives the last {@link #learn} that changed anything moved, in {@link #negatives}. */
    private int lastDrawn;
    private long learned;

    public ImplicitMf(final Config config, final int expectedItems) {
        this.config = config;
        this.items = new EmbeddingTable(1 + config.factors(), 1, (float) config.initScale(), config.seed(),
                expectedItems);
        this.newUser = new float[userStateSize(config.factors())];
        this.userStep = new float[config.factors()];
        this.positiveStep = new float[1 + config.factors()];
        this.negatives = new int[config.negatives()];
        this.negativeSteps = new float[config.negatives() * (1 + config.factors())];
    }

    /** Floats of a user's state: a seen flag and the factors. */
    public static int userStateSize(final int factors) {
        return FACTORS + factors;
    }

    public EmbeddingTable items() {
        return items;
    }

    /** Interactions learned so far. */
    public long learned() {
        return learned;
    }

    /** Restores the count of interactions learned (it seeds the negatives' draws). */
    public void learned(final long count) {
        this.learned = count;
    }

    /** The user's score of the item in {@code slot}. */
    public float score(final float[] user, final int slot) {
        return ItemScores.score(items, user, FACTORS, user[SEEN] != 0f, slot);
    }

    /**
     * Offers every live item but {@code skip}'s to {@code best} (cleared first); a user not seen yet gets
     * the items by bias alone, which tracks popularity.
     */
    public void topK(final float[] user, final SlotFilter skip, final TopK best) {
        ItemScores.topK(items, user, FACTORS, user[SEEN] != 0f, skip, best);
    }

    /**
     * Learns that the user interacted with {@code item} at {@code now}: one BPR step against each of
     * {@code negatives} sampled items. Returns the item's rank-free loss before the step, the mean of
     * {@code -log σ(s_i − s_j)} over the negatives (0 when no other item exists yet).
     *
     * @throws NonFiniteUpdateException if the update would make a value non-finite; nothing changes then
     */
    public float learn(final float[] user, final String userId, final String item, final long now) {
        final float[] p = userOrNew(user, userId);
        final int existing = items.find(item);
        final int positive = existing >= 0 ? existing : items.getOrCreate(item, now);
        final float[] q = items.values();
        final int width = items.width();
        final int k = config.factors();
        final float lr = (float) config.learningRate();
        final float reg = (float) config.regularization();
        // every step is computed from the values before the interaction, then checked, then applied
        java.util.Arrays.fill(userStep, 0f);
        java.util.Arrays.fill(positiveStep, 0f);
        final int pi = positive * width;
        long state = config.seed() * 0x9E3779B97F4A7C15L + learned * 0xD1B54A32D192ED03L;
        double loss = 0;
        int drawn = 0;
        for (int n = 0; n < config.negatives(); n++) {
            final int negative = drawNegative(positive, state + n * 0x632BE59BD9B4E019L);
            if (negative < 0) {
                continue;
            }
            final float x = score(p, positive) - score(p, negative);
            final float g = (float) (1 / (1 + Math.exp(x)));
            loss += logisticLoss(x);
            final int ni = negative * width;
            final int d = drawn * width;
            negatives[drawn++] = negative;
            positiveStep[0] += lr * (g - reg * q[pi]);
            negativeSteps[d] = lr * (-g - reg * q[ni]);
            for (int f = 0; f < k; f++) {
                final float pu = p[FACTORS + f];
                final float qi = q[pi + 1 + f];
                final float qj = q[ni + 1 + f];
                userStep[f] += lr * (g * (qi - qj) - reg * pu);
                positiveStep[1 + f] += lr * (g * pu - reg * qi);
                negativeSteps[d + 1 + f] = lr * (-g * pu - reg * qj);
            }
        }
        if (!finiteAfter(p, positive, drawn) || !Double.isFinite(loss)) {
            if (existing < 0) {
                items.discard(positive);
            }
            throw new NonFiniteUpdateException("the update would make a bias or factor non-finite; nothing changed");
        }
        if (p != user) {
            System.arraycopy(p, 0, user, 0, newUser.length);
        }
        for (int f = 0; f < k; f++) {
            user[FACTORS + f] += userStep[f];
        }
        for (int c = 0; c < width; c++) {
            q[pi + c] += positiveStep[c];
        }
        for (int n = 0; n < drawn; n++) {
            final int ni = negatives[n] * width;
            for (int c = 0; c < width; c++) {
                q[ni + c] += negativeSteps[n * width + c];
            }
            items.markChanged(negatives[n]);
        }
        items.touch(positive, now);
        lastDrawn = drawn;
        learned++;
        return drawn == 0 ? 0f : (float) (loss / drawn);
    }

    /** How many negatives the last successful {@link #learn} moved (their rows changed beside the positive's). */
    int lastNegatives() {
        return lastDrawn;
    }

    /** The slot of the n-th negative the last successful {@link #learn} moved. */
    int lastNegative(final int n) {
        return negatives[n];
    }

    /** A live item other than {@code positive}, uniformly among the slots, or -1 after a few misses. */
    private int drawNegative(final int positive, final long seed) {
        long state = seed;
        for (int t = 0; t < DRAW_TRIES; t++) {
            state += 0x9E3779B97F4A7C15L;
            final int slot = (int) (EmbeddingTable.unit(state) * items.slotLimit());
            if (slot != positive && items.live(slot)) {
                return slot;
            }
        }
        return -1;
    }

    private boolean finiteAfter(final float[] p, final int positive, final int drawn) {
        final float[] q = items.values();
        final int width = items.width();
        boolean finite = true;
        for (int f = 0; f < config.factors(); f++) {
            finite &= Float.isFinite(p[FACTORS + f] + userStep[f]);
        }
        for (int c = 0; c < width; c++) {
            finite &= Float.isFinite(q[positive * width + c] + positiveStep[c]);
        }
        for (int n = 0; n < drawn; n++) {
            for (int c = 0; c < width; c++) {
                finite &= Float.isFinite(q[negatives[n] * width + c] + negativeSteps[n * width + c]);
            }
        }
        return finite;
    }

    private float[] userOrNew(final float[] user, final String userId) {
        return ItemScores.userOrNew(user, newUser, config.seed(), userId, (float) config.initScale(), FACTORS);
    }

    /** BPR's loss of a score margin, {@code log(1 + e^−margin)}, without overflow for a margin far below 0. */
    static double logisticLoss(final double margin) {
        return Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin)));
    }
}
