package io.eddy.learners.reco;

/**
 * Settings of a {@link RecoLearner}.
 *
 * @param explicit online biased MF for ratings (else BPR for implicit feedback)
 * @param factors latent factors per user and item
 * @param learningRate SGD step
 * @param regularization L2 weight on biases and factors
 * @param negatives BPR: items sampled against each interaction
 * @param initScale new factors start uniform in ±initScale
 * @param maxK most items a request may ask for
 * @param history items a user's state remembers, for requests that leave out what the user has seen
 * @param itemIdleEvents an item not seen in this many learned interactions is evicted (0: never)
 * @param maxItems most items kept; beyond it the least recently seen are evicted (0: no bound)
 * @param scoreBatch most requests scored together on a compute backend, one product with the item table
 *     for all of them (1: each request scanned on the host alone, as without a backend)
 */
public record RecoConfig(boolean explicit, int factors, double learningRate, double regularization, int negatives,
                         double initScale, long seed, int maxK, int history, long itemIdleEvents,
                         int maxItems, int scoreBatch) {
    public RecoConfig {
        if (factors < 1 || maxK < 1 || history < 1 || negatives < 1 || itemIdleEvents < 0 || maxItems < 0
                || scoreBatch < 1) {
            throw new IllegalArgumentException("need factors, negatives, maxK, history and scoreBatch >= 1, and "
                    + "itemIdleEvents, maxItems >= 0");
        }
    }

    /** Settings that score each request alone ({@code scoreBatch} 1). */
    public RecoConfig(final boolean explicit, final int factors, final double learningRate,
                      final double regularization, final int negatives, final double initScale, final long seed,
                      final int maxK, final int history, final long itemIdleEvents, final int maxItems) {
        this(explicit, factors, learningRate, regularization, negatives, initScale, seed, maxK, history,
                itemIdleEvents, maxItems, 1);
    }

    /** The same settings with another {@code scoreBatch}. */
    public RecoConfig withScoreBatch(final int batch) {
        return new RecoConfig(explicit, factors, learningRate, regularization, negatives, initScale, seed, maxK,
                history, itemIdleEvents, maxItems, batch);
    }
}
