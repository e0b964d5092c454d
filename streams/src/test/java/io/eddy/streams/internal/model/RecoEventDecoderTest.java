package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.reco.RecoExample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Interactions and requests decode; everything else gets a reason. */
class RecoEventDecoderTest {
    private final RecoEventDecoder decoder = new RecoEventDecoder();
    private final RecoExample example = new RecoExample();

    private String decode(final String json) {
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8), example);
    }

    @Test
    void shouldDecodeInteractionsWithAndWithoutARating() {
        assertNull(decode("{\"id\":\"e1\",\"user\":\"u7\",\"item\":\"i42\",\"rating\":4.5,\"extra\":[1]}"));
        assertEquals("e1", decoder.eventId());
        assertEquals("u7", example.user());
        assertEquals("i42", example.item());
        assertEquals(4.5f, example.rating());
        assertFalse(example.isRequest());
        assertNull(decode("{\"id\":\"e2\",\"user\":\"u7\",\"item\":\"i1\"}"));
        assertFalse(example.hasRating(), "no rating: implicit feedback");
    }

    @Test
    void shouldDecodeRequests() {
        assertNull(decode("{\"id\":\"r1\",\"user\":\"u7\",\"k\":10,\"exclude_seen\":true}"));
        assertTrue(example.isRequest());
        assertEquals(10, example.k());
        assertTrue(example.excludeSeen());
        assertNull(decode("{\"id\":\"r2\",\"user\":\"u7\",\"k\":3}"));
        assertFalse(example.excludeSeen());
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertEquals("missing field 'user'", decode("{\"id\":\"e\",\"item\":\"i\"}"));
        assertEquals("missing field 'item' (or 'k' for a request)", decode("{\"id\":\"e\",\"user\":\"u\"}"));
        assertEquals("'user' must be a string", decode("{\"id\":\"e\",\"user\":7,\"item\":\"i\"}"));
        assertEquals("'rating' must be a number",
                decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"i\",\"rating\":\"5\"}"));
        assertEquals("'k' must be a whole number from 1", decode("{\"id\":\"e\",\"user\":\"u\",\"k\":0}"));
        assertEquals("an event is an interaction ('item') or a request ('k'), not both",
                decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"i\",\"k\":5}"));
        assertEquals("'exclude_seen' must be true or false",
                decode("{\"id\":\"e\",\"user\":\"u\",\"k\":5,\"exclude_seen\":1}"));
        assertEquals("'rating' is not a finite 32-bit number",
                decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"i\",\"rating\":1e39}"));
    }

    /** UTF-8 has no form for half a surrogate pair: two ids with different lone surrogates would share a row. */
    @Test
    void shouldRefuseIdsWithALoneSurrogateAndKeepWholePairs() {
        assertEquals("'item' is not well-formed Unicode (a lone surrogate)",
                decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"\\ud800\"}"));
        assertEquals("'item' is not well-formed Unicode (a lone surrogate)",
                decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"a\\udc00b\"}"));
        assertEquals("'user' is not well-formed Unicode (a lone surrogate)",
                decode("{\"id\":\"e\",\"user\":\"u\\udbff\",\"item\":\"i\"}"));
        assertNull(decode("{\"id\":\"e\",\"user\":\"u\",\"item\":\"\\ud83d\\ude00 \u00e9\"}"));
        assertEquals("\ud83d\ude00 \u00e9", example.item());
    }

    /** An interaction of two users, or of one user and two items, is malformed, not learned for the last one. */
    @Test
    void shouldRejectAFieldGivenTwice() {
        assertEquals("field 'user' appears twice",
                decode("{\"id\":\"e\",\"user\":\"alice\",\"user\":\"bob\",\"item\":\"i\",\"rating\":5}"));
        assertEquals("field 'item' appears twice",
                decode("{\"id\":\"e\",\"user\":\"alice\",\"item\":\"i\",\"item\":\"j\"}"));
        assertEquals("field 'k' appears twice", decode("{\"id\":\"r\",\"user\":\"alice\",\"k\":3,\"k\":5}"));
    }
}
