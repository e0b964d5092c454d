package io.eddy.learners.reco;

import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.NonFiniteUpdateException;

/**
 * Online biased matrix factorisation for explicit ratings (Koren, Bell and Volinsky's model, trained by
 * SGD one rating at a time): {@code r̂ = μ + b_u + b_i + p_u·q_i}, with μ the running mean of the
 * ratings. With 0 factors it is the baseline of global mean and biases.
 *
 * <p>A user's bias and factors are the user's own state (a float array the caller keeps per user, of
 * {@link #userStateSize}; all zeros for a user not seen yet); items live in an {@link EmbeddingTable},
 * a row created at an item's first rating.
 */
public final class OnlineMf {
    /**
     * @param factors latent factors per user and item (0: biases only)
     * @param learningRate SGD step
     * @param regularization L2 weight on biases and factors
     * @param initScale new factors start uniform in ±initScale
     */
    public record Config(int factors, double learningRate, double regularization, double initScale, long seed) {
        public Config {
            // the type's ranges keep learningRate·regularization below 1 for a new model
            if (factors < 0 || !(learningRate > 0 && regularization >= 0) || !(initScale >= 0)
                    || !Double.isFinite(learningRate) || !Double.isFinite(regularization)
                    || !Double.isFinite(initScale)) {
                throw new IllegalArgumentException("need factors >= 0, finite learningRate > 0, finite "
                        + "regularization >= 0, finite initScale >= 0");
            }
        }
    }

    private static final int SEEN = 0;
    private static final int BIAS = 1;
    private static final int FACTORS = 2;

    private final Config config;
    private final EmbeddingTable items;
    private final float[] newFactors;
    private final float[] newUser;
    /** Kept in float precision, as it is persisted. */
    private float mean;
    private long ratings;

    public OnlineMf(final Config config, final int expectedItems) {
        this.config = config;
        this.items = new EmbeddingTable(1 + config.factors(), 1, (float) config.initScale(), config.seed(),
                expectedItems);
        this.newFactors = new float[2 * config.factors()];
        this.newUser = new float[userStateSize(config.factors())];
    }

    /** Floats of a user's state: a seen flag, the bias, the factors. */
    public static int userStateSize(final int factors) {
        return FACTORS + factors;
    }

    public EmbeddingTable items() {
        return items;
    }

    /** The running mean of the ratings learned. */
    public double mean() {
        return mean;
    }

    /** Ratings learned so far. */
    public long ratings() {
        return ratings;
    }

    /** Restores the running mean and the count of ratings it is over. */
    public void restore(final float savedMean, final long savedRatings) {
        this.mean = savedMean;
        this.ratings = savedRatings;
    }

    /** The part of the predicted rating that differs between items, {@code b_i + p_u·q_i}, for ranking. */
    public float score(final float[] user, final int slot) {
        return ItemScores.score(items, user, FACTORS, user[SEEN] != 0f, slot);
    }

    /** Offers every live item but {@code skip}'s to {@code best} (cleared first), by predicted rating. */
    public void topK(final float[] user, final SlotFilter skip, final TopK best) {
        ItemScores.topK(items, user, FACTORS, user[SEEN] != 0f, skip, best);
    }

    /** The predicted rating; changes nothing (an unseen user or item adds nothing to the mean). */
    public float predict(final float[] user, final String item) {
        final int slot = items.find(item);
        return (float) predict(user, slot);
    }

    private double predict(final float[] user, final int slot) {
        double r = mean;
        if (user[SEEN] != 0f) {
            r += user[BIAS];
        }
        if (slot >= 0) {
            final float[] q = items.values();
            final int at = slot * items.width();
            r += q[at];
            if (user[SEEN] != 0f) {
                for (int f = 0; f < config.factors(); f++) {
                    r += user[FACTORS + f] * q[at + 1 + f];
                }
            }
        }
        return r;
    }

    /**
     * Learns one rating and returns the prediction made before it. {@code now} is the time the item
     * counts as seen (for eviction).
     *
     * @throws NonFiniteUpdateException if the rating or the update is not finite; nothing changes then
     */
    public float learn(final float[] user, final String userId, final String item, final float rating,
                       final long now) {
        if (!Float.isFinite(rating)) {
            throw new NonFiniteUpdateException("the rating is not finite");
        }
        final int existing = items.find(item);
        final float before = (float) predict(user, existing);
        final float[] p = userOrNew(user, userId);
        final int slot = existing >= 0 ? existing : items.getOrCreate(item, now);
        final float[] q = items.values();
        final int at = slot * items.width();
        final double error = rating - predict(p, slot);
        final double lr = config.learningRate();
        final double reg = config.regularization();
        final int k = config.factors();
        final double userBias = p[BIAS] + lr * (error - reg * p[BIAS]);
        final double itemBias = q[at] + lr * (error - reg * q[at]);
        boolean finite = Float.isFinite((float) userBias) && Float.isFinite((float) itemBias);
        for (int f = 0; f < k; f++) {
            final float pf = p[FACTORS + f];
            final float qf = q[at + 1 + f];
            newFactors[f] = (float) (pf + lr * (error * qf - reg * pf));
            newFactors[k + f] = (float) (qf + lr * (error * pf - reg * qf));
            finite &= Float.isFinite(newFactors[f]) && Float.isFinite(newFactors[k + f]);
        }
        if (!finite) {
            if (existing < 0) {
                items.discard(slot);
            }
            throw new NonFiniteUpdateException("the update would make a bias or factor non-finite; nothing changed");
        }
        items.touch(slot, now);
        if (p != user) {
            System.arraycopy(p, 0, user, 0, newUser.length);
        }
        user[BIAS] = (float) userBias;
        q[at] = (float) itemBias;
        for (int f = 0; f < k; f++) {
            user[FACTORS + f] = newFactors[f];
            q[at + 1 + f] = newFactors[k + f];
        }
        ratings++;
        mean += (float) ((rating - mean) / ratings);
        return before;
    }

    private float[] userOrNew(final float[] user, final String userId) {
        return ItemScores.userOrNew(user, newUser, config.seed(), userId, (float) config.initScale(), FACTORS);
    }
}
