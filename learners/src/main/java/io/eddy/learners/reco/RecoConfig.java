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
 */
public record RecoConfig(boolean explicit, int factors, double learningRate, double regularization, int negatives,
                         double initScale, long seed, int maxK, int history, long itemIdleEvents,
                         int maxItems) {
    public RecoConfig {
        if (factors < 1 || maxK < 1 || history < 1 || negatives < 1 || itemIdleEvents < 0 || maxItems < 0) {
            throw new IllegalArgumentException("need factors, negatives, maxK and history >= 1, and "
                    + "itemIdleEvents, maxItems >= 0");
        }
    }
}
