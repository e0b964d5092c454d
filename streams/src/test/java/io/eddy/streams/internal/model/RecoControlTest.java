package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.internal.admin.ControlMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The recommendation models through the engine's topology: answers to interactions and requests,
 * and snapshot, rollback and reset of the item rows, which live in the store beside the parameters.
 */
class RecoControlTest {
    private static final String REQUEST = "{\"id\":\"r\",\"user\":\"probe\",\"k\":5,\"exclude_seen\":true}";

    /** Users 0-19 take items 0-29, the others 30-59; the probe user takes items of the second kind. */
    private static List<String[]> interactions(final int n, final long seed, final boolean rated) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<String[]> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int user = random.nextInt(40);
            final int item = (user < 20 ? 0 : 30) + random.nextInt(30);
            events.add(new String[] {"u" + user, "{\"id\":\"e" + i + "\",\"user\":\"u" + user + "\",\"item\":\"i" + item
                    + "\"" + (rated ? ",\"rating\":" + (1 + item % 5) : "") + "}"});
        }
        return events;
    }

    private static String items(final JsonNode answer) {
        final StringBuilder s = new StringBuilder();
        for (final JsonNode entry : answer.get("items")) {
            s.append(entry.get("item").asText()).append('=').append(entry.get("score").asDouble()).append(' ');
        }
        return s.toString();
    }

    @Test
    void shouldAnswerRequestsAndRollBackTheItemsExactly() throws IOException {
        try (ModelDriver model = new ModelDriver("implicit", Map.of("factors", 8))) {
            model.feed(interactions(3_000, 1, false));
            final List<String[]> probe = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                probe.add(new String[] {"probe", "{\"id\":\"p" + i + "\",\"user\":\"probe\",\"item\":\"i" + (40 + i)
                        + "\"}"});
            }
            model.feed(probe);
            final JsonNode atSnapshot = model.ask("probe", REQUEST);
            assertEquals(5, atSnapshot.get("items").size());
            int secondKind = 0;
            for (final JsonNode entry : atSnapshot.get("items")) {
                final int item = Integer.parseInt(entry.get("item").asText().substring(1));
                assertTrue(item < 40 || item > 44, "seen items are left out: " + item);
                secondKind += item >= 30 ? 1 : 0;
            }
            assertTrue(secondKind >= 4, "the probe gets items like its own: " + items(atSnapshot));
            model.send(new ControlMessage(ControlMessage.SNAPSHOT, 1, null, "v1"));
            model.feed(interactions(2_000, 2, false));
            assertNotEquals(items(atSnapshot), items(model.ask("probe", REQUEST)), "learning moves the items");
            model.send(new ControlMessage(ControlMessage.ROLLBACK, 2, null, "v1"));
            assertEquals(items(atSnapshot), items(model.ask("probe", REQUEST)), "the items' rows came back");
            model.send(new ControlMessage(ControlMessage.RESET, 3, null, null));
            final JsonNode reset = model.ask("probe", REQUEST);
            assertEquals(0, reset.get("items").size(), "a reset model knows no items");
            assertEquals(0, reset.get("updates").asLong());
        }
    }

    @Test
    void shouldShowAUsersInteractionInTheVeryNextAnswer() throws IOException {
        try (ModelDriver model = new ModelDriver("implicit", Map.of("factors", 8))) {
            model.feed(interactions(3_000, 4, false));
            final String request = "{\"id\":\"r\",\"user\":\"newcomer\",\"k\":60}";
            final JsonNode before = model.ask("newcomer", request);
            model.ask("newcomer", "{\"id\":\"e\",\"user\":\"newcomer\",\"item\":\"i45\"}");
            final JsonNode after = model.ask("newcomer", request);
            assertNotEquals(items(before), items(after), "one interaction changes the very next answer");
            assertTrue(rank(after, "i45") < rank(before, "i45"), "the item interacted with ranks higher: "
                    + rank(before, "i45") + " then " + rank(after, "i45"));
        }
    }

    private static int rank(final JsonNode answer, final String item) {
        int rank = 0;
        for (final JsonNode entry : answer.get("items")) {
            if (entry.get("item").asText().equals(item)) {
                return rank;
            }
            rank++;
        }
        return Integer.MAX_VALUE;
    }

    /** A user's state is kept under the record key, so an event keyed by anything but its user is refused. */
    @Test
    void shouldDeadLetterAnEventWhoseKeyIsNotItsUser() throws IOException {
        try (ModelDriver model = new ModelDriver("implicit", Map.of("factors", 8))) {
            model.feed(List.of(new String[] {null, "{\"id\":\"a\",\"user\":\"u7\",\"item\":\"i1\"}"},
                    new String[] {"u8", "{\"id\":\"b\",\"user\":\"u7\",\"item\":\"i2\"}"},
                    new String[] {"u7x", "{\"id\":\"c\",\"user\":\"u7\",\"k\":5}"},
                    new String[] {"zoë", "{\"id\":\"d\",\"user\":\"zoë\",\"item\":\"i3\"}"},
                    new String[] {"u7", "{\"id\":\"e\",\"user\":\"u7\",\"item\":\"i4\"}"}));
            assertEquals(List.of("the record has no key: a recommendation event's key must be its user, 'u7'",
                    "the record key 'u8' is not the event's user 'u7': a user's state is kept under the user as key",
                    "the record key 'u7x' is not the event's user 'u7': a user's state is kept under the user as key"),
                    model.deadLetterReasons());
            final JsonNode answer = model.ask("u7", "{\"id\":\"r\",\"user\":\"u7\",\"k\":5,\"exclude_seen\":true}");
            assertEquals(2, answer.get("updates").asLong(), "zoë's and u7's own interactions only");
            assertEquals(1, answer.get("items").size(), answer.toString());
            assertEquals("i3", answer.get("items").get(0).get("item").asText(), "u7 has seen i4 alone");
        }
    }

    @Test
    void shouldAnswerARatingWithThePredictedRating() throws IOException {
        try (ModelDriver model = new ModelDriver("mf", Map.of("factors", 8))) {
            model.feed(interactions(2_000, 3, true));
            final JsonNode answer = model.ask("u3", "{\"id\":\"q\",\"user\":\"u3\",\"item\":\"i4\",\"rating\":5}");
            assertEquals("q", answer.get("id").asText());
            assertEquals(2_000, answer.get("updates").asLong());
            // item 4 is always rated 5 by everyone: the model has learned that
            assertTrue(answer.get("rating").asDouble() > 4.0, answer.toString());
            assertTrue(answer.get("loss").asDouble() < 1.0, answer.toString());
            final JsonNode unrated = model.ask("u3", "{\"id\":\"q2\",\"user\":\"u3\",\"item\":\"i4\"}");
            assertTrue(unrated.get("loss") == null, "an event without a rating is answered, not learned");
        }
    }
}
