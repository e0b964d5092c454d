package io.eddy.connectors.dataset;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One split of Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28 x 28 grey-scale images of clothing
 * in 10 classes ({@link #CLASS_NAMES}), 60,000 for training and 10,000 for testing, each class 6,000
 * and 1,000 times, in the order of the files.
 *
 * <p>The files come from the Debian package {@code dataset-fashion-mnist} ({@value #INSTALL}), which
 * puts them in {@value #DEFAULT_DIR}; the system property {@value #DIR_PROPERTY} or else the
 * environment variable {@value #DIR_ENV} names another directory. A directory holds
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each gzip-compressed with a {@code .gz} suffix (preferred) or
 * plain (see {@link IdxFile}).
 *
 * <p>Pixels stay in memory as the files' bytes, 784 per image (47 MB for the training split); an
 * image's inputs are {@code byte / 255f}, in [0, 1]. Immutable once loaded, so safe to share between
 * threads.
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** System property naming another directory; wins over {@link #DIR_ENV}. */
    public static final String DIR_PROPERTY = "eddy.fashion-mnist.dir";
    /** Environment variable naming another directory. */
    public static final String DIR_ENV = "EDDY_FASHION_MNIST_DIR";
    /** The command that installs the files in {@link #DEFAULT_DIR}. */
    public static final String INSTALL = "sudo apt-get install dataset-fashion-mnist";

    /** The training split, 60,000 images. */
    public static final String TRAIN = "train";
    /** The test split, 10,000 images. */
    public static final String TEST = "test";

    /** Rows and columns of an image. */
    public static final int ROWS = 28;
    public static final int COLUMNS = 28;
    /** Inputs per image: {@code ROWS * COLUMNS}. */
    public static final int PIXELS = ROWS * COLUMNS;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Images in the full training and test splits. */
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;

    /** The classes' names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final String split;
    private final Path images;
    private final Path labelsPath;
    private final int count;
    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(final String split, final Path images, final Path labelsPath, final byte[] pixels,
                         final byte[] labels) {
        this.split = split;
        this.images = images;
        this.labelsPath = labelsPath;
        this.count = labels.length;
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * The directory of the files: the system property {@value #DIR_PROPERTY} when set and not blank,
     * else the environment variable {@value #DIR_ENV} when set and not blank, else {@value #DEFAULT_DIR}.
     */
    public static Path directory() {
        return directory(System.getProperty(DIR_PROPERTY), System.getenv(DIR_ENV));
    }

    static Path directory(final String property, final String environment) {
        if (property != null && !property.isBlank()) {
            return Path.of(property.strip());
        }
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment.strip());
        }
        return Path.of(DEFAULT_DIR);
    }

    /** Loads a split, {@value #TRAIN} or {@value #TEST}, from {@link #directory()}. */
    public static FashionMnist load(final String split) throws IOException {
        return load(directory(), split);
    }

    /**
     * Loads a split, {@value #TRAIN} or {@value #TEST}, from {@code directory}.
     *
     * @throws FileNotFoundException when a file is missing; the message says how to install them
     * @throws IOException when a file cannot be read, is not an IDX file of the right kind, holds
     *     images other than 28 x 28 or labels outside [0, 10), or when the images and labels files
     *     disagree on the count; the message names the file
     * @throws IllegalArgumentException for an unknown split
     */
    public static FashionMnist load(final Path directory, final String split) throws IOException {
        final String prefix;
        if (TRAIN.equals(split)) {
            prefix = "train";
        } else if (TEST.equals(split)) {
            prefix = "t10k";
        } else {
            throw new IllegalArgumentException("unknown Fashion-MNIST split '" + split + "'; known: " + TRAIN + ", "
                    + TEST);
        }
        final Path imagesPath = find(directory, prefix + "-images-idx3-ubyte");
        final Path labelsPath = find(directory, prefix + "-labels-idx1-ubyte");
        final IdxFile imageFile = IdxFile.readImages(imagesPath);
        final IdxFile labelFile = IdxFile.readLabels(labelsPath);
        if (imageFile.size(1) != ROWS || imageFile.size(2) != COLUMNS) {
            throw new IOException(String.format(Locale.ROOT, "%s: images of %d x %d pixels, expected %d x %d",
                    imagesPath, imageFile.size(1), imageFile.size(2), ROWS, COLUMNS));
        }
        if (imageFile.count() != labelFile.count()) {
            throw new IOException(String.format(Locale.ROOT, "the counts of images and labels disagree: %s holds %,d "
                    + "images, %s %,d labels", imagesPath, imageFile.count(), labelsPath, labelFile.count()));
        }
        final byte[] labels = labelFile.data();
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= CLASSES) {
                throw new IOException(String.format(Locale.ROOT, "%s: label %d of image %d is outside [0, %d)",
                        labelsPath, labels[i] & 0xff, i, CLASSES));
            }
        }
        return new FashionMnist(split, imagesPath, labelsPath, imageFile.data(), labels);
    }

    /** {@code directory/name.gz}, else {@code directory/name}; when neither exists, how to install them. */
    private static Path find(final Path directory, final String name) throws FileNotFoundException {
        final Path gz = directory.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        final Path plain = directory.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new FileNotFoundException(missing(directory, gz));
    }

    /** The message for a missing file: what is missing and how to install it or point elsewhere. */
    static String missing(final Path directory, final Path file) {
        return "Fashion-MNIST is not installed: " + (Files.isDirectory(directory) ? file + " does not exist"
                : "there is no directory " + directory) + ". Install it with `" + INSTALL + "` (it puts the files in "
                + DEFAULT_DIR + "), or name a directory holding train-images-idx3-ubyte.gz, "
                + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz with -D"
                + DIR_PROPERTY + "=DIR or the environment variable " + DIR_ENV + "=DIR";
    }

    /** The split's name, {@value #TRAIN} or {@value #TEST}. */
    public String split() {
        return split;
    }

    /** The images file read. */
    public Path imagesPath() {
        return images;
    }

    /** The labels file read. */
    public Path labelsPath() {
        return labelsPath;
    }

    /** Number of images. */
    public int size() {
        return count;
    }

    /** The label of image {@code i}, in [0, {@value #CLASSES}). */
    public int label(final int i) {
        return labels[checkIndex(i)];
    }

    /** Pixel {@code p} (row major) of image {@code i} as the file's byte, in [0, 255]. */
    public int rawPixel(final int i, final int p) {
        checkIndex(i);
        if (p < 0 || p >= PIXELS) {
            throw new IndexOutOfBoundsException("pixel " + p + " outside [0, " + PIXELS + ")");
        }
        return pixels[i * PIXELS + p] & 0xff;
    }

    /** Pixel {@code p} (row major) of image {@code i}, scaled to [0, 1]: {@code byte / 255f}. */
    public float pixel(final int i, final int p) {
        return rawPixel(i, p) / 255f;
    }

    /** Writes image {@code i}'s {@value #PIXELS} pixels, scaled to [0, 1], to {@code into} from {@code offset}. */
    public void image(final int i, final float[] into, final int offset) {
        checkIndex(i);
        if (offset < 0 || offset > into.length - PIXELS) {
            throw new IndexOutOfBoundsException("no room for " + PIXELS + " pixels at " + offset + " in an array of "
                    + into.length);
        }
        final int from = i * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            into[offset + p] = (pixels[from + p] & 0xff) / 255f;
        }
    }

    /** Image {@code i}'s {@value #PIXELS} pixels, scaled to [0, 1], in a new array. */
    public float[] image(final int i) {
        final float[] image = new float[PIXELS];
        image(i, image, 0);
        return image;
    }

    /** How many images carry each label, by label. */
    public int[] classCounts() {
        final int[] counts = new int[CLASSES];
        for (final byte label : labels) {
            counts[label]++;
        }
        return counts;
    }

    private int checkIndex(final int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " outside [0, " + count + ") of the " + split
                    + " split");
        }
        return i;
    }
}
