package io.eddy.state.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class ModelStoreRocksDbOptionsTest {

    @Test
    void shouldKeepLargeStatesInBlobFilesAndReadTheLatestBack(@TempDir final Path dir)
            throws RocksDBException, IOException {
        final int keys = 200;
        final int stateBytes = 4 * (int) ModelStoreRocksDbOptions.MIN_BLOB_BYTES;
        try (Options options = new Options().setCreateIfMissing(true)) {
            new ModelStoreRocksDbOptions().setConfig("model-state", options, Map.of());
            try (RocksDB db = RocksDB.open(options, dir.toString());
                 FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                for (int round = 0; round < 5; round++) {
                    for (int k = 0; k < keys; k++) {
                        db.put(key(k), state(k, round, stateBytes));
                    }
                    db.flush(flush);
                }
                db.put(key(-1), new byte[] {1, 2, 3}); // small values stay in the table files
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.anyMatch(file -> file.toString().endsWith(".blob")),
                        "large states should be in blob files");
            }
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                for (int k = 0; k < keys; k++) {
                    assertArrayEquals(state(k, 4, stateBytes), db.get(key(k)), "key " + k);
                }
                assertArrayEquals(new byte[] {1, 2, 3}, db.get(key(-1)));
                assertEquals(null, db.get(key(keys)));
            }
        }
    }

    private static byte[] key(final int k) {
        return ("key-" + k).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] state(final int k, final int round, final int size) {
        final byte[] state = new byte[size];
        Arrays.fill(state, (byte) (31 * k + round));
        state[0] = (byte) round;
        return state;
    }
}
