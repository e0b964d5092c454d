package io.eddy.learners.reco;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.NonFiniteUpdateException;
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
 *
 * <p>With a compute backend and {@code scoreBatch > 1}, requests are scored on the backend
 * ({@link BatchedItemScores}): {@link #step} scores the consecutive requests of a group with one product,
 * and before an interaction it learns first scores the requests gathered so far, so that each request
 * sees the items as the one-by-one order leaves them. {@link #predict} scores a request as a batch of
 * one, with the same bits. Scores equal the host scan's up to float rounding.
 */
public final class RecoLearner implements OnlineLearner<RecoExample>, RowTables {
    private static final String LOSS_OVERFLOWS = "mf: the squared error of this prediction would pass the float range "
            + "(a rating too large for the model); nothing is learned and the user's state is left as it was";
    private static final String ANSWER_OVERFLOWS = "the answer is not finite (the user's and an item's factors have "
            + "grown too large for their product to fit a float); nothing is learned and the user's state is left as "
            + "it was";
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
    /** Most item rows kept ({@link #itemLimit}). */
    private final int itemLimit;
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
    /** Requests scored on a compute backend; null when each is scanned on the host. */
    private final BatchedItemScores batch;

    /** A learner that scores each request alone on the host. */
    public RecoLearner(final RecoConfig config) {
        this(config, null);
    }

    /**
     * A learner that scores requests in batches of up to {@code scoreBatch} on {@code backend} when
     * {@code scoreBatch > 1} and the backend is not null; the caller owns the backend and closes it
     * after the learner.
     */
    public RecoLearner(final RecoConfig config, final ComputeBackend backend) {
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
        this.itemLimit = itemLimit(config.maxItems(), items.width());
        this.best = new TopK(config.maxK());
        this.bestSlots = new int[config.maxK()];
        this.bestScores = new float[config.maxK()];
        this.seenOverwrites = parameters.overwrites();
        this.batch = backend != null && config.scoreBatch() > 1 ? new BatchedItemScores(backend, items,
                config.scoreBatch(), userFloats - config.factors(), config.history(), config.maxK()) : null;
    }

    /**
     * Most item rows a task keeps: {@code maxItems}, or with 0 as many as a table can hold exactly, which
     * the store does up to 2^24 slots (it keeps a row's slot as a float) and a table's one float array up
     * to {@link EmbeddingTable#maxRows}; less the rows one interval between eviction passes can add.
     */
    static int itemLimit(final int maxItems, final int width) {
        final int rows = Math.min(1 << 24, EmbeddingTable.maxRows(width)) - EVICT_EVERY;
        return maxItems == 0 ? rows : Math.min(maxItems, rows);
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

    /** Requests are gathered only when they are scored on a backend; a group of interactions gains nothing. */
    @Override
    public int groupCapacity() {
        return batch == null ? 1 : config.scoreBatch();
    }

    /**
     * Scores the group's requests in batches, each batch ended by the first interaction that is learned
     * (which changes item rows) or by the batch's capacity; interactions are answered and learned on
     * the host in their place. The result is that of the one-by-one calls, scores up to float rounding.
     */
    @Override
    public void step(final EventGroup<RecoExample> group, final boolean learn) {
        if (batch == null) {
            OnlineLearner.super.step(group, learn);
            return;
        }
        refresh();
        for (int slot = 0; slot < group.size(); slot++) {
            final RecoExample example = group.example(slot);
            final float[] user = group.keyState(slot);
            final float[] output = group.output(slot);
            if (example.isRequest() && !group.labelled(slot)) {
                if (batch.isFull()) {
                    batch.score();
                }
                gather(example, user, output);
                continue;
            }
            final boolean learns = learn && group.labelled(slot);
            if (learns) {
                batch.score();
            }
            try {
                predict(example, user, output);
            } catch (final NonFiniteUpdateException e) {
                group.notStepped(slot, e.getMessage());
                continue;
            }
            learnInGroup(group, slot, learn);
        }
        batch.score();
        for (int slot = 0; slot < group.size(); slot++) {
            final RecoExample example = group.example(slot);
            if (example.isRequest() && !group.labelled(slot) && !finiteAnswer(example)) {
                group.notStepped(slot, ANSWER_OVERFLOWS);
            }
        }
    }

    /** Whether every score of a request's answer is finite (a factor product can overflow a float). */
    private static boolean finiteAnswer(final RecoExample example) {
        for (int r = 0; r < example.answered(); r++) {
            if (!Float.isFinite(example.answerScore(r))) {
                return false;
            }
        }
        return true;
    }

    /** Adds a request to the batch, with the items it leaves out. */
    private void gather(final RecoExample example, final float[] user, final float[] output) {
        final int r = batch.add(example, user, output);
        if (example.excludeSeen()) {
            for (int e = 0; e < config.history(); e++) {
                final int slot = seenSlot(user, e);
                if (slot >= 0) {
                    batch.leaveOut(r, slot);
                }
            }
        }
    }

    @Override
    public float loss(final RecoExample example, final float[] prediction) {
        return mf != null ? squaredError(prediction[0], example.rating())
                : (float) ImplicitMf.logisticLoss(prediction[0]);
    }

    private static float squaredError(final float predicted, final float rating) {
        return (predicted - rating) * (predicted - rating);
    }

    @Override
    public void predict(final RecoExample example, final float[] keyState, final float[] out) {
        refresh();
        if (example.isRequest() && batch != null) {
            // a batch of one, scored as a batch of many would score it
            batch.score();
            gather(example, keyState, out);
            batch.score();
        } else if (example.isRequest()) {
            answer(example, keyState);
            out[0] = example.answered();
        } else if (mf != null) {
            out[0] = mf.predict(keyState, example.item());
        } else {
            final int slot = items.find(example.item());
            out[0] = slot < 0 ? 0f : implicit.score(keyState, slot);
        }
        if (example.isRequest() ? !finiteAnswer(example) : !Float.isFinite(out[0])) {
            throw new NonFiniteUpdateException(ANSWER_OVERFLOWS);
        }
        if (mf != null && !example.isRequest() && example.hasRating()
                && !Float.isFinite(squaredError(out[0], example.rating()))) {
            throw new NonFiniteUpdateException(LOSS_OVERFLOWS);
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
        if (batch != null) {
            markLearned(example.item());
        }
        remember(keyState, example.item());
        final long learned = now + 1;
        if (learned % EVICT_EVERY == 0) {
            if (config.itemIdleEvents() > 0) {
                items.evictIdle(learned, config.itemIdleEvents());
            }
            items.evictOver(itemLimit);
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
            final int slot = seenSlot(user, e);
            if (slot >= 0) {
                excluded.set(slot);
            }
        }
    }

    /** The slot of the e-th item of the user's ring when that slot still holds the same item, else -1. */
    private int seenSlot(final float[] user, final int e) {
        final int at = ringAt + 1 + e * RING_ENTRY;
        final int slot = (int) user[at] - 1;
        return slot >= 0 && items.live(slot) && hashMatches(user, at, items.id(slot)) ? slot : -1;
    }

    /** Marks the rows the interaction just learned wrote, for the device copy: the item's, and BPR's negatives. */
    private void markLearned(final String item) {
        batch.changed(items.find(item));
        if (implicit != null) {
            for (int n = 0; n < implicit.lastNegatives(); n++) {
                batch.changed(implicit.lastNegative(n));
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
