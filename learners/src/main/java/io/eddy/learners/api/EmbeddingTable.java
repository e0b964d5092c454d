package io.eddy.learners.api;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Rows of {@code width} floats for an unbounded space of ids: a row is created the first time its id
 * is seen (no vocabulary fixed in advance, and no hashing of ids into shared rows), and evicted when it
 * has not been seen for a while or when the table holds more rows than allowed. The rows live in one
 * float slab, so that scoring every row is one pass over contiguous memory.
 *
 * <p>A new row's initial values depend only on the seed and the id, never on the order in which ids
 * arrive: a replay creates the same rows. A new row takes the lowest free slot, so that where rows lie
 * depends only on which are live: a table restored from its rows ({@link #restore}) lays them out as
 * the table that saved them did, and goes on exactly as it would have (slots matter to a learner that
 * samples rows by slot).
 *
 * <p>For persistence, the table records which rows changed since {@link #drainChanges} last ran, and
 * which ids were evicted; a learner that writes a row's values marks it with {@link #markChanged}.
 */
public final class EmbeddingTable {
    private final int width;
    private final long seed;
    private final float initScale;
    private final int zeroed;
    private final IdIndex index;
    private float[] values;
    private long[] lastSeen;
    private String[] ids;
    /** Free slots below {@link #highWater}. */
    private final BitSet free = new BitSet();
    private final BitSet changed = new BitSet();
    private String[] evictedIds = new String[16];
    private int evictedCount;
    private int highWater;
    private long created;
    private long evicted;
    private long rewrites;

    /**
     * @param width floats per row
     * @param zeroed floats at the start of a row that start at 0 (biases); the rest start uniform
     *     in ±initScale
     */
    public EmbeddingTable(final int width, final int zeroed, final float initScale, final long seed,
                          final int expectedRows) {
        if (width < 1 || zeroed < 0 || zeroed > width || expectedRows < 1) {
            throw new IllegalArgumentException("need width >= 1, 0 <= zeroed <= width, expectedRows >= 1");
        }
        if (expectedRows > maxRows(width)) {
            // the int product expectedRows · width would wrap, to a table smaller than its ids
            throw new IllegalArgumentException("a table of " + width + "-float rows holds at most " + maxRows(width)
                    + " rows, not the " + expectedRows + " expected");
        }
        this.width = width;
        this.zeroed = zeroed;
        this.initScale = initScale;
        this.seed = seed;
        this.index = new IdIndex(expectedRows);
        this.values = new float[expectedRows * width];
        this.lastSeen = new long[expectedRows];
        this.ids = new String[expectedRows];
    }

    /** Receives the rows that changed and the ids evicted, for persistence. */
    public interface ChangeSink {
        /** A live row: its id, slot, when it was last seen, and its values from {@code at} in {@code values}. */
        void row(String id, int slot, long lastSeen, float[] values, int at);

        /** An id whose row was evicted (and not created again since). */
        void evicted(String id);
    }

    public int width() {
        return width;
    }

    /** The slot of {@code id}'s row, or -1 when it has none. */
    public int find(final String id) {
        return index.get(id);
    }

    /** The slot of {@code id}'s row, created if it has none; records that it was seen at {@code now}. */
    public int getOrCreate(final String id, final long now) {
        int slot = index.get(id);
        if (slot < 0) {
            slot = free.isEmpty() ? highWater++ : free.nextSetBit(0);
            free.clear(slot);
            if (slot >= ids.length) {
                grow(slot + 1);
            }
            ids[slot] = id;
            index.put(id, slot);
            seededRow(seed, id, initScale, zeroed, values, slot * width, width);
            created++;
        }
        lastSeen[slot] = now;
        changed.set(slot);
        return slot;
    }

    /** Records that a learner wrote the row in {@code slot}. */
    public void markChanged(final int slot) {
        changed.set(slot);
    }

    /**
     * Hands every row changed since the last call, and every id evicted, to {@code sink}, and forgets
     * them. An id evicted and created again is reported as a row only.
     */
    public void drainChanges(final ChangeSink sink) {
        for (int e = 0; e < evictedCount; e++) {
            if (index.get(evictedIds[e]) < 0) {
                sink.evicted(evictedIds[e]);
            }
            evictedIds[e] = null;
        }
        evictedCount = 0;
        for (int slot = changed.nextSetBit(0); slot >= 0; slot = changed.nextSetBit(slot + 1)) {
            if (ids[slot] != null) {
                sink.row(ids[slot], slot, lastSeen[slot], values, slot * width);
            }
        }
        changed.clear();
    }

    /**
     * Empties the table without recording evictions, to be filled again by {@link #restore} (a
     * rollback: the store already holds the rows to restore). The counts carry on.
     */
    public void clear() {
        index.clear();
        Arrays.fill(ids, null);
        Arrays.fill(values, 0f);
        free.clear();
        changed.clear();
        Arrays.fill(evictedIds, 0, evictedCount, null);
        evictedCount = 0;
        highWater = 0;
        rewrites++;
    }

    /**
     * Puts a saved row back in its slot: for a table being restored, before any other use, with every
     * saved row in any order. Counts as neither created nor changed.
     */
    public void restore(final String id, final int slot, final long seen, final float[] row, final int at) {
        if (slot >= ids.length) {
            grow(slot + 1);
        }
        if (ids[slot] != null || index.get(id) >= 0) {
            throw new IllegalStateException("slot " + slot + " or id '" + id + "' is taken already");
        }
        for (int s = highWater; s < slot; s++) {
            free.set(s);
        }
        highWater = Math.max(highWater, slot + 1);
        free.clear(slot);
        ids[slot] = id;
        index.put(id, slot);
        lastSeen[slot] = seen;
        System.arraycopy(row, at, values, slot * width, width);
        rewrites++;
    }

    /**
     * How many times rows were written from outside the learner ({@link #clear}, {@link #restore}): a
     * learner that keeps a copy of the rows elsewhere (on a GPU) sends them again when this moves.
     */
    public long rewrites() {
        return rewrites;
    }

    /** The slab of all rows: slot s's row is {@code [s·width, (s+1)·width)}. Slots not live hold zeros. */
    public float[] values() {
        return values;
    }

    /** One past the highest live slot. */
    public int slotLimit() {
        return highWater;
    }

    /** Whether {@code slot} holds a row. */
    public boolean live(final int slot) {
        return slot < highWater && ids[slot] != null;
    }

    /** The id of a live slot. */
    public String id(final int slot) {
        return ids[slot];
    }

    public long lastSeen(final int slot) {
        return lastSeen[slot];
    }

    /** Rows held now. */
    public int liveRows() {
        return index.size();
    }

    /** Rows created since this table was made. */
    public long created() {
        return created;
    }

    /** Rows evicted since this table was made. */
    public long evicted() {
        return evicted;
    }

    /** Records that the row in {@code slot} was seen at {@code now} (and changed). */
    public void touch(final int slot, final long now) {
        lastSeen[slot] = now;
        changed.set(slot);
    }

    /** Undoes the creation of the row in {@code slot}: an update that failed leaves no row behind. */
    public void discard(final int slot) {
        evict(slot);
        evictedIds[--evictedCount] = null;
        changed.clear(slot);
        evicted--;
        created--;
    }

    /** Evicts every row last seen before {@code now - idle}; returns how many. */
    public int evictIdle(final long now, final long idle) {
        int count = 0;
        for (int slot = 0; slot < highWater; slot++) {
            if (ids[slot] != null && lastSeen[slot] < now - idle) {
                evict(slot);
                count++;
            }
        }
        return count;
    }

    /**
     * When more than {@code maxRows} rows are live, evicts the least recently seen until {@code maxRows}
     * remain (those seen at the cut-off time itself go too, oldest slots first); returns how many.
     */
    public int evictOver(final int maxRows) {
        final int excess = liveRows() - maxRows;
        if (excess <= 0) {
            return 0;
        }
        final long[] seen = new long[liveRows()];
        int n = 0;
        for (int slot = 0; slot < highWater; slot++) {
            if (ids[slot] != null) {
                seen[n++] = lastSeen[slot];
            }
        }
        Arrays.sort(seen);
        final long cutoff = seen[excess - 1];
        int count = 0;
        for (int slot = 0; slot < highWater && count < excess; slot++) {
            if (ids[slot] != null && lastSeen[slot] < cutoff) {
                evict(slot);
                count++;
            }
        }
        for (int slot = 0; slot < highWater && count < excess; slot++) {
            if (ids[slot] != null && lastSeen[slot] == cutoff) {
                evict(slot);
                count++;
            }
        }
        return count;
    }

    private void evict(final int slot) {
        index.remove(ids[slot]);
        if (evictedCount == evictedIds.length) {
            evictedIds = Arrays.copyOf(evictedIds, evictedIds.length * 2);
        }
        evictedIds[evictedCount++] = ids[slot];
        ids[slot] = null;
        Arrays.fill(values, slot * width, (slot + 1) * width, 0f);
        free.set(slot);
        // the slot limit stays one past the highest live row, a function of the live rows alone
        while (highWater > 0 && ids[highWater - 1] == null) {
            highWater--;
            free.clear(highWater);
        }
        evicted++;
    }

    /** Most rows a table of {@code width} floats a row can hold in its one float array. */
    public static int maxRows(final int width) {
        return (Integer.MAX_VALUE - 8) / width;
    }

    private void grow(final int atLeast) {
        final int rows = (int) Math.min(Math.max(2L * ids.length, atLeast), maxRows(width));
        if (rows < atLeast) {
            throw new IllegalStateException("a table of " + width + "-float rows holds at most " + maxRows(width)
                    + " rows");
        }
        values = Arrays.copyOf(values, rows * width);
        lastSeen = Arrays.copyOf(lastSeen, rows);
        ids = Arrays.copyOf(ids, rows);
    }

    /**
     * A new row for {@code id}: {@code zeroed} zeros (biases), then values uniform in ±scale from a
     * generator seeded by {@code seed} and the id alone.
     */
    public static void seededRow(final long seed, final String id, final float scale, final int zeroed,
                                 final float[] into, final int at, final int width) {
        long state = hashId(seed * 0x9E3779B97F4A7C15L, id);
        for (int j = 0; j < width; j++) {
            if (j < zeroed) {
                into[at + j] = 0f;
                continue;
            }
            state += 0x9E3779B97F4A7C15L;
            into[at + j] = scale * (2f * unit(state) - 1f);
        }
    }

    /** FNV-1a over the id's chars, from {@code start}: a 64-bit hash of an id. */
    public static long hashId(final long start, final String id) {
        long h = start;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** splitmix64's finaliser as a float in [0, 1). */
    public static float unit(final long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
