package io.eddy.connectors.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ClickStreamTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        final ClickStream first = ClickStream.builder().seed(9).events(2_000).build();
        final ClickStream second = ClickStream.builder().seed(9).events(2_000).build();
        final ClickStream other = ClickStream.builder().seed(10).events(2_000).build();
        int differentFromOther = 0;
        while (first.hasNext()) {
            final byte[] a = first.next();
            assertArrayEquals(a, second.next(), "event " + first.index());
            assertEquals(first.key(), second.key());
            assertEquals(first.trueClickProbability(), second.trueClickProbability());
            if (!Arrays.equals(a, other.next())) {
                differentFromOther++;
            }
        }
        assertFalse(second.hasNext());
        assertTrue(differentFromOther > 1_900, "another seed gives other events: " + differentFromOther);
    }

    @Test
    void shouldWriteWellFormedEventsInTheInputFormat() throws IOException {
        final ClickStream stream = ClickStream.builder().seed(1).events(1_000).users(50).build();
        final List<String> categoricals = List.of("country", "device", "ad_id", "site", "hour");
        final List<String> numerics = List.of("price", "position", "user_age", "session_depth", "bid");
        while (stream.hasNext()) {
            final JsonNode event = MAPPER.readTree(stream.next());
            assertEquals(List.of("id", "features", "label"), fieldNames(event));
            assertEquals("e" + stream.index(), event.get("id").textValue());
            assertEquals(stream.id(), event.get("id").textValue());
            assertEquals(stream.label(), event.get("label").intValue());
            assertTrue(event.get("label").isInt());
            final JsonNode features = event.get("features");
            assertEquals(10, features.size(), features.toString());
            for (final String name : categoricals) {
                assertTrue(features.get(name).isTextual(), name + " in " + features);
            }
            for (final String name : numerics) {
                assertTrue(features.get(name).isNumber(), name + " in " + features);
                assertTrue(features.get(name).doubleValue() >= 0, name + " in " + features);
            }
            final int hour = Integer.parseInt(features.get("hour").textValue());
            assertTrue(hour >= 0 && hour < 24, "hour " + hour);
            assertTrue(features.get("user_age").intValue() >= 18, features.toString());
            assertTrue(features.get("position").intValue() >= 1, features.toString());
            final int user = Integer.parseInt(stream.key().substring(1));
            assertTrue(stream.key().startsWith("u") && user >= 0 && user < 50, stream.key());
            final double p = stream.trueClickProbability();
            assertTrue(p > 0 && p < 1, "probability " + p);
        }
    }

    @Test
    void shouldOmitTheLabelWhenAsked() throws IOException {
        final ClickStream labelled = ClickStream.builder().seed(4).events(10).build();
        final ClickStream unlabelled = ClickStream.builder().seed(4).events(10).withLabels(false).build();
        while (unlabelled.hasNext()) {
            final JsonNode withLabel = MAPPER.readTree(labelled.next());
            final JsonNode event = MAPPER.readTree(unlabelled.next());
            assertNull(event.get("label"));
            assertEquals(withLabel.get("features"), event.get("features"), "same event apart from the label");
            assertEquals(labelled.label(), unlabelled.label());
        }
    }

    @Test
    void shouldDrawLabelsFromTheTrueProbability() {
        final ClickStream stream = ClickStream.builder().seed(3).events(50_000).build();
        double expected = 0;
        long clicks = 0;
        while (stream.hasNext()) {
            stream.next();
            expected += stream.trueClickProbability();
            clicks += stream.label();
        }
        // Binomial standard deviation here is ~100 clicks; allow 5 of them.
        assertEquals(expected, clicks, 500, "clicks vs the sum of true probabilities");
        assertTrue(clicks > 10_000 && clicks < 25_000, "click rate between 20% and 50%: " + clicks);
    }

    @Test
    void shouldChangeTheClickRateOfSomeSegmentsAtTheDrift() throws IOException {
        final ClickStream stream = ClickStream.builder().seed(5).events(80_000).driftAt(40_000).build();
        assertEquals(40_000, stream.driftAt());
        final String[] devices = ClickStream.DEVICES;
        final long[][] shown = new long[2][devices.length];
        final long[][] clicked = new long[2][devices.length];
        while (stream.hasNext()) {
            final JsonNode event = MAPPER.readTree(stream.next());
            final int phase = stream.drifted() ? 1 : 0;
            assertEquals(stream.index() >= 40_000, stream.drifted());
            final int device = Arrays.asList(devices).indexOf(event.get("features").get("device").textValue());
            shown[phase][device]++;
            clicked[phase][device] += event.get("label").intValue();
        }
        final double desktopBefore = rate(clicked[0][0], shown[0][0]);
        final double desktopAfter = rate(clicked[1][0], shown[1][0]);
        final double mobileBefore = rate(clicked[0][1], shown[0][1]);
        final double mobileAfter = rate(clicked[1][1], shown[1][1]);
        // Each rate rests on ~10,000 events (standard error ~0.005); the drift moves them by ~0.1-0.2.
        assertTrue(mobileAfter > mobileBefore + 0.1, "mobile " + mobileBefore + " -> " + mobileAfter);
        assertTrue(desktopAfter < desktopBefore - 0.05, "desktop " + desktopBefore + " -> " + desktopAfter);
        assertTrue(mobileBefore < desktopBefore && mobileAfter > desktopAfter, "mobile and desktop swap places");
    }

    @Test
    void shouldUseHalfTheStreamAsTheDefaultDriftPoint() {
        assertEquals(5_000, ClickStream.builder().events(10_000).build().driftAt());
        final ClickStream noDrift = ClickStream.builder().events(100).driftAt(100).build();
        while (noDrift.hasNext()) {
            noDrift.next();
            assertFalse(noDrift.drifted());
        }
    }

    @Test
    void shouldStopAfterTheLastEvent() {
        final ClickStream stream = ClickStream.builder().events(3).build();
        assertThrows(IllegalStateException.class, stream::key, "no current event yet");
        int produced = 0;
        while (stream.hasNext()) {
            stream.next();
            produced++;
        }
        assertEquals(3, produced);
        assertEquals(2, stream.index());
        assertThrows(NoSuchElementException.class, stream::next);
        assertThrows(IllegalArgumentException.class, () -> ClickStream.builder().users(0));
    }

    private static double rate(final long clicks, final long shown) {
        return (double) clicks / shown;
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
