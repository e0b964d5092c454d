package io.eddy.connectors.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadASplitScaledToTheUnitInterval() throws IOException {
        final IdxFixtures.Split train = IdxFixtures.split(6, 11);
        final IdxFixtures.Split test = IdxFixtures.split(4, 12);
        IdxFixtures.writeSplit(dir, "train", train, true);
        IdxFixtures.writeSplit(dir, "t10k", test, false);

        final FashionMnist loaded = FashionMnist.load(dir, "train");
        assertEquals("train", loaded.split());
        assertEquals(6, loaded.size());
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz"), loaded.imagesPath());
        assertEquals(dir.resolve("train-labels-idx1-ubyte.gz"), loaded.labelsPath());
        final int[] counts = new int[FashionMnist.CLASSES];
        for (int i = 0; i < 6; i++) {
            assertEquals(train.labels()[i], loaded.label(i), "labels in file order");
            counts[train.labels()[i]]++;
            final float[] image = loaded.image(i);
            assertEquals(FashionMnist.PIXELS, image.length);
            for (int p = 0; p < FashionMnist.PIXELS; p++) {
                final int raw = train.pixels()[i * FashionMnist.PIXELS + p] & 0xff;
                assertEquals(raw, loaded.rawPixel(i, p));
                assertEquals(raw / 255f, image[p], "image " + i + " pixel " + p);
                assertEquals(raw / 255f, loaded.pixel(i, p));
                assertTrue(image[p] >= 0 && image[p] <= 1);
            }
        }
        assertArrayEquals(counts, loaded.classCounts());
        assertEquals(0f, loaded.pixel(0, 0));
        assertEquals(1f, loaded.pixel(0, 255), "image 0 holds every byte value");
        final float[] into = new float[FashionMnist.PIXELS + 3];
        loaded.image(1, into, 3);
        assertEquals(loaded.pixel(1, 0), into[3]);
        assertThrows(IndexOutOfBoundsException.class, () -> loaded.label(6));
        assertThrows(IndexOutOfBoundsException.class, () -> loaded.image(0, into, 4));

        final FashionMnist plain = FashionMnist.load(dir, "test");
        assertEquals(4, plain.size());
        assertEquals(dir.resolve("t10k-images-idx3-ubyte"), plain.imagesPath());
        assertEquals(test.labels()[3], plain.label(3));
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, "validation"));
    }

    @Test
    void shouldNameBothFilesWhenTheCountsDisagree() throws IOException {
        final IdxFixtures.Split five = IdxFixtures.split(5, 1);
        final IdxFixtures.Split four = IdxFixtures.split(4, 1);
        IdxFixtures.write(dir.resolve("train-images-idx3-ubyte.gz"), five.imagesFile(), true);
        IdxFixtures.write(dir.resolve("train-labels-idx1-ubyte.gz"), four.labelsFile(), true);
        final IOException error = assertThrows(IOException.class, () -> FashionMnist.load(dir, "train"));
        assertEquals("the counts of images and labels disagree: " + dir.resolve("train-images-idx3-ubyte.gz")
                + " holds 5 images, " + dir.resolve("train-labels-idx1-ubyte.gz") + " 4 labels", error.getMessage());
    }

    @Test
    void shouldRefuseImagesOfAnotherSizeAndLabelsOutOfRange() throws IOException {
        IdxFixtures.write(dir.resolve("t10k-images-idx3-ubyte.gz"),
                IdxFixtures.idx(IdxFile.IMAGES_MAGIC, new int[] {1, 32, 32}, new byte[32 * 32]), true);
        IdxFixtures.write(dir.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxFixtures.idx(IdxFile.LABELS_MAGIC, new int[] {1}, new byte[1]), true);
        final IOException size = assertThrows(IOException.class, () -> FashionMnist.load(dir, "test"));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte.gz") + ": images of 32 x 32 pixels, expected 28 x 28",
                size.getMessage());

        final IdxFixtures.Split split = IdxFixtures.split(3, 5);
        split.labels()[2] = 10;
        IdxFixtures.writeSplit(dir, "t10k", split, true);
        final IOException label = assertThrows(IOException.class, () -> FashionMnist.load(dir, "test"));
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz") + ": label 10 of image 2 is outside [0, 10)",
                label.getMessage());
    }

    @Test
    void shouldSayHowToInstallTheDataWhenItIsMissing() throws IOException {
        final Path absent = dir.resolve("absent");
        final FileNotFoundException missingDir = assertThrows(FileNotFoundException.class,
                () -> FashionMnist.load(absent, "train"));
        final String message = missingDir.getMessage();
        assertTrue(message.contains("there is no directory " + absent), message);
        assertTrue(message.contains("sudo apt-get install dataset-fashion-mnist"), message);
        assertTrue(message.contains("-Deddy.fashion-mnist.dir=DIR"), message);
        assertTrue(message.contains("EDDY_FASHION_MNIST_DIR=DIR"), message);
        assertTrue(message.contains("/usr/share/datasets/fashion-mnist"), message);

        IdxFixtures.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFixtures.split(1, 1).imagesFile(), true);
        final FileNotFoundException missingFile = assertThrows(FileNotFoundException.class,
                () -> FashionMnist.load(dir, "train"));
        assertTrue(missingFile.getMessage().contains(dir.resolve("train-labels-idx1-ubyte.gz") + " does not exist"),
                missingFile.getMessage());
        assertTrue(missingFile.getMessage().contains("apt-get install dataset-fashion-mnist"),
                missingFile.getMessage());
        assertTrue(Files.exists(dir.resolve("train-images-idx3-ubyte.gz")));
    }

    @Test
    void shouldTakeTheDirectoryFromThePropertyThenTheEnvironment() {
        assertEquals(Path.of("/p"), FashionMnist.directory("/p", "/e"));
        assertEquals(Path.of("/e"), FashionMnist.directory(null, "/e"));
        assertEquals(Path.of("/e"), FashionMnist.directory(" ", "/e"));
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.directory(null, ""));
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.directory(null, null));
    }

    @Test
    void shouldNameTheTenClasses() {
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                "Bag", "Ankle boot"), FashionMnist.CLASS_NAMES);
        assertEquals(FashionMnist.CLASSES, FashionMnist.CLASS_NAMES.size());
    }
}
