package io.eddy.connectors.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadGzipAndPlainFilesAlike() throws IOException {
        final IdxFixtures.Split split = IdxFixtures.split(5, 7);
        for (final boolean gz : new boolean[] {true, false}) {
            final Path images = IdxFixtures.write(dir.resolve("images" + gz), split.imagesFile(), gz);
            final Path labels = IdxFixtures.write(dir.resolve("labels" + gz), split.labelsFile(), gz);
            final IdxFile imageFile = IdxFile.readImages(images);
            assertEquals(images, imageFile.path());
            assertEquals(3, imageFile.dimensions());
            assertEquals(5, imageFile.count());
            assertEquals(28, imageFile.size(1));
            assertEquals(28, imageFile.size(2));
            assertEquals(784, imageFile.itemBytes());
            assertArrayEquals(split.pixels(), imageFile.data());
            assertEquals(255, imageFile.unsigned(255), "bytes are unsigned");
            final IdxFile labelFile = IdxFile.readLabels(labels);
            assertEquals(1, labelFile.dimensions());
            assertEquals(5, labelFile.count());
            assertEquals(1, labelFile.itemBytes());
            assertArrayEquals(split.labels(), labelFile.data());
            assertArrayEquals(split.pixels(), IdxFile.read(images).data());
        }
    }

    @Test
    void shouldNameTheFileWhenTheMagicIsWrong() throws IOException {
        final IdxFixtures.Split split = IdxFixtures.split(2, 1);
        final Path labels = IdxFixtures.write(dir.resolve("labels.gz"), split.labelsFile(), true);
        final IOException asImages = assertThrows(IOException.class, () -> IdxFile.readImages(labels));
        assertEquals(labels + ": not an IDX images file: magic 0x00000801, expected 0x00000803",
                asImages.getMessage());
        final Path images = IdxFixtures.write(dir.resolve("images"), split.imagesFile(), false);
        final IOException asLabels = assertThrows(IOException.class, () -> IdxFile.readLabels(images));
        assertEquals(images + ": not an IDX labels file: magic 0x00000803, expected 0x00000801",
                asLabels.getMessage());
        final Path text = Files.writeString(dir.resolve("text"), "hello, world");
        final IOException notIdx = assertThrows(IOException.class, () -> IdxFile.read(text));
        assertTrue(notIdx.getMessage().startsWith(text + ": not an IDX file of unsigned bytes: magic 0x"),
                notIdx.getMessage());
        final Path doubles = IdxFixtures.write(dir.resolve("doubles"),
                IdxFixtures.idx(0x00000e01, new int[] {0}, new byte[0]), false);
        assertThrows(IOException.class, () -> IdxFile.read(doubles));
    }

    @Test
    void shouldNameTheFileWhenItIsTruncated() throws IOException {
        final byte[] whole = IdxFixtures.split(3, 2).imagesFile();
        final byte[] cut = Arrays.copyOf(whole, whole.length - 100);
        final Path plain = IdxFixtures.write(dir.resolve("cut"), cut, false);
        final IOException plainError = assertThrows(IOException.class, () -> IdxFile.readImages(plain));
        assertEquals(plain + ": truncated: its header promises 2,352 bytes of data (sizes [3, 28, 28]), found 2,252",
                plainError.getMessage());
        final Path gz = IdxFixtures.write(dir.resolve("cut.gz"), cut, true);
        final IOException gzError = assertThrows(IOException.class, () -> IdxFile.readImages(gz));
        assertEquals(gz + ": truncated: its header promises 2,352 bytes of data (sizes [3, 28, 28]), found 2,252",
                gzError.getMessage());

        final byte[] compressed = IdxFixtures.gzip(whole);
        final Path cutGzip = Files.write(dir.resolve("cut-stream.gz"), Arrays.copyOf(compressed,
                compressed.length / 2));
        final IOException streamError = assertThrows(IOException.class, () -> IdxFile.readImages(cutGzip));
        assertTrue(streamError.getMessage().startsWith(cutGzip + ": truncated gzip data"), streamError.getMessage());

        final Path header = IdxFixtures.write(dir.resolve("header"), Arrays.copyOf(whole, 10), false);
        final IOException headerError = assertThrows(IOException.class, () -> IdxFile.readImages(header));
        assertEquals(header + ": truncated: the file ends inside its header, in the size of dimension 1",
                headerError.getMessage());
        final Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        final IOException emptyError = assertThrows(IOException.class, () -> IdxFile.readLabels(empty));
        assertEquals(empty + ": truncated: the file ends inside its header, in the magic number",
                emptyError.getMessage());
    }

    @Test
    void shouldNameTheFileWhenItHoldsMoreThanItsHeaderSays() throws IOException {
        final byte[] whole = IdxFixtures.split(2, 3).labelsFile();
        final Path longer = IdxFixtures.write(dir.resolve("longer.gz"), Arrays.copyOf(whole, whole.length + 1), true);
        final IOException error = assertThrows(IOException.class, () -> IdxFile.readLabels(longer));
        assertEquals(longer + ": more bytes than its header promises (2 bytes of data for sizes [2])",
                error.getMessage());
    }

    @Test
    void shouldRefuseSizesThatDoNotFitInAnArray() throws IOException {
        final Path huge = IdxFixtures.write(dir.resolve("huge"),
                IdxFixtures.idx(IdxFile.IMAGES_MAGIC, new int[] {100_000, 28_000, 28_000}, new byte[0]), false);
        final IOException error = assertThrows(IOException.class, () -> IdxFile.readImages(huge));
        assertTrue(error.getMessage().startsWith(huge + ": sizes [100000, 28000, 28000] make more than"),
                error.getMessage());
        final Path negative = IdxFixtures.write(dir.resolve("negative"),
                IdxFixtures.idx(IdxFile.LABELS_MAGIC, new int[] {-1}, new byte[0]), false);
        final IOException negativeError = assertThrows(IOException.class, () -> IdxFile.readLabels(negative));
        assertTrue(negativeError.getMessage().startsWith(negative + ": corrupt header"), negativeError.getMessage());
    }
}
