package io.eddy.connectors.dataset;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt IDX header gets an IOException naming the file, not an OutOfMemoryError. */
class IdxFileCorruptionTest {
    @TempDir
    Path dir;

    /**
     * A 20-byte labels file whose count was corrupted to 2,000,000,000: the reader allocates the
     * promised 2 GB before reading, so it dies with OutOfMemoryError (tests run with -Xmx1g) instead of
     * saying the file is truncated.
     */
    @Test
    void shouldCallAFileTruncatedWhenItsHeaderPromisesFarMoreThanItHolds() throws IOException {
        for (final boolean gz : new boolean[] {false, true}) {
            final Path corrupt = IdxFixtures.write(dir.resolve("corrupt" + gz),
                    IdxFixtures.idx(IdxFile.LABELS_MAGIC, new int[] {2_000_000_000}, new byte[12]), gz);
            final IOException error = assertThrows(IOException.class, () -> {
                try {
                    IdxFile.readLabels(corrupt);
                } catch (final OutOfMemoryError e) {
                    fail("a " + Files.size(corrupt) + "-byte file ran the reader out of memory: " + e);
                }
            });
            assertTrue(error.getMessage().startsWith(corrupt + ": truncated"), error.getMessage());
        }
    }
}
