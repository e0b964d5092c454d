package io.eddy.state.api;

import io.eddy.learners.api.ParameterState;
import io.eddy.state.internal.StateCodec;
import io.eddy.state.internal.StateKeys;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * One task's model state in RocksDB with a changelog: the meta record, the parameter blocks, named
 * snapshots and per-key state, under the key layout of {@code StateKeys}.
 *
 * <p>Learners keep dense parameters in memory for speed. This store writes the blocks they changed
 * to RocksDB and the changelog <em>before every commit</em>, so a committed input offset never runs
 * ahead of the committed model state (exactly-once learning). Kafka Streams offers no public
 * pre-commit hook to stores, so this class implements its {@link CachedStateStore} contract: Streams
 * calls {@link #flushCache()} on every store of a task before it flushes the producer and commits
 * the transaction (StreamTask#prepareCommit, Kafka 4.3). The kill-and-restart integration test
 * guards that assumption.
 *
 * <p>Called by the task's thread only.
 */
public final class ModelStateStore implements StateStore, CachedStateStore<Bytes, byte[]> {
    private static final BytesSerializer PREFIX_SERIALIZER = new BytesSerializer();
    private final KeyValueStore<Bytes, byte[]> inner;
    private Runnable beforeCommit = () -> { };

    private ModelStateStore(final KeyValueStore<Bytes, byte[]> inner) {
        this.inner = inner;
    }

    /** A builder of RocksDB-backed, changelogged stores named {@code name}. */
    public static StoreBuilder<ModelStateStore> builder(final String name, final Map<String, String> changelogConfig) {
        final StoreBuilder<KeyValueStore<Bytes, byte[]>> innerBuilder = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig)
                .withCachingDisabled();
        return new StoreBuilder<>() {
            private boolean loggingEnabled = true;

            @Override
            public StoreBuilder<ModelStateStore> withCachingEnabled() {
                throw new UnsupportedOperationException("a model store has its own write-behind; no Streams cache");
            }

            @Override
            public StoreBuilder<ModelStateStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<ModelStateStore> withLoggingEnabled(final Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<ModelStateStore> withLoggingDisabled() {
                throw new UnsupportedOperationException("a model store always has a changelog");
            }

            @Override
            public ModelStateStore build() {
                return new ModelStateStore(innerBuilder.build());
            }

            @Override
            public Map<String, String> logConfig() {
                return innerBuilder.logConfig();
            }

            @Override
            public boolean loggingEnabled() {
                return loggingEnabled;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Sets what runs before each commit: normally writing changed blocks and the meta record. */
    public void beforeCommit(final Runnable action) {
        this.beforeCommit = action;
    }

    /** The stored meta record, or {@code null} for a task that has never committed state. */
    public ModelMeta meta() {
        final byte[] bytes = inner.get(StateKeys.META_KEY);
        return bytes == null ? null : StateCodec.decodeMeta(bytes);
    }

    public void putMeta(final ModelMeta meta) {
        inner.put(StateKeys.META_KEY, StateCodec.encodeMeta(meta));
    }

    /** Loads every stored block into {@code params}; blocks not stored are zero. */
    public void loadParameters(final ParameterState params) {
        params.clear();
        try (KeyValueIterator<Bytes, byte[]> blocks = keysStartingWith(StateKeys.blocksPrefix())) {
            while (blocks.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = blocks.next();
                StateCodec.decodeBlock(entry.value, params, StateKeys.blockIndex(entry.key));
            }
        }
        drainChanged(params, null);
    }

    /** Writes every block changed since the last call; an all-zero block is deleted instead. */
    public void writeChangedParameters(final ParameterState params) {
        drainChanged(params, inner);
    }

    /** Stores a copy of {@code params} and {@code meta} under {@code name}, replacing an older one. */
    public void saveSnapshot(final String name, final ModelMeta meta, final ParameterState params) {
        deleteKeysStartingWith(StateKeys.snapshotBlocksPrefix(name));
        for (int block = 0; block < params.blockCount(); block++) {
            final byte[] value = StateCodec.encodeBlock(params, block);
            if (value != null) {
                inner.put(StateKeys.snapshotBlock(name, block), value);
            }
        }
        inner.put(StateKeys.snapshotMeta(name), StateCodec.encodeMeta(meta));
    }

    /**
     * Replaces {@code params} with snapshot {@code name} and marks every block changed.
     *
     * @return the snapshot's meta, or {@code null} (and {@code params} untouched) if there is none
     */
    public ModelMeta restoreSnapshot(final String name, final ParameterState params) {
        final byte[] metaBytes = inner.get(StateKeys.snapshotMeta(name));
        if (metaBytes == null) {
            return null;
        }
        params.clear();
        try (KeyValueIterator<Bytes, byte[]> blocks =
                     keysStartingWith(StateKeys.snapshotBlocksPrefix(name))) {
            while (blocks.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = blocks.next();
                StateCodec.decodeBlock(entry.value, params, StateKeys.blockIndex(entry.key));
            }
        }
        params.markAllChanged();
        return StateCodec.decodeMeta(metaBytes);
    }

    /** Reads the per-key state of {@code key} into {@code into}; returns false (zeroing it) if none. */
    public boolean readEntity(final byte[] key, final float[] into) {
        return readEntitySeen(key, into) != NO_ENTITY;
    }

    /**
     * Reads the per-key state of {@code key} into {@code into} and returns when it was last seen, or
     * {@link #NO_ENTITY} (zeroing it) if none is stored.
     */
    public long readEntitySeen(final byte[] key, final float[] into) {
        final byte[] bytes = inner.get(StateKeys.entity(key));
        if (bytes == null) {
            java.util.Arrays.fill(into, 0f);
            return NO_ENTITY;
        }
        StateCodec.decodeEntity(bytes, into);
        return StateCodec.entityLastSeen(bytes);
    }


    /** What {@link #readEntitySeen} returns for a key without a stored state. */
    public static final long NO_ENTITY = Long.MIN_VALUE;

    /** Stores the per-key state of {@code key}, seen last at event time {@code lastSeenMs}. */
    public void writeEntity(final byte[] key, final float[] state, final long lastSeenMs) {
        inner.put(StateKeys.entity(key), StateCodec.encodeEntity(lastSeenMs, state));
    }

    /** Bytes of the stored value of one key's state of {@code floats} floats, without its key. */
    public static int entityBytes(final int floats) {
        return StateCodec.entityBytes(floats);
    }

    /**
     * Deletes the per-key state of every key last seen before {@code cutoffMs} (all of it for
     * {@code Long.MAX_VALUE}) and counts what remains.
     *
     * @return the keys left and the keys deleted
     */
    public EntityCount evictEntities(final long cutoffMs) {
        final java.util.List<Bytes> stale = new java.util.ArrayList<>();
        long live = 0;
        try (KeyValueIterator<Bytes, byte[]> entities = keysStartingWith(StateKeys.entitiesPrefix())) {
            while (entities.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = entities.next();
                // Long.MAX_VALUE: every key, also one whose event was stamped Long.MAX_VALUE
                if (cutoffMs == Long.MAX_VALUE || StateCodec.entityLastSeen(entry.value) < cutoffMs) {
                    stale.add(entry.key);
                } else {
                    live++;
                }
            }
        }
        for (final Bytes key : stale) {
            inner.delete(key);
        }
        return new EntityCount(live, stale.size());
    }

    /**
     * The count of keys with per-key state that {@link #putEntityCount} stored, or -1 if none was (a
     * store written before the count was kept): a task starts from it instead of reading every key's
     * state to count them.
     */
    public long entityCount() {
        final byte[] bytes = inner.get(StateKeys.ENTITY_COUNT_KEY);
        return bytes == null ? -1 : StateCodec.decodeCount(bytes);
    }

    /** Stores the count of keys with per-key state, to be written with the states it counts. */
    public void putEntityCount(final long keys) {
        inner.put(StateKeys.ENTITY_COUNT_KEY, StateCodec.encodeCount(keys));
    }

    /**
     * The event time of the last pass that evicted idle keys' states ({@link #putEvictedThrough}), or
     * {@code Long.MIN_VALUE} if none was stored.
     */
    public long evictedThrough() {
        final byte[] bytes = inner.get(StateKeys.EVICTED_THROUGH_KEY);
        return bytes == null ? Long.MIN_VALUE : StateCodec.decodeCount(bytes);
    }

    /** Stores the event time of an eviction pass, to be written with the states it evicted. */
    public void putEvictedThrough(final long eventTimeMs) {
        inner.put(StateKeys.EVICTED_THROUGH_KEY, StateCodec.encodeCount(eventTimeMs));
    }

    /** Receives a stored row of a learner's table. */
    @FunctionalInterface
    public interface RowVisitor {
        void row(String id, int slot, long lastSeen, float[] values);
    }

    /**
     * Stores row {@code id} of table {@code table} (a learner's rows for an unbounded id space): its
     * slot, when it was last seen, and {@code width} values from {@code at}.
     */
    public void writeRow(final int table, final String id, final int slot, final long lastSeen, final float[] values,
                         final int at, final int width) {
        final float[] stored = new float[1 + width];
        stored[0] = slot;
        System.arraycopy(values, at, stored, 1, width);
        inner.put(StateKeys.row(table, id), StateCodec.encodeEntity(lastSeen, stored));
    }

    public void deleteRow(final int table, final String id) {
        inner.delete(StateKeys.row(table, id));
    }

    /** Hands every stored row of {@code table} ({@code width} values each) to {@code visitor}; returns how many. */
    public long loadRows(final int table, final int width, final RowVisitor visitor) {
        final float[] stored = new float[1 + width];
        final float[] values = new float[width];
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> rows = keysStartingWith(StateKeys.rowsPrefix(table))) {
            while (rows.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = rows.next();
                StateCodec.decodeEntity(entry.value, stored);
                System.arraycopy(stored, 1, values, 0, width);
                visitor.row(StateKeys.rowId(entry.key), (int) stored[0], StateCodec.entityLastSeen(entry.value),
                        values);
                count++;
            }
        }
        return count;
    }

    /** Deletes every stored row of {@code table} (a reset). */
    public void deleteRows(final int table) {
        deleteKeysStartingWith(StateKeys.rowsPrefix(table));
    }

    /** Copies every stored row of {@code table} into snapshot {@code name}, replacing the snapshot's rows. */
    public void saveSnapshotRows(final String name, final int table) {
        deleteKeysStartingWith(StateKeys.snapshotRowsPrefix(name, table));
        try (KeyValueIterator<Bytes, byte[]> rows = keysStartingWith(StateKeys.rowsPrefix(table))) {
            while (rows.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = rows.next();
                inner.put(StateKeys.snapshotRow(name, table, StateKeys.rowId(entry.key)), entry.value);
            }
        }
    }

    /** Replaces the stored rows of {@code table} with those of snapshot {@code name}. */
    public void restoreSnapshotRows(final String name, final int table) {
        deleteRows(table);
        try (KeyValueIterator<Bytes, byte[]> rows =
                     keysStartingWith(StateKeys.snapshotRowsPrefix(name, table))) {
            while (rows.hasNext()) {
                final KeyValue<Bytes, byte[]> entry = rows.next();
                inner.put(StateKeys.row(table, StateKeys.snapshotRowId(name, entry.key)), entry.value);
            }
        }
    }

    /** The stored entries whose keys start with {@code prefix}, in key order. */
    private KeyValueIterator<Bytes, byte[]> keysStartingWith(final Bytes prefix) {
        return inner.prefixScan(prefix, PREFIX_SERIALIZER);
    }

    /** Deletes every key that starts with {@code prefix}. */
    private void deleteKeysStartingWith(final Bytes prefix) {
        final java.util.List<Bytes> keys = new java.util.ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> rows = keysStartingWith(prefix)) {
            while (rows.hasNext()) {
                keys.add(rows.next().key);
            }
        }
        for (final Bytes key : keys) {
            inner.delete(key);
        }
    }

    /** Keys with per-key state after an eviction pass, and keys the pass deleted. */
    public record EntityCount(long live, long evicted) {
    }


    private static void drainChanged(final ParameterState params, final KeyValueStore<Bytes, byte[]> target) {
        final int[] changed = new int[256];
        for (int n = params.drainChanged(changed); n > 0; n = params.drainChanged(changed)) {
            if (target == null) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                final byte[] value = StateCodec.encodeBlock(params, changed[i]);
                if (value == null) {
                    target.delete(StateKeys.block(changed[i]));
                } else {
                    target.put(StateKeys.block(changed[i]), value);
                }
            }
        }
    }

    // --- StateStore: delegate to the RocksDB store underneath, registered with this as its root ---

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        inner.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(final Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(final TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    // --- CachedStateStore: the pre-commit hook ---

    @Override
    public boolean setFlushListener(final CacheFlushListener<Bytes, byte[]> listener, final boolean sendOldValues) {
        return false;
    }

    /** Called by Streams before every commit of this task: persist what learning changed. */
    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    /** Called when a task's state was recycled; in-memory parameters are reloaded by the processor. */
    @Override
    public void clearCache() {
    }
}
