package io.eddy.streams.internal.model;

import io.eddy.state.api.ModelStateStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * The per-key states of one task: a write-behind cache, least recently used out, in front of the
 * model store. A state read from the cache costs a copy instead of a RocksDB read and decode; a
 * changed state reaches the store (and its changelog) at the next {@link #flush}, which the task runs
 * before every commit, or when it leaves the cache. A key stepped several times between two commits
 * is written once.
 */
final class KeyStates {
    private final ModelStateStore store;
    private final int stateSize;
    private final LinkedHashMap<Bytes, Entry> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Bytes, Entry> eldest) {
            if (size() <= capacity) {
                return false;
            }
            writeIfDirty(eldest.getKey(), eldest.getValue());
            return true;
        }
    };
    private int capacity;

    KeyStates(final ModelStateStore store, final int stateSize, final long cacheBytes) {
        this.store = store;
        this.stateSize = stateSize;
        resize(cacheBytes);
    }

    /** Keeps at most {@code cacheBytes} of states in memory, writing out those that no longer fit. */
    void resize(final long cacheBytes) {
        capacity = (int) Math.min(Integer.MAX_VALUE, cacheBytes / (4L * stateSize + 64));
        final Iterator<Map.Entry<Bytes, Entry>> entries = cache.entrySet().iterator();
        for (int excess = cache.size() - capacity; excess > 0 && entries.hasNext(); excess--) {
            final Map.Entry<Bytes, Entry> eldest = entries.next();
            writeIfDirty(eldest.getKey(), eldest.getValue());
            entries.remove();
        }
    }

    /** Copies the state of {@code key} into {@code into}; false (and zeros) for a key without one. */
    boolean read(final Bytes key, final float[] into) {
        final Entry cached = cache.get(key);
        if (cached != null) {
            System.arraycopy(cached.state, 0, into, 0, stateSize);
            return true;
        }
        final boolean stored = store.readEntity(key.get(), into);
        if (stored && capacity > 0) {
            cache.put(key, new Entry(into.clone(), Long.MIN_VALUE, false));
        }
        return stored;
    }

    /** Sets the state of {@code key}, seen last at event time {@code lastSeenMs}. */
    void write(final Bytes key, final float[] state, final long lastSeenMs) {
        if (capacity == 0) {
            store.writeEntity(key.get(), state, lastSeenMs);
            return;
        }
        final Entry cached = cache.get(key);
        if (cached == null) {
            cache.put(key, new Entry(state.clone(), lastSeenMs, true));
            return;
        }
        System.arraycopy(state, 0, cached.state, 0, stateSize);
        cached.lastSeenMs = lastSeenMs;
        cached.dirty = true;
    }

    /** Writes every changed state to the store. */
    void flush() {
        for (final Map.Entry<Bytes, Entry> entry : cache.entrySet()) {
            writeIfDirty(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Deletes every key last seen before {@code cutoffMs} ({@code Long.MAX_VALUE}: all of them), from
     * the store and the cache.
     */
    ModelStateStore.EntityCount evict(final long cutoffMs) {
        flush();
        // entries only read so far carry no time of their own (MIN_VALUE) and go too: they are clean
        cache.values().removeIf(entry -> entry.lastSeenMs < cutoffMs);
        return store.evictEntities(cutoffMs);
    }

    private void writeIfDirty(final Bytes key, final Entry entry) {
        if (entry.dirty) {
            store.writeEntity(key.get(), entry.state, entry.lastSeenMs);
            entry.dirty = false;
        }
    }

    private static final class Entry {
        final float[] state;
        long lastSeenMs;
        boolean dirty;

        Entry(final float[] state, final long lastSeenMs, final boolean dirty) {
            this.state = state;
            this.lastSeenMs = lastSeenMs;
            this.dirty = dirty;
        }
    }
}
