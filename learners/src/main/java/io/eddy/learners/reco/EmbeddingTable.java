package io.eddy.learners.reco;

import java.util.Arrays;

/**
 * Rows of {@code width} floats for an unbounded space of ids: a row is created the first time its id
 * is seen (no vocabulary fixed in advance, and no hashing of ids into shared rows), and evicted when it
 * has not been seen for a while or when the table holds more rows than allowed. The rows live in one
 * float slab, so that scoring every row is one pass over contiguous memory.
 *
 * <p>A new row's initial values depend only on the seed and the id, never on the order in which ids
 * arrive: a replay creates the same rows.
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
    private int[] free;
    private int freeCount;
    private int highWater;
    private long created;
    private long evicted;

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
        this.width = width;
        this.zeroed = zeroed;
        this.initScale = initScale;
        this.seed = seed;
        this.index = new IdIndex(expectedRows);
        this.values = new float[expectedRows * width];
        this.lastSeen = new long[expectedRows];
        this.ids = new String[expectedRows];
        this.free = new int[16];
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
            slot = freeCount > 0 ? free[--freeCount] : highWater++;
            if (slot >= ids.length) {
                grow();
            }
            ids[slot] = id;
            index.put(id, slot);
            seededRow(seed, id, initScale, zeroed, values, slot * width, width);
            created++;
        }
        lastSeen[slot] = now;
        return slot;
    }

    /** The slab of all rows: slot s's row is {@code [s·width, (s+1)·width)}. Slots not live hold zeros. */
    public float[] values() {
        return values;
    }

    /** One past the highest slot in use; live slots lie below it. */
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

    /** Records that the row in {@code slot} was seen at {@code now}. */
    public void touch(final int slot, final long now) {
        lastSeen[slot] = now;
    }

    /** Undoes the creation of the row in {@code slot}: an update that failed leaves no row behind. */
    public void discard(final int slot) {
        evict(slot);
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
        ids[slot] = null;
        Arrays.fill(values, slot * width, (slot + 1) * width, 0f);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        evicted++;
    }

    private void grow() {
        final int rows = ids.length * 2;
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
        long state = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < id.length(); i++) {
            state = (state ^ id.charAt(i)) * 0x100000001B3L;
        }
        for (int j = 0; j < width; j++) {
            if (j < zeroed) {
                into[at + j] = 0f;
                continue;
            }
            state += 0x9E3779B97F4A7C15L;
            into[at + j] = scale * (2f * unit(state) - 1f);
        }
    }

    /** splitmix64's finaliser as a float in [0, 1). */
    static float unit(final long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }
}
