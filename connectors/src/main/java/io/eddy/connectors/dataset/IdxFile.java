package io.eddy.connectors.dataset;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file of unsigned bytes, as MNIST and Fashion-MNIST ship them, read whole into memory: a
 * big-endian header (magic {@code 0x000008NN}, where 08 says unsigned bytes and NN is the number of
 * dimensions, then NN big-endian 32-bit sizes) followed by the product of the sizes in bytes, row
 * major. Images are {@link #IMAGES_MAGIC} with sizes count, rows, columns; labels {@link #LABELS_MAGIC}
 * with size count. A file may be gzip-compressed (told by its first two bytes, not its name).
 *
 * <p>Every error names the file: a wrong magic, a header or data shorter than the header promises,
 * bytes after the data, corrupt gzip data. Bytes after the end of a gzip file's compressed data (which
 * its checksum covers) are ignored, as {@code gzip -d} ignores them.
 */
public final class IdxFile {
    /** Magic of an images file: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of a labels file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMENSIONS = 4;
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;
    private static final int GZIP_MAGIC = 0x8b1f;

    private final Path path;
    private final int[] sizes;
    private final byte[] data;

    private IdxFile(final Path path, final int[] sizes, final byte[] data) {
        this.path = path;
        this.sizes = sizes;
        this.data = data;
    }

    /** Reads an images file: magic {@link #IMAGES_MAGIC}, sizes count, rows, columns. */
    public static IdxFile readImages(final Path path) throws IOException {
        return read(path, IMAGES_MAGIC, "images");
    }

    /** Reads a labels file: magic {@link #LABELS_MAGIC}, size count. */
    public static IdxFile readLabels(final Path path) throws IOException {
        return read(path, LABELS_MAGIC, "labels");
    }

    /**
     * Reads any IDX file of unsigned bytes with 1 to 4 dimensions.
     *
     * @throws IOException when the file cannot be read or is not such a file; the message names it
     */
    public static IdxFile read(final Path path) throws IOException {
        return read(path, 0, null);
    }

    private static IdxFile read(final Path path, final int expectedMagic, final String kind) throws IOException {
        try (InputStream in = open(path)) {
            final int magic = readHeaderInt(in, path, "magic number");
            final int type = (magic >>> 8) & 0xff;
            final int dimensions = magic & 0xff;
            if (expectedMagic != 0 && magic != expectedMagic) {
                throw new IOException(String.format(Locale.ROOT, "%s: not an IDX %s file: magic 0x%08x, "
                        + "expected 0x%08x", path, kind, magic, expectedMagic));
            }
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
                throw new IOException(String.format(Locale.ROOT, "%s: not an IDX file of unsigned bytes: magic 0x%08x, "
                        + "expected 0x000008NN with NN dimensions from 1 to %d", path, magic, MAX_DIMENSIONS));
            }
            final int[] sizes = new int[dimensions];
            long bytes = 1;
            for (int d = 0; d < dimensions; d++) {
                sizes[d] = readHeaderInt(in, path, "size of dimension " + d);
                if (sizes[d] < 0) {
                    throw new IOException(path + ": corrupt header: size of dimension " + d + " is "
                            + Integer.toUnsignedString(sizes[d]));
                }
                bytes = Math.min(bytes * sizes[d], Long.MAX_VALUE / Integer.MAX_VALUE);
            }
            if (bytes > MAX_BYTES) {
                throw new IOException(path + ": sizes " + Arrays.toString(sizes) + " make more than " + MAX_BYTES
                        + " bytes, too many for one array");
            }
            // read as the bytes come, not into an array of the promised size: a corrupt header must not
            // make a small file take gigabytes
            final byte[] data = readFully(in, (int) bytes, path);
            if (data.length < bytes) {
                throw new IOException(String.format(Locale.ROOT, "%s: truncated: its header promises %,d bytes of data "
                        + "(sizes %s), found %,d", path, bytes, Arrays.toString(sizes), data.length));
            }
            if (readByte(in, path) >= 0) {
                throw new IOException(String.format(Locale.ROOT, "%s: more bytes than its header promises (%,d bytes "
                        + "of data for sizes %s)", path, data.length, Arrays.toString(sizes)));
            }
            return new IdxFile(path, sizes, data);
        }
    }

    private static InputStream open(final Path path) throws IOException {
        final BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        final int first;
        final int second;
        try {
            in.mark(2);
            first = in.read();
            second = in.read();
            in.reset();
        } catch (final IOException e) {
            in.close();
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        if (first >= 0 && second >= 0 && (first | second << 8) == GZIP_MAGIC) {
            try {
                return new GZIPInputStream(in, 1 << 16);
            } catch (final IOException e) {
                in.close();
                throw new IOException(path + ": corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return in;
    }

    private static int readHeaderInt(final InputStream in, final Path path, final String what) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            final int b = readByte(in, path);
            if (b < 0) {
                throw new IOException(path + ": truncated: the file ends inside its header, in the " + what);
            }
            value = value << 8 | b;
        }
        return value;
    }

    private static int readByte(final InputStream in, final Path path) throws IOException {
        try {
            return in.read();
        } catch (final EOFException e) {
            throw new IOException(path + ": truncated gzip data: " + e.getMessage(), e);
        } catch (final IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readFully(final InputStream in, final int bytes, final Path path) throws IOException {
        try {
            return in.readNBytes(bytes);
        } catch (final EOFException e) {
            throw new IOException(path + ": truncated gzip data: " + e.getMessage(), e);
        } catch (final IOException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /** Number of dimensions. */
    public int dimensions() {
        return sizes.length;
    }

    /** Size of dimension {@code d}, 0 the first (the count of items). */
    public int size(final int d) {
        return sizes[d];
    }

    /** Number of items: the size of the first dimension. */
    public int count() {
        return sizes[0];
    }

    /** Bytes per item: the product of the sizes after the first (1 for labels, rows x columns for images). */
    public int itemBytes() {
        int bytes = 1;
        for (int d = 1; d < sizes.length; d++) {
            bytes *= sizes[d];
        }
        return bytes;
    }

    /** Unsigned byte {@code i} of the data, in [0, 255]. */
    public int unsigned(final int i) {
        return data[i] & 0xff;
    }

    /** The data, row major, not copied: bytes are unsigned, so read them with {@code & 0xff}. */
    public byte[] data() {
        return data;
    }
}
