package io.eddy.connectors.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small seeded IDX files for the tests, written as the dataset ships them. */
final class IdxFixtures {
    private IdxFixtures() {
    }

    /** An IDX file's bytes: the big-endian magic, the sizes, then the data. */
    static byte[] idx(final int magic, final int[] sizes, final byte[] data) {
        final ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
        buffer.putInt(magic);
        for (final int size : sizes) {
            buffer.putInt(size);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(final byte[] bytes) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes} to {@code path}, gzip-compressed when {@code gz}; returns the path. */
    static Path write(final Path path, final byte[] bytes, final boolean gz) throws IOException {
        Files.write(path, gz ? gzip(bytes) : bytes);
        return path;
    }

    /** A seeded split of {@code count} 28 x 28 images and labels; image 0 holds every byte value 0..255. */
    static Split split(final int count, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] pixels = new byte[count * FashionMnist.PIXELS];
        final byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(FashionMnist.CLASSES);
            for (int p = 0; p < FashionMnist.PIXELS; p++) {
                pixels[i * FashionMnist.PIXELS + p] = (byte) (i == 0 ? p : random.nextInt(256));
            }
        }
        return new Split(pixels, labels);
    }

    /**
     * Writes a split's two files to {@code dir} under Fashion-MNIST's names with prefix {@code train}
     * or {@code t10k}, gzip-compressed with the {@code .gz} suffix when {@code gz}.
     */
    static void writeSplit(final Path dir, final String prefix, final Split split, final boolean gz)
            throws IOException {
        final String suffix = gz ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), split.imagesFile(), gz);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), split.labelsFile(), gz);
    }

    /** A split's raw pixels (784 per image) and labels. */
    record Split(byte[] pixels, byte[] labels) {
        int count() {
            return labels.length;
        }

        byte[] imagesFile() {
            return idx(IdxFile.IMAGES_MAGIC, new int[] {count(), FashionMnist.ROWS, FashionMnist.COLUMNS}, pixels);
        }

        byte[] labelsFile() {
            return idx(IdxFile.LABELS_MAGIC, new int[] {count()}, labels);
        }
    }
}
