package io.eddy.state.api;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB options for model stores, on top of Kafka Streams' defaults. Per-key states of recurrent
 * models are kilobytes each and overwritten on every event of their key, so the store is mostly
 * large values replaced over and over: they go to blob files (key-value separation), and compaction
 * moves only keys and blob references instead of rewriting every state again and again.
 */
public final class ModelStoreRocksDbOptions implements RocksDBConfigSetter {
    /** Values from this size up (a per-key state of a few units) are kept in blob files. */
    static final long MIN_BLOB_BYTES = 1024;

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        options.setEnableBlobFiles(true);
        options.setMinBlobSize(MIN_BLOB_BYTES);
        // states are overwritten: relocate what is still live from the oldest blob files, so their
        // space comes back
        options.setEnableBlobGarbageCollection(true);
        options.setBlobGarbageCollectionAgeCutoff(0.5);
    }

    @Override
    public void close(final String storeName, final Options options) {
        // nothing allocated
    }
}
