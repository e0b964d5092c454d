package io.eddy.state.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key layout inside a model's store. A leading tag byte keeps each kind of record in its own key
 * range, so one prefix scan reads all parameter blocks, or all blocks of one snapshot. Reads go by
 * prefix, not by {@code range(from, to)}: a store's range includes {@code to}, and the first key past
 * one table's rows is the next table's row with the empty id.
 */
public final class StateKeys {
    static final byte META = 1;
    static final byte BLOCK = 2;
    static final byte SNAPSHOT_META = 3;
    static final byte SNAPSHOT_BLOCK = 4;
    static final byte ENTITY = 5;
    static final byte ROW = 6;
    static final byte SNAPSHOT_ROW = 7;
    static final byte ENTITY_COUNT = 8;
    static final byte EVICTED_THROUGH = 9;

    public static final Bytes META_KEY = Bytes.wrap(new byte[] {META});
    /** The number of keys with per-key state, as of the last commit. */
    public static final Bytes ENTITY_COUNT_KEY = Bytes.wrap(new byte[] {ENTITY_COUNT});
    /** The event time of the last pass that evicted idle keys' states. */
    public static final Bytes EVICTED_THROUGH_KEY = Bytes.wrap(new byte[] {EVICTED_THROUGH});

    private StateKeys() {
    }

    public static Bytes block(final int block) {
        return Bytes.wrap(ByteBuffer.allocate(5).put(BLOCK).putInt(block).array());
    }

    public static int blockIndex(final Bytes key) {
        return ByteBuffer.wrap(key.get()).getInt(key.get().length - 4);
    }

    /** The prefix of every block's key. */
    public static Bytes blocksPrefix() {
        return Bytes.wrap(new byte[] {BLOCK});
    }

    public static Bytes snapshotMeta(final String name) {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + utf8.length).put(SNAPSHOT_META).put(utf8).array());
    }

    public static Bytes snapshotBlock(final String name, final int block) {
        final byte[] prefix = snapshotPrefix(name);
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + 4).put(prefix).putInt(block).array());
    }

    /** The prefix of the keys of snapshot {@code name}'s blocks, and of no other snapshot's. */
    public static Bytes snapshotBlocksPrefix(final String name) {
        return Bytes.wrap(snapshotPrefix(name));
    }

    public static Bytes entity(final byte[] key) {
        return Bytes.wrap(ByteBuffer.allocate(1 + key.length).put(ENTITY).put(key).array());
    }

    /** The prefix of every per-key state's key. */
    public static Bytes entitiesPrefix() {
        return Bytes.wrap(new byte[] {ENTITY});
    }

    /** The key of row {@code id} of a learner's table {@code table}. */
    public static Bytes row(final int table, final String id) {
        final byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 + utf8.length).put(ROW).put((byte) table).put(utf8).array());
    }

    /** The id of a row key. */
    public static String rowId(final Bytes key) {
        return new String(key.get(), 2, key.get().length - 2, StandardCharsets.UTF_8);
    }

    /** The key of row {@code id} of table {@code table} in snapshot {@code name}. */
    public static Bytes snapshotRow(final String name, final int table, final String id) {
        final byte[] prefix = snapshotRowPrefix(name, table);
        final byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(prefix.length + utf8.length).put(prefix).put(utf8).array());
    }

    /** The id of a snapshot row key of snapshot {@code name}. */
    public static String snapshotRowId(final String name, final Bytes key) {
        final int prefix = snapshotRowPrefix(name, 0).length;
        return new String(key.get(), prefix, key.get().length - prefix, StandardCharsets.UTF_8);
    }

    /** The prefix of the keys of table {@code table}'s rows in snapshot {@code name}. */
    public static Bytes snapshotRowsPrefix(final String name, final int table) {
        return Bytes.wrap(snapshotRowPrefix(name, table));
    }

    private static byte[] snapshotRowPrefix(final String name, final int table) {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + utf8.length).put(SNAPSHOT_ROW).put(utf8).put((byte) 0).put((byte) table)
                .array();
    }

    /** The prefix of the keys of table {@code table}'s rows. */
    public static Bytes rowsPrefix(final int table) {
        return Bytes.wrap(new byte[] {ROW, (byte) table});
    }

    private static byte[] snapshotPrefix(final String name) {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        // name, then a 0 separator: snapshot names never contain NUL (the admin rejects them)
        return ByteBuffer.allocate(2 + utf8.length).put(SNAPSHOT_BLOCK).put(utf8).put((byte) 0).array();
    }
}
