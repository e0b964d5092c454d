package io.eddy.learners.reco;

import io.eddy.kernels.api.ComputeBackend;
import io.eddy.kernels.api.DeviceFloats;
import io.eddy.learners.api.EmbeddingTable;
import java.util.BitSet;

/**
 * Top-k requests scored together on a compute backend. Each request's user becomes a row
 * {@code [1, p_u]} ({@code [1, 0...]} for a user not seen yet), so that against an item's row
 * {@code [b_i, q_i]} one product gives {@code b_i + p_u·q_i}, the host scan's score ({@link ItemScores},
 * summed in another order: equal up to float rounding). The product is {@code C = Q·Uᵀ} over a device
 * copy of the item table, span by span of slots, a request per column: the backend computes a column
 * apart from the others, so a request's scores do not depend on the requests beside it and a batch of
 * one gives the same bits. The scores come back to the host, where each request's top k is taken over
 * the live slots in slot order (as the host scan offers them), the items it leaves out set to NaN,
 * which {@link TopK} ignores.
 *
 * <p>The device copy is sent again only where it is stale: the rows the learner wrote since the last
 * batch ({@link #changed}), or the whole table when it grew past the copy or was rewritten from
 * outside ({@link EmbeddingTable#rewrites}: restart, rollback). Evicted rows need nothing: they are
 * not live, so the host leaves them out, and a slot takes a new row only through the learner, which
 * marks it. Nothing is allocated per request or per item.
 */
final class BatchedItemScores {
    /** Scores per span of slots, host and device: memory bounded whatever the table's size times the batch. */
    private static final int SPAN_FLOATS = 1 << 20;

    private final ComputeBackend backend;
    private final EmbeddingTable items;
    private final int width;
    private final int capacity;
    private final int factorsAt;
    private final int history;
    private final int maxK;
    private final int spanRows;
    private final float[] users;
    private final DeviceFloats deviceUsers;
    private final float[] scores;
    private final DeviceFloats deviceScores;
    private final RecoExample[] examples;
    private final float[][] outputs;
    /** Request r's left-out slots at {@code [r·history, r·history + leftOut[r])}. */
    private final int[] leftOutSlots;
    private final int[] leftOut;
    /** One heap per request of a batch, made at a position's first use (maxK may be large). */
    private final TopK[] best;
    private final int[] bestSlots;
    private final float[] bestScores;
    private final BitSet changed = new BitSet();
    private DeviceFloats slab;
    private int slabRows;
    private long seenRewrites;
    private int size;

    /**
     * @param capacity most requests in a batch
     * @param factorsAt where a user's factors start in the user's state (the seen flag is at 0)
     * @param history most items a request leaves out
     */
    BatchedItemScores(final ComputeBackend backend, final EmbeddingTable items, final int capacity,
                      final int factorsAt, final int history, final int maxK) {
        this.backend = backend;
        this.items = items;
        this.width = items.width();
        this.capacity = capacity;
        this.factorsAt = factorsAt;
        this.history = history;
        this.maxK = maxK;
        this.spanRows = Math.max(1, SPAN_FLOATS / capacity);
        this.users = new float[capacity * width];
        this.deviceUsers = backend.allocateFloats(capacity * width);
        this.scores = new float[spanRows * capacity];
        this.deviceScores = backend.allocateFloats(spanRows * capacity);
        this.examples = new RecoExample[capacity];
        this.outputs = new float[capacity][];
        this.leftOutSlots = new int[capacity * history];
        this.leftOut = new int[capacity];
        this.best = new TopK[capacity];
        this.bestSlots = new int[maxK];
        this.bestScores = new float[maxK];
    }

    boolean isFull() {
        return size == capacity;
    }

    /** Requests waiting for {@link #score}. */
    int size() {
        return size;
    }

    /**
     * Adds a request of the user whose state is {@code user}; its answer goes into the example, and
     * the count of items into {@code output[0]}, at {@link #score}. Returns its index in the batch.
     */
    int add(final RecoExample example, final float[] user, final float[] output) {
        final int r = size++;
        examples[r] = example;
        outputs[r] = output;
        leftOut[r] = 0;
        final int at = r * width;
        users[at] = 1f;
        if (user[0] != 0f) {
            System.arraycopy(user, factorsAt, users, at + 1, width - 1);
        } else {
            java.util.Arrays.fill(users, at + 1, at + width, 0f);
        }
        return r;
    }

    /** Leaves the live item in {@code slot} out of request r's answer. */
    void leaveOut(final int r, final int slot) {
        leftOutSlots[r * history + leftOut[r]++] = slot;
    }

    /** Records that the learner wrote the row in {@code slot}, to send before the next batch. */
    void changed(final int slot) {
        changed.set(slot);
    }

    /** Scores the requests added since the last call against the table as it is now, and answers them. */
    void score() {
        if (size == 0) {
            return;
        }
        final int n = size;
        sync();
        for (int r = 0; r < n; r++) {
            if (best[r] == null) {
                best[r] = new TopK(maxK);
            }
            best[r].limit(Math.min(examples[r].k(), maxK));
        }
        backend.upload(users, 0, deviceUsers, 0, n * width);
        final int limit = items.slotLimit();
        for (int start = 0; start < limit; start += spanRows) {
            final int rows = Math.min(spanRows, limit - start);
            backend.gemm(false, true, rows, n, width, 1f, slab, start * width, width, deviceUsers, 0, width,
                    0f, deviceScores, 0, n, 1, 0, 0, 0);
            backend.download(deviceScores, 0, scores, 0, rows * n);
            for (int r = 0; r < n; r++) {
                for (int e = 0; e < leftOut[r]; e++) {
                    final int slot = leftOutSlots[r * history + e];
                    if (slot >= start && slot < start + rows) {
                        scores[(slot - start) * n + r] = Float.NaN;
                    }
                }
            }
            for (int i = 0; i < rows; i++) {
                if (!items.live(start + i)) {
                    continue;
                }
                final int at = i * n;
                for (int r = 0; r < n; r++) {
                    best[r].offer(start + i, scores[at + r]);
                }
            }
        }
        for (int r = 0; r < n; r++) {
            final int count = best[r].drainBestFirst(bestSlots, bestScores);
            final RecoExample example = examples[r];
            example.prepareAnswer(count);
            for (int j = 0; j < count; j++) {
                example.answer(items.id(bestSlots[j]), bestScores[j]);
            }
            outputs[r][0] = count;
            examples[r] = null;
            outputs[r] = null;
        }
        size = 0;
    }

    /** Brings the device copy of the live rows up to date with the host's table. */
    private void sync() {
        final float[] values = items.values();
        final int tableRows = values.length / width;
        final int limit = items.slotLimit();
        boolean whole = items.rewrites() != seenRewrites;
        if (slab == null || slabRows < tableRows) {
            // the table grew (or this is the first batch): a copy as large as the table, sent whole
            if (slab != null) {
                slab.close();
            }
            slab = backend.allocateFloats(tableRows * width);
            slabRows = tableRows;
            whole = true;
        }
        if (whole && limit > 0) {
            backend.upload(values, 0, slab, 0, limit * width);
        } else if (!whole) {
            for (int s = changed.nextSetBit(0); s >= 0 && s < limit; s = changed.nextSetBit(s)) {
                final int end = Math.min(changed.nextClearBit(s), limit);
                backend.upload(values, s * width, slab, s * width, (end - s) * width);
                s = end;
            }
        }
        seenRewrites = items.rewrites();
        changed.clear();
    }
}
