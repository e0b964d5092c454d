package io.eddy.streams.internal.model;

import io.eddy.state.api.ModelStateStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * The per-key states of one task: a write-behind cache, least recently used out, in front of the
 * model store. A state read from the cache costs a copy instead of a RocksDB read and decode. Changed
 * states reach the store (and its changelog) once {@link #EARLY_WRITE_BYTES} of them have gathered,
 * at the next {@link #flush}, which the task runs before every commit, or when they leave the cache;
 * so a commit finds most of them sent and waits for little. A key stepped several times between two
 * writes is written once.
 */
final class KeyStates {
    /**
     * Changed states written out together as soon as this many bytes of them have gathered: half a
     * changelog producer batch, so that the producer sends them while the task goes on.
     */
    static final long EARLY_WRITE_BYTES = 256 * 1024;
    /**
     * Memory a cached state takes besides its floats: the key's wrapper and bytes (about ten characters),
     * the entry, the map's node and table slot, and the array's header; measured about 152 bytes a state.
     */
    static final int ENTRY_OVERHEAD_BYTES = 160;

    private final ModelStateStore store;
    private final int stateSize;
    private final int earlyWriteStates;
    /** Every entry changed since it was last written (and, now clean, some written on leaving the cache). */
    private final ArrayList<Entry> changed = new ArrayList<>();
    private final LinkedHashMap<Bytes, Entry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Bytes, Entry> eldest) {
            if (size() <= capacity) {
                return false;
            }
            writeIfDirty(eldest.getValue());
            return true;
        }
    };
    private int capacity;

    /**
     * @param earlyWriteBytes changed states of this many bytes are written out together before the
     *     commit ({@link #EARLY_WRITE_BYTES} in the engine)
     */
    KeyStates(final ModelStateStore store, final int stateSize, final long cacheBytes, final long earlyWriteBytes) {
        this.store = store;
        this.stateSize = stateSize;
        this.earlyWriteStates = (int) Math.max(1, Math.min(Integer.MAX_VALUE, earlyWriteBytes / (4L * stateSize)));
        resize(cacheBytes);
    }

    /** Keeps at most {@code cacheBytes} of states in memory, writing out those that no longer fit. */
    void resize(final long cacheBytes) {
        capacity = (int) Math.min(Integer.MAX_VALUE, cacheBytes / (4L * stateSize + ENTRY_OVERHEAD_BYTES));
        final Iterator<Map.Entry<Bytes, Entry>> entries = cache.entrySet().iterator();
        for (int excess = cache.size() - capacity; excess > 0 && entries.hasNext(); excess--) {
            writeIfDirty(entries.next().getValue());
            entries.remove();
        }
    }

    /** Copies the state of {@code key} into {@code into}; false (and zeros) for a key without one. */
    boolean read(final Bytes key, final float[] into) {
        return readSeen(key, into) != ModelStateStore.NO_ENTITY;
    }

    /**
     * Copies the state of {@code key} into {@code into} and returns when the key was last seen;
     * {@link ModelStateStore#NO_ENTITY} (and zeros) for a key without one.
     */
    long readSeen(final Bytes key, final float[] into) {
        final Entry cached = cache.get(key);
        if (cached != null) {
            System.arraycopy(cached.state, 0, into, 0, stateSize);
            return cached.lastSeenMs;
        }
        final long seen = store.readEntitySeen(key.get(), into);
        if (seen != ModelStateStore.NO_ENTITY && capacity > 0) {
            cache.put(key, new Entry(key, into.clone(), seen));
        }
        return seen;
    }

    /**
     * Sets the state of {@code key}, seen at event time {@code seenMs}. A cached key's last-seen time
     * becomes the later of that and the one it had, so that a late event does not make it look idle; for
     * a key not in the cache, the caller passes the later of its event's time and what {@link #readSeen}
     * returned, which it has already read.
     */
    void write(final Bytes key, final float[] state, final long seenMs) {
        if (capacity == 0) {
            store.writeEntity(key.get(), state, seenMs);
            return;
        }
        Entry entry = cache.get(key);
        if (entry == null) {
            entry = new Entry(key, state.clone(), seenMs);
            cache.put(key, entry);
        } else {
            System.arraycopy(state, 0, entry.state, 0, stateSize);
            entry.lastSeenMs = Math.max(entry.lastSeenMs, seenMs);
        }
        if (!entry.dirty) {
            entry.dirty = true;
            changed.add(entry);
            if (changed.size() >= earlyWriteStates) {
                flush();
            }
        }
    }

    /** Writes every changed state to the store. */
    void flush() {
        for (final Entry entry : changed) {
            writeIfDirty(entry);
        }
        changed.clear();
    }

    /**
     * Deletes every key last seen before {@code cutoffMs} ({@code Long.MAX_VALUE}: all of them), from
     * the store and the cache.
     */
    ModelStateStore.EntityCount evict(final long cutoffMs) {
        flush();
        cache.values().removeIf(entry -> cutoffMs == Long.MAX_VALUE || entry.lastSeenMs < cutoffMs);
        return store.evictEntities(cutoffMs);
    }

    private void writeIfDirty(final Entry entry) {
        if (entry.dirty) {
            store.writeEntity(entry.key.get(), entry.state, entry.lastSeenMs);
            entry.dirty = false;
        }
    }

    /** A cached state; a new one is clean until {@link #write} marks it changed. */
    private static final class Entry {
        final Bytes key;
        final float[] state;
        long lastSeenMs;
        boolean dirty;

        Entry(final Bytes key, final float[] state, final long lastSeenMs) {
            this.key = key;
            this.state = state;
            this.lastSeenMs = lastSeenMs;
        }
    }
}
