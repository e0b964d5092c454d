package io.eddy.learners.reco;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.OnlineLearner;
import java.util.List;
import java.util.Map;

/**
 * The recommendation learner types: {@code "mf"}, online biased matrix factorisation of explicit
 * ratings, and {@code "implicit"}, BPR from positive-only feedback. See {@link RecoLearner}.
 */
public final class RecoType implements LearnerType<RecoExample> {
    public static final String MF = "mf";
    public static final String IMPLICIT = "implicit";

    static final String FACTORS = "factors";
    static final String LEARNING_RATE = "learningRate";
    static final String REGULARIZATION = "regularization";
    static final String NEGATIVES = "negatives";
    static final String INIT_SCALE = "initScale";
    static final String SEED = "seed";
    static final String MAX_K = "maxK";
    static final String HISTORY = "history";
    static final String ITEM_IDLE_EVENTS = "itemIdleEvents";
    static final String MAX_ITEMS = "maxItems";
    static final String SCORE_BATCH = "scoreBatch";
    static final String IDLE_SECONDS = "idleSeconds";
    static final String KEY_CACHE_MB = "keyCacheMB";

    private final boolean explicit;
    private final List<HyperParameter> parameters;

    private RecoType(final boolean explicit) {
        this.explicit = explicit;
        final java.util.ArrayList<HyperParameter> all = new java.util.ArrayList<>(List.of(
                HyperParameter.whole(FACTORS, 32, 1, 4096, false, "Latent factors per user and item."),
                // the bounds keep every setting in range stable: a step past 1 (mf's two biases each move by
                // lr·e, so e shrinks by 1 − 2·lr) or a shrinkage factor 1 − lr·reg below −1 grows each event
                HyperParameter.real(LEARNING_RATE, explicit ? 0.1 : 0.05, 1e-7, 0.5, false, "SGD step."),
                HyperParameter.real(REGULARIZATION, explicit ? 0.02 : 0.005, 0, 1, false,
                        "L2 weight on biases and factors."),
                HyperParameter.real(INIT_SCALE, 0.1, 0, 1, false, "New factors start uniform in +-initScale."),
                HyperParameter.whole(SEED, 1, 0, Integer.MAX_VALUE, false,
                        "Seed of new factors (each id's own, whatever the order ids arrive in)."),
                HyperParameter.whole(MAX_K, 100, 1, 100_000, false, "Most items a request may ask for."),
                HyperParameter.whole(HISTORY, 50, 1, 10_000, false,
                        "Items each user's state remembers, for requests with \"exclude_seen\"."),
                HyperParameter.whole(ITEM_IDLE_EVENTS, 0, 0, Integer.MAX_VALUE, false,
                        "An item not seen in this many learned interactions is evicted (0: never)."),
                HyperParameter.whole(MAX_ITEMS, 0, 0, (1 << 24) - RecoLearner.EVICT_EVERY, false,
                        "Most items a task keeps; beyond, the least recently seen are evicted (0: as many as fit, "
                                + "16,776,216 at most)."),
                HyperParameter.whole(SCORE_BATCH, 32, 1, 256, false,
                        "Most top-k requests scored together on the compute backend, with one product of their "
                                + "users' factors and the item table (1: each request alone, on the host)."),
                HyperParameter.whole(IDLE_SECONDS, 86_400 * 30, 0, 1_000_000_000, true,
                        "A user's state is evicted after this many seconds of event time without an event (0: "
                                + "never)."),
                HyperParameter.whole(KEY_CACHE_MB, 256, 0, 1_000_000, true,
                        "Megabytes of user states each task keeps in memory, least recently used out.")));
        if (!explicit) {
            all.add(HyperParameter.whole(NEGATIVES, 4, 1, 1000, false,
                    "Items sampled against each interaction, uniformly among the items seen."));
        }
        this.parameters = List.copyOf(all);
    }

    /** The {@code "mf"} type. */
    public static RecoType mf() {
        return new RecoType(true);
    }

    /** The {@code "implicit"} type. */
    public static RecoType implicit() {
        return new RecoType(false);
    }

    @Override
    public String name() {
        return explicit ? MF : IMPLICIT;
    }

    @Override
    public List<HyperParameter> hyperParameters() {
        return parameters;
    }

    @Override
    public RecoExample newExample() {
        return new RecoExample();
    }

    /** Without a backend requests are scored one by one on the host, whatever {@code scoreBatch} says. */
    @Override
    public OnlineLearner<RecoExample> create(final Map<String, Double> p) {
        return new RecoLearner(config(p));
    }

    /** Requests are scored in batches on a backend when {@code scoreBatch} is above 1. */
    @Override
    public boolean usesComputeBackend(final Map<String, Double> resolved) {
        return resolved.get(SCORE_BATCH).intValue() > 1;
    }

    @Override
    public OnlineLearner<RecoExample> create(final Map<String, Double> p, final ComputeBackend backend) {
        return new RecoLearner(config(p), backend);
    }

    private RecoConfig config(final Map<String, Double> p) {
        return new RecoConfig(explicit, p.get(FACTORS).intValue(), p.get(LEARNING_RATE),
                p.get(REGULARIZATION), p.getOrDefault(NEGATIVES, 1.0).intValue(), p.get(INIT_SCALE),
                p.get(SEED).longValue(), p.get(MAX_K).intValue(), p.get(HISTORY).intValue(),
                p.get(ITEM_IDLE_EVENTS).longValue(), p.get(MAX_ITEMS).intValue(), p.get(SCORE_BATCH).intValue());
    }
}
