package io.eddy.connectors.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.connectors.sequence.SequenceEvent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistStreamTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private IdxFixtures.Split train;
    private IdxFixtures.Split test;

    @BeforeEach
    void writeSplits() throws IOException {
        train = IdxFixtures.split(5, 21);
        test = IdxFixtures.split(3, 22);
        IdxFixtures.writeSplit(dir, "train", train, true);
        IdxFixtures.writeSplit(dir, "t10k", test, true);
    }

    @Test
    void shouldReplayTheTrainingImagesThenTheTestImagesInFileOrderAllLabelled() throws IOException {
        final FashionMnistStream stream = FashionMnistStream.builder().directory(dir).split("train+test").build();
        assertEquals("fashion-mnist", stream.name());
        assertEquals(784, stream.inputSize());
        assertEquals(10, stream.outputs());
        assertTrue(stream.classification());
        assertEquals("train+test", stream.split());
        assertEquals(8, stream.totalEvents());
        assertEquals(8, stream.eventsPerPass());
        assertNull(stream.currentSplit());

        final List<String> keys = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            final SequenceEvent event = stream.next();
            final boolean inTrain = n < 5;
            final IdxFixtures.Split split = inTrain ? train : test;
            final int image = inTrain ? n : n - 5;
            keys.add(event.key());
            assertEquals(n, event.index());
            assertEquals(inTrain ? "train" : "test", stream.currentSplit());
            assertEquals(image, stream.currentImage());
            assertTrue(event.labelled());
            assertFalse(event.hasTarget());
            assertEquals(split.labels()[image], event.label(), event.key());
            assertArrayEquals(scaled(split, image), event.x(), event.key());
        }
        assertEquals(List.of("train-0", "train-1", "train-2", "train-3", "train-4", "test-0", "test-1", "test-2"),
                keys);
        assertFalse(stream.hasNext());
        assertThrows(NoSuchElementException.class, stream::next);
    }

    @Test
    void shouldReplayOneSplitAloneTrainByDefault() throws IOException {
        final FashionMnistStream trainOnly = FashionMnistStream.builder().directory(dir).build();
        assertEquals("train", trainOnly.split());
        assertEquals(List.of("train-0", "train-1", "train-2", "train-3", "train-4"), keys(trainOnly));
        final FashionMnistStream testOnly = FashionMnistStream.builder().directory(dir).split("test").build();
        assertEquals(List.of("test-0", "test-1", "test-2"), keys(testOnly));
    }

    @Test
    void shouldRepeatTheSplitForEachPassAndStopAtTheLimit() throws IOException {
        final FashionMnistStream twice = FashionMnistStream.builder().directory(dir).split("test").passes(2).build();
        assertEquals(2, twice.passes());
        assertEquals(6, twice.totalEvents());
        final List<Integer> labels = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        while (twice.hasNext()) {
            final SequenceEvent event = twice.next();
            keys.add(event.key());
            labels.add(event.label());
        }
        assertEquals(List.of("test-0", "test-1", "test-2", "test-0", "test-1", "test-2"), keys);
        assertEquals(labels.subList(0, 3), labels.subList(3, 6));

        final FashionMnistStream limited = FashionMnistStream.builder().directory(dir).split("train+test").limit(6)
                .build();
        assertEquals(List.of("train-0", "train-1", "train-2", "train-3", "train-4", "test-0"), keys(limited));
        final FashionMnistStream limitedPasses = FashionMnistStream.builder().directory(dir).split("train+test")
                .passes(3).limit(10).build();
        assertEquals(List.of("train-0", "train-1", "train-2", "train-3", "train-4", "test-0", "test-1", "test-2",
                "train-0", "train-1"), keys(limitedPasses));
        final FashionMnistStream beyond = FashionMnistStream.builder().directory(dir).limit(1000).build();
        assertEquals(5, beyond.totalEvents(), "a limit above the split's size changes nothing");
        assertEquals(0, FashionMnistStream.builder().directory(dir).limit(0).build().totalEvents());
    }

    @Test
    void shouldWritePixelsThatReadBackAsTheSameFloats() throws IOException {
        final FashionMnistStream stream = FashionMnistStream.builder().directory(dir).split("test").build();
        final SequenceEvent event = stream.next(); // image 0 holds every byte value 0..255
        final JsonNode node = MAPPER.readTree(event.toJson());
        assertEquals("e0", node.get("id").asText());
        assertEquals(test.labels()[0], node.get("label").intValue());
        assertEquals(784, node.get("x").size());
        for (int p = 0; p < 784; p++) {
            final String text = node.get("x").get(p).asText();
            final float expected = (p % 256) / 255f;
            assertEquals(expected, event.x()[p]);
            assertEquals(expected, Float.parseFloat(text), text);
            assertEquals(expected, (float) Double.parseDouble(text), "as the engine reads it: " + text);
            assertEquals(expected, node.get("x").get(p).floatValue(), text);
        }
        final String json = new String(event.toJson(), StandardCharsets.US_ASCII);
        assertTrue(json.startsWith("{\"id\":\"e0\",\"x\":[0,0.003921569,0.007843138,"), json);
        assertTrue(json.endsWith("],\"label\":" + test.labels()[0] + "}"), json);
    }

    @Test
    void shouldRefuseWhatItCannotReplay() {
        final IllegalArgumentException split = assertThrows(IllegalArgumentException.class,
                () -> FashionMnistStream.builder().split("test+train"));
        assertEquals("unknown split 'test+train'; known: train, test, train+test", split.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FashionMnistStream.builder().passes(0));
        assertThrows(IllegalArgumentException.class, () -> FashionMnistStream.builder().limit(-1));
        assertThrows(IllegalArgumentException.class, () -> FashionMnistStream.of(List.of(), 1, 1));
        final FileNotFoundException missing = assertThrows(FileNotFoundException.class,
                () -> FashionMnistStream.builder().directory(dir.resolve("nowhere")).split("train+test").build());
        assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());
    }

    @Test
    void shouldReplaySplitsAlreadyLoaded() throws IOException {
        final FashionMnist loaded = FashionMnist.load(dir, "test");
        final FashionMnistStream stream = FashionMnistStream.of(List.of(loaded, loaded), 4, 1);
        assertEquals("test+test", stream.split());
        assertEquals(List.of("test-0", "test-1", "test-2", "test-0"), keys(stream));
    }

    private static float[] scaled(final IdxFixtures.Split split, final int image) {
        final float[] x = new float[784];
        for (int p = 0; p < 784; p++) {
            x[p] = (split.pixels()[image * 784 + p] & 0xff) / 255f;
        }
        return x;
    }

    private static List<String> keys(final FashionMnistStream stream) {
        final List<String> keys = new ArrayList<>();
        while (stream.hasNext()) {
            keys.add(stream.next().key());
        }
        return keys;
    }
}
