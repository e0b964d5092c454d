package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.FeatureHasher;
import io.eddy.learners.api.SparseExample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SparseEventDecoderTest {
    private final SparseEventDecoder decoder = new SparseEventDecoder();
    private final SparseExample example = new SparseExample();

    private String decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), example);
    }

    @Test
    void shouldHashNumericByNameAndCategoricalByNameAndValue() {
        assertNull(decode("{\"id\":\"e1\",\"features\":{\"price\":3.5,\"country\":\"fr\"},\"label\":1}"));
        assertEquals("e1", decoder.eventId());
        assertEquals(2, example.count());
        assertEquals(FeatureHasher.hash("price"), example.indices()[0]);
        assertEquals(3.5f, example.values()[0]);
        final char[] fr = "fr".toCharArray();
        assertEquals(FeatureHasher.hash(FeatureHasher.hash("country"), fr, 0, 2), example.indices()[1]);
        assertEquals(1f, example.values()[1]);
        assertTrue(example.labelled());
        assertEquals(1f, example.label());
    }

    @Test
    void shouldTellCategoricalValuesOfDifferentFeaturesApart() {
        decode("{\"id\":\"a\",\"features\":{\"country\":\"fr\"}}");
        final int country = example.indices()[0];
        decode("{\"id\":\"b\",\"features\":{\"city\":\"fr\"}}");
        assertNotEquals(country, example.indices()[0]);
    }

    @Test
    void shouldTreatMissingOrNullLabelAsPredictOnlyAndIgnoreUnknownFields() {
        assertNull(decode("{\"id\":\"a\",\"features\":{},\"label\":null,\"extra\":{\"x\":[1,2]}}"));
        assertFalse(example.labelled());
        assertNull(decode("{\"id\":\"a\",\"features\":{\"x\":1}}"));
        assertFalse(example.labelled());
    }

    @Test
    void shouldNameWhatIsWrong() {
        assertTrue(decode("{\"id\":\"a\",\"features\":{\"x\":\"1\"},\"label\":0.5}").contains("'label'"));
        assertTrue(decode("{\"id\":\"a\",\"features\":{\"x\":null}}").contains("feature 'x'"));
        assertTrue(decode("{\"id\":\"a\",\"features\":{\"x\":-1e39}}").contains("finite"));
        assertTrue(decode("{\"id\":\"a\",\"features\":{}} {}").contains("after the event"));
        assertTrue(decode("{\"id\":\"a\",\"features\":{\"x\":1}").startsWith("malformed JSON"));
        assertEquals("empty event", decoder.decode(new byte[0], example));
    }

    @Test
    void shouldRejectAFieldGivenTwice() {
        assertEquals("field 'label' appears twice",
                decode("{\"id\":\"e\",\"features\":{\"a\":1},\"label\":1,\"label\":0}"));
        assertEquals("field 'features' appears twice",
                decode("{\"id\":\"e\",\"features\":{\"a\":1},\"features\":{\"b\":1}}"));
    }
}
