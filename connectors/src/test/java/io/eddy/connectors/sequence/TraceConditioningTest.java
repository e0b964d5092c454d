package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TraceConditioningTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Steps after which gamma^k is below 1e-12 for gamma 0.9, plus a margin. */
    private static final int TAIL = 300;

    @Test
    void shouldProduceTheSameEventsForTheSameSeed() {
        final TraceConditioning first = TraceConditioning.builder().seed(7).events(5_000).build();
        final TraceConditioning second = TraceConditioning.builder().seed(7).events(5_000).build();
        final TraceConditioning other = TraceConditioning.builder().seed(8).events(5_000).build();
        final int different = SeededStreams.eventsDifferingFromOtherSeed(first, second, other);
        assertTrue(different > 500, "another seed gives other events: " + different);
    }

    @Test
    void shouldWriteRegressionEventsOfOneEntity() throws IOException {
        final TraceConditioning stream = TraceConditioning.builder().seed(1).events(1_000).build();
        assertEquals("trace-conditioning", stream.name());
        assertEquals(6, stream.inputSize(), "CS, US and 4 distractors");
        assertEquals(1, stream.outputs());
        assertFalse(stream.classification());
        assertEquals(1, stream.usIndex());
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            final JsonNode node = MAPPER.readTree(event.toJson());
            assertEquals(List.of("id", "x", "y"), fieldNames(node));
            assertEquals("e" + event.index(), node.get("id").textValue());
            assertEquals("0", event.key());
            assertEquals(6, node.get("x").size());
            for (final JsonNode value : node.get("x")) {
                assertTrue(value.isInt() && (value.intValue() == 0 || value.intValue() == 1), node.toString());
            }
            assertEquals(1, node.get("y").size());
            assertTrue(node.get("y").get(0).doubleValue() >= 0, node.toString());
        }
    }

    @Test
    void shouldCarryTheDiscountedSumOfFutureUsAsTarget() throws IOException {
        final int n = 20_000;
        final TraceConditioning stream = TraceConditioning.builder().seed(3).events(n).build();
        final double[] us = new double[n];
        final double[] target = new double[n];
        for (int t = 0; t < n; t++) {
            final JsonNode node = MAPPER.readTree(stream.next().toJson());
            us[t] = node.get("x").get(stream.usIndex()).doubleValue();
            target[t] = node.get("y").get(0).doubleValue();
        }
        final double[] expected = discountedFutureSum(us, 0.9);
        for (int t = 0; t < n - TAIL; t++) {
            assertEquals(expected[t], target[t], 1e-6, "G at step " + t);
        }
        assertTrue(Arrays.stream(us).sum() > n / 160.0, "a US every 104 to 156 steps: " + Arrays.stream(us).sum());
    }

    @Test
    void shouldSpaceTrialsByTheIntervalsDrawnFromTheirRanges() {
        final TraceConditioning stream = TraceConditioning.builder().seed(5).events(50_000).build();
        final List<Integer> csSteps = new ArrayList<>();
        final List<Integer> usSteps = new ArrayList<>();
        long distractorsOn = 0;
        for (int t = 0; stream.hasNext(); t++) {
            final float[] x = stream.next().x();
            if (x[0] == 1) {
                csSteps.add(t);
            }
            if (x[1] == 1) {
                usSteps.add(t);
            }
            for (int j = 2; j < 6; j++) {
                distractorsOn += (long) x[j];
            }
        }
        assertEquals(0, csSteps.get(0), "the first trial starts at once");
        final TreeSet<Integer> isis = new TreeSet<>();
        final TreeSet<Integer> itis = new TreeSet<>();
        for (int i = 0; i < usSteps.size(); i++) {
            isis.add(usSteps.get(i) - csSteps.get(i));
            if (i + 1 < csSteps.size()) {
                itis.add(csSteps.get(i + 1) - usSteps.get(i));
            }
        }
        assertTrue(csSteps.size() - usSteps.size() <= 1, "every trial is reinforced");
        assertEquals(24, isis.first());
        assertEquals(36, isis.last());
        assertEquals(13, isis.size(), "every ISI in 24..36 occurs: " + isis);
        assertEquals(80, itis.first());
        assertEquals(120, itis.last());
        // 200,000 distractor draws at p = 0.1: standard deviation ~134
        assertEquals(20_000, distractorsOn, 700, "distractors on");
    }

    @Test
    void shouldReinforceAFixedHalfOfThePatternsInTracePatterning() {
        final TraceConditioning stream = TraceConditioning.builder().patterning(true).seed(11).isi(3, 5).iti(4, 6)
                .events(60_000).build();
        assertEquals("trace-patterning", stream.name());
        assertEquals(6 + 1 + 4, stream.inputSize());
        assertEquals(6, stream.usIndex());
        final int[] reinforced = stream.reinforcedPatterns();
        assertEquals(10, reinforced.length);
        final Map<Integer, int[]> outcomes = new HashMap<>(); // pattern -> {trials, reinforced trials}
        int pattern = -1;
        int sinceCs = 0;
        while (stream.hasNext()) {
            final float[] x = stream.next().x();
            int mask = 0;
            for (int i = 0; i < 6; i++) {
                mask |= x[i] == 1 ? 1 << i : 0;
            }
            sinceCs++;
            if (mask != 0) {
                assertEquals(3, Integer.bitCount(mask), "3 of the 6 CS bits on");
                pattern = mask;
                sinceCs = 0;
                outcomes.computeIfAbsent(mask, m -> new int[2])[0]++;
            }
            if (x[6] == 1) {
                assertTrue(sinceCs >= 3 && sinceCs <= 5, "US " + sinceCs + " steps after the CS");
                outcomes.get(pattern)[1]++;
            }
        }
        assertEquals(20, outcomes.size(), "every pattern occurs");
        final List<Integer> seenReinforced = new ArrayList<>();
        outcomes.forEach((mask, counts) -> {
            assertTrue(counts[1] == 0 || counts[1] >= counts[0] - 1, "pattern " + mask + " always or never: "
                    + Arrays.toString(counts));
            if (counts[1] > 0) {
                seenReinforced.add(mask);
            }
        });
        assertArrayEquals(reinforced, seenReinforced.stream().mapToInt(Integer::intValue).sorted().toArray());
        final int[] otherSeed = TraceConditioning.builder().patterning(true).seed(12).build().reinforcedPatterns();
        assertFalse(Arrays.equals(reinforced, otherSeed), "the seed chooses the reinforced half");
    }

    @Test
    void shouldInterleaveIndependentEntitiesRoundRobin() {
        final int keys = 3;
        final int perKey = 5_000;
        final TraceConditioning stream = TraceConditioning.builder().seed(2).keys(keys).gamma(0.5)
                .events((long) keys * perKey).build();
        final double[][] us = new double[keys][perKey];
        final double[][] target = new double[keys][perKey];
        for (int t = 0; t < perKey; t++) {
            for (int k = 0; k < keys; k++) {
                final SequenceEvent event = stream.next();
                assertEquals(Integer.toString(k), event.key());
                us[k][t] = event.x()[1];
                target[k][t] = event.y()[0];
            }
        }
        for (int k = 0; k < keys; k++) {
            final double[] expected = discountedFutureSum(us[k], 0.5);
            for (int t = 0; t < perKey - TAIL; t++) {
                assertEquals(expected[t], target[k][t], 1e-6, "key " + k + " step " + t);
            }
        }
        assertFalse(Arrays.equals(us[0], us[1]), "entities draw their own trials");
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().isi(0, 3));
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().iti(5, 4));
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().gamma(1));
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().keys(0));
        assertThrows(IllegalArgumentException.class, () -> TraceConditioning.builder().distractors(-1));
    }

    /** G_t = US_{t+1} + gamma G_{t+1}, from the end of the sequence (so wrong only near the end). */
    private static double[] discountedFutureSum(final double[] us, final double gamma) {
        final double[] g = new double[us.length];
        for (int t = us.length - 2; t >= 0; t--) {
            g[t] = us[t + 1] + gamma * g[t + 1];
        }
        return g;
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
