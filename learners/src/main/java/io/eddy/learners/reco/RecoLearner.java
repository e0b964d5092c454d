package io.eddy.learners.reco;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.OnlineLearner;
import io.eddy.learners.api.ParameterState;
import io.eddy.learners.api.RowTables;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * A recommendation model on the learner SPI: online biased MF for explicit ratings ({@code mf}) or
 * BPR for implicit feedback ({@code implicit}). The record key is the user: the key state holds the
 * user's bias and factors and a ring of the items the user interacted with last (for requests that
 * leave them out). Items live in an {@link EmbeddingTable} ({@link #items}), which the caller
 * persists; the dense parameters hold the model's few scalars.
 *
 * <p>Time, for the items' eviction, is the count of interactions learned, so that a replay evicts the
 * same items at the same points: every {@value #EVICT_EVERY} of them, items idle for
 * {@code itemIdleEvents} go, and the least recently seen beyond {@code maxItems}.
 *
 * <p>An interaction is answered with the predicted rating (mf) or the item's score (implicit) in
 * {@code out[0]} before it is learned; a request with the top k items, into the example, and their
 * count in {@code out[0]}. An mf model learns from interactions with a rating, an implicit one from
 * every interaction.
 */
public final class RecoLearner implements OnlineLearner<RecoExample>, RowTables {
    /** Learned interactions between eviction passes over the items. */
    static final int EVICT_EVERY = 1_000;
    /** Floats per remembered item in the ring: its slot and a 48-bit hash of its id in two halves. */
    private static final int RING_ENTRY = 3;
    private static final int HALF_HASH = 1 << 24;
    /** Scalars: the count of interactions learned (two floats), then mf's running mean. */
    private static final int LEARNED = 0;
    private static final int MEAN = 2;

    private final RecoConfig config;
    private final OnlineMf mf;
    private final ImplicitMf implicit;
    private final EmbeddingTable items;
    private final int userFloats;
    private final int ringAt;
    private final DenseParameters parameters = new DenseParameters(8, 8);
    private final float[] scalars = parameters.values();
    private long seenOverwrites;
    private final TopK best;
    private final int[] bestSlots;
    private final float[] bestScores;
    private final BitSet excluded = new BitSet();
    /** Leaves out the slots in {@link #excluded}; made once, as requests must not allocate. */
    private final SlotFilter seen = excluded::get;

    public RecoLearner(final RecoConfig config) {
        this.config = config;
        if (config.explicit()) {
            mf = new OnlineMf(new OnlineMf.Config(config.factors(), config.learningRate(), config.regularization(),
                    config.initScale(), config.seed()), 1024);
            implicit = null;
            items = mf.items();
            userFloats = OnlineMf.userStateSize(config.factors());
        } else {
            implicit = new ImplicitMf(new ImplicitMf.Config(config.factors(), config.learningRate(),
                    config.regularization(), config.negatives(), config.initScale(), config.seed()), 1024);
            mf = null;
            items = implicit.items();
            userFloats = ImplicitMf.userStateSize(config.factors());
        }
        this.ringAt = userFloats;
        this.best = new TopK(config.maxK());
        this.bestSlots = new int[config.maxK()];
        this.bestScores = new float[config.maxK()];
        this.seenOverwrites = parameters.overwrites();
    }

    /** The items' rows, for the caller to persist and restore. */
    public EmbeddingTable items() {
        return items;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public int keyStateSize() {
        return userFloats + 1 + RING_ENTRY * config.history();
    }

    @Override
    public String validate(final RecoExample example) {
        if (example.user() == null || example.user().isEmpty()) {
            return "'user' is missing";
        }
        if (example.isRequest()) {
            return example.k() > config.maxK() ? "'k' " + example.k() + " is above the model's maxK "
                    + config.maxK() : null;
        }
        if (example.item() == null || example.item().isEmpty()) {
            return "an interaction needs 'item' (a request, 'k')";
        }
        if (example.hasRating() && !Float.isFinite(example.rating())) {
            return "'rating' is not finite";
        }
        return null;
    }

    /** Whether an event is learned from: a rated interaction (mf), any interaction (implicit). */
    public boolean labelled(final RecoExample example) {
        return example.learnable(mf != null);
    }

    @Override
    public float loss(final RecoExample example, final float[] prediction) {
        return mf != null ? squaredError(prediction[0], example.rating())
                : (float) Math.log1p(Math.exp(-prediction[0]));
    }

    private static float squaredError(final float predicted, final float rating) {
        return (predicted - rating) * (predicted - rating);
    }

    @Override
    public void predict(final RecoExample example, final float[] keyState, final float[] out) {
        refresh();
        if (example.isRequest()) {
            answer(example, keyState);
            out[0] = example.answered();
            return;
        }
        if (mf != null) {
            out[0] = mf.predict(keyState, example.item());
        } else {
            final int slot = items.find(example.item());
            out[0] = slot < 0 ? 0f : implicit.score(keyState, slot);
        }
    }

    @Override
    public float learn(final RecoExample example, final float[] keyState) {
        refresh();
        final long now = learned();
        final float loss = mf != null
                ? squaredError(mf.learn(keyState, example.user(), example.item(), example.rating(), now),
                        example.rating())
                : implicit.learn(keyState, example.user(), example.item(), now);
        remember(keyState, example.item());
        final long learned = now + 1;
        if (learned % EVICT_EVERY == 0) {
            if (config.itemIdleEvents() > 0) {
                items.evictIdle(learned, config.itemIdleEvents());
            }
            if (config.maxItems() > 0) {
                items.evictOver(config.maxItems());
            }
        }
        saveScalars();
        return loss;
    }

    @Override
    public List<EmbeddingTable> rowTables() {
        return List.of(items);
    }

    @Override
    public void clearRows() {
        items.evictIdle(Long.MAX_VALUE, 0);
    }

    /** The top k for the user, best first, into the example; seen items left out when asked. */
    private void answer(final RecoExample example, final float[] user) {
        best.limit(Math.min(example.k(), config.maxK()));
        SlotFilter skip = null;
        if (example.excludeSeen()) {
            markSeen(user);
            skip = seen;
        }
        if (mf != null) {
            mf.topK(user, skip, best);
        } else {
            implicit.topK(user, skip, best);
        }
        excluded.clear();
        final int n = best.drainBestFirst(bestSlots, bestScores);
        example.prepareAnswer(n);
        for (int r = 0; r < n; r++) {
            example.answer(items.id(bestSlots[r]), bestScores[r]);
        }
    }

    /** Marks the slots of the items in the user's ring that still hold the same item. */
    private void markSeen(final float[] user) {
        for (int e = 0; e < config.history(); e++) {
            final int at = ringAt + 1 + e * RING_ENTRY;
            final int slot = (int) user[at] - 1;
            if (slot >= 0 && items.live(slot) && hashMatches(user, at, items.id(slot))) {
                excluded.set(slot);
            }
        }
    }

    /** Puts the item in the user's ring of recent items, over the oldest. */
    private void remember(final float[] user, final String item) {
        final int position = (int) user[ringAt];
        final int at = ringAt + 1 + position * RING_ENTRY;
        final long hash = hash48(item);
        user[at] = items.find(item) + 1;
        user[at + 1] = (float) (hash >>> 24);
        user[at + 2] = (float) (hash & (HALF_HASH - 1));
        user[ringAt] = (position + 1) % config.history();
    }

    private static boolean hashMatches(final float[] user, final int at, final String item) {
        final long hash = hash48(item);
        return user[at + 1] == (float) (hash >>> 24) && user[at + 2] == (float) (hash & (HALF_HASH - 1));
    }

    /** FNV-1a over the id's chars, folded to 48 bits: two floats of 24 bits hold it exactly. */
    private static long hash48(final String id) {
        final long h = EmbeddingTable.hashId(0xcbf29ce484222325L, id);
        return (h ^ (h >>> 48)) & ((1L << 48) - 1);
    }

    /** Reads the scalars back when the engine rewrote the parameters (restart, rollback, reset). */
    private void refresh() {
        if (parameters.overwrites() == seenOverwrites) {
            return;
        }
        seenOverwrites = parameters.overwrites();
        final long learned = parameters.readCount(LEARNED);
        if (mf != null) {
            mf.restore(scalars[MEAN], learned);
        } else {
            implicit.learned(learned);
        }
    }

    /** Interactions learned: each is one of mf's ratings or one of BPR's steps, which keep the count. */
    private long learned() {
        return mf != null ? mf.ratings() : implicit.learned();
    }

    private void saveScalars() {
        parameters.writeCount(LEARNED, learned());
        if (mf != null) {
            scalars[MEAN] = (float) mf.mean();
            parameters.markChanged(MEAN);
        }
    }

    @Override
    public ParameterState parameters() {
        return parameters;
    }

    @Override
    public void reconfigure(final Map<String, Double> resolved) {
        // the rates are fixed at create for now; nothing here may change
    }
}
