package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.OnlineLearner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Requests scored in batches on the CPU backend against the same stream taken one by one on the host:
 * the same items in the same order, scores within {@link #TOLERANCE} (the product sums in another
 * order than the host scan), and interactions answered and learned bit for bit alike, through item
 * rows created and evicted, the table's growth, a reset and a restore of the rows behind the learner.
 */
class BatchedScoringTest {
    /** Scores are a bias plus a dot product of 8 factors, a few units at most: float rounding stays far below. */
    private static final float TOLERANCE = 1e-4f;
    private static final RecoConfig IMPLICIT = new RecoConfig(false, 8, 0.05, 0.005, 4, 0.1, 1, 30, 10, 3_000,
            1_500);
    private static final RecoConfig EXPLICIT = new RecoConfig(true, 8, 0.05, 0.02, 1, 0.1, 1, 30, 10, 3_000, 1_500);
    /** Implicit feedback that never evicts an item. */
    private static final RecoConfig UNBOUNDED = new RecoConfig(false, 8, 0.05, 0.005, 4, 0.1, 1, 30, 10, 0, 0);

    /** One event of a stream: an interaction (k 0) or a request. */
    private record Event(String user, String item, float rating, int k, boolean excludeSeen) {
        void into(final RecoExample example) {
            example.clear();
            if (k > 0) {
                example.request(user, k, excludeSeen);
            } else {
                example.interaction(user, item, rating);
            }
        }
    }

    /** What a learner gave back for an event: output, loss (NaN when not learned) and, for a request, the items. */
    private record Answer(float output, float loss, List<String> items, float[] scores) {
        static Answer of(final RecoExample example, final float output, final float loss) {
            final List<String> items = new ArrayList<>();
            final float[] scores = new float[example.isRequest() ? example.answered() : 0];
            for (int r = 0; r < scores.length; r++) {
                items.add(example.answerItem(r));
                scores[r] = example.answerScore(r);
            }
            return new Answer(output, loss, items, scores);
        }
    }

    /**
     * 200 users interacting with up to 3,000 items of skewed popularity (so that rarely seen items are
     * evicted and come back), a quarter of the events requests of up to 30 items, half of them leaving
     * out what the user has seen, some from users never seen.
     */
    private static List<Event> stream(final long seed, final int events, final int itemIds) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<Event> stream = new ArrayList<>();
        for (int n = 0; n < events; n++) {
            if (random.nextInt(4) == 0) {
                final String user = random.nextInt(20) == 0 ? "new" + random.nextInt(10) : "u" + random.nextInt(200);
                stream.add(new Event(user, null, Float.NaN, 1 + random.nextInt(30), random.nextBoolean()));
            } else {
                final int user = random.nextInt(200);
                final int item = (user % 2 == 0 ? 0 : itemIds / 2) + (int) (itemIds / 2 * Math.pow(random.nextDouble(),
                        2));
                stream.add(new Event("u" + user, "i" + item, random.nextInt(10) == 0 ? Float.NaN : 1 + item % 5, 0,
                        false));
            }
        }
        return stream;
    }

    private static float[] state(final Map<String, float[]> users, final OnlineLearner<RecoExample> learner,
                                 final String user) {
        return users.computeIfAbsent(user, u -> new float[learner.keyStateSize()]);
    }

    /** The stream one event at a time: predict, then learn when labelled. */
    private static List<Answer> oneByOne(final RecoLearner learner, final Map<String, float[]> users,
                                         final List<Event> events) {
        final List<Answer> answers = new ArrayList<>();
        final RecoExample example = new RecoExample();
        final float[] out = new float[1];
        for (final Event event : events) {
            event.into(example);
            final float[] user = state(users, learner, event.user());
            learner.predict(example, user, out);
            final float loss = learner.labelled(example) ? learner.learn(example, user) : Float.NaN;
            answers.add(Answer.of(example, out[0], loss));
        }
        return answers;
    }

    /** The stream in groups of distinct users, as the engine gathers them, each stepped at once. */
    private static List<Answer> grouped(final RecoLearner learner, final Map<String, float[]> users,
                                        final List<Event> events) {
        final List<Answer> answers = new ArrayList<>();
        final EventGroup<RecoExample> group = new EventGroup<>(learner.groupCapacity(), RecoExample::new,
                learner.keyStateSize(), 1);
        final List<String> keys = new ArrayList<>();
        for (final Event event : events) {
            if (group.isFull() || keys.contains(event.user())) {
                step(learner, users, group, keys, answers);
            }
            final RecoExample example = group.next();
            event.into(example);
            final int slot = group.add(learner.labelled(example));
            System.arraycopy(state(users, learner, event.user()), 0, group.keyState(slot), 0, learner.keyStateSize());
            keys.add(event.user());
        }
        step(learner, users, group, keys, answers);
        return answers;
    }

    private static void step(final RecoLearner learner, final Map<String, float[]> users,
                             final EventGroup<RecoExample> group, final List<String> keys, final List<Answer> answers) {
        learner.step(group, true);
        for (int slot = 0; slot < group.size(); slot++) {
            System.arraycopy(group.keyState(slot), 0, users.get(keys.get(slot)), 0, learner.keyStateSize());
            answers.add(Answer.of(group.example(slot), group.output(slot)[0], group.loss(slot)));
        }
        group.clear();
        keys.clear();
    }

    /**
     * Interactions alike bit for bit; requests with the same count, scores rank by rank within tolerance,
     * and the same items in the same order but where two items' scores lie within tolerance of each
     * other (a near tie that the two sums may break either way): then an item may stand at another
     * rank whose reference score is its own, or, at the end of the list, in place of one it ties with.
     * Such near ties must stay rare.
     */
    private static void assertSameAnswers(final List<Answer> expected, final List<Answer> actual, final String what) {
        assertEquals(expected.size(), actual.size(), what + ": answers");
        int ties = 0;
        for (int n = 0; n < expected.size(); n++) {
            final Answer e = expected.get(n);
            final Answer a = actual.get(n);
            assertEquals(e.output(), a.output(), what + ": output of event " + n);
            assertEquals(e.loss(), a.loss(), what + ": loss of event " + n);
            assertEquals(e.items().size(), a.items().size(), what + ": items of event " + n);
            final int last = e.scores().length - 1;
            boolean tied = false;
            for (int r = 0; r <= last; r++) {
                assertEquals(e.scores()[r], a.scores()[r], TOLERANCE, what + ": score " + r + " of event " + n);
                if (e.items().get(r).equals(a.items().get(r))) {
                    continue;
                }
                tied = true;
                final int there = e.items().indexOf(a.items().get(r));
                final String message = what + ": event " + n + " ranks " + a.items().get(r) + " at " + r + ": "
                        + e.items() + " " + Arrays.toString(e.scores()) + " against " + a.items() + " "
                        + Arrays.toString(a.scores());
                if (there >= 0) {
                    assertEquals(e.scores()[there], a.scores()[r], TOLERANCE, message);
                } else {
                    assertTrue(a.scores()[r] - e.scores()[last] <= TOLERANCE, message);
                }
            }
            ties += tied ? 1 : 0;
        }
        assertTrue(ties <= Math.max(1, requestsAnswered(actual) / 100), what + ": " + ties + " answers with near ties");
    }

    private static int requestsAnswered(final List<Answer> answers) {
        int requests = 0;
        for (final Answer a : answers) {
            requests += a.items().isEmpty() ? 0 : 1;
        }
        return requests;
    }

    @Test
    void shouldAnswerAsOneByOneOnASeededStreamWithItemsCreatedAndEvicted() {
        for (final RecoConfig config : List.of(IMPLICIT, EXPLICIT)) {
            final String what = config.explicit() ? "mf" : "implicit";
            try (CpuBackend cpu = new CpuBackend()) {
                final RecoLearner reference = new RecoLearner(config);
                final RecoLearner batched = new RecoLearner(config.withScoreBatch(8), cpu);
                assertEquals(1, reference.groupCapacity());
                assertEquals(8, batched.groupCapacity());
                final Map<String, float[]> referenceUsers = new HashMap<>();
                final Map<String, float[]> batchedUsers = new HashMap<>();
                final List<Event> first = stream(11, 12_000, 3_000);
                final List<Answer> expected = oneByOne(reference, referenceUsers, first);
                final List<Answer> actual = grouped(batched, batchedUsers, first);
                assertSameAnswers(expected, actual, what + " before the reset");
                assertTrue(batched.items().evicted() > 500, what + ": items were evicted mid-stream");
                assertTrue(batched.items().values().length > 1_024 * batched.items().width(),
                        what + ": the table grew past its first 1,024 rows");
                assertTrue(requestsAnswered(actual) > 2_000, what + ": requests answered");
                assertTrue(excludingMattered(reference, referenceUsers, first) > 20,
                        what + ": leaving out seen items changed answers");
                // a reset, as the engine makes it: rows evicted, scalars zeroed, users forgotten
                for (final RecoLearner learner : List.of(reference, batched)) {
                    learner.clearRows();
                    learner.parameters().clear();
                }
                referenceUsers.clear();
                batchedUsers.clear();
                final List<Event> second = stream(12, 5_000, 600);
                assertSameAnswers(oneByOne(reference, referenceUsers, second), grouped(batched, batchedUsers, second),
                        what + " after the reset");
                final int width = reference.items().width();
                assertArrayEquals(Arrays.copyOf(reference.items().values(), reference.items().slotLimit() * width),
                        Arrays.copyOf(batched.items().values(), batched.items().slotLimit() * width),
                        what + ": learning is untouched by batching");
            }
        }
    }

    /** A learner answering one by one and one answering in groups on a backend, each with its users' states. */
    private record Twins(RecoLearner reference, RecoLearner batched, Map<String, float[]> referenceUsers,
                         Map<String, float[]> batchedUsers) {
        static Twins of(final RecoConfig config, final int scoreBatch, final CpuBackend cpu) {
            return new Twins(new RecoLearner(config), new RecoLearner(config.withScoreBatch(scoreBatch), cpu),
                    new HashMap<>(), new HashMap<>());
        }

        List<Answer> oneByOne(final List<Event> events) {
            return BatchedScoringTest.oneByOne(reference, referenceUsers, events);
        }

        List<Answer> grouped(final List<Event> events) {
            return BatchedScoringTest.grouped(batched, batchedUsers, events);
        }
    }

    /** Requests of the stream that leave out seen items and whose answer would differ without doing so. */
    private static int excludingMattered(final RecoLearner learner, final Map<String, float[]> users,
                                         final List<Event> events) {
        // answered on the learner as the stream left it: requests change nothing
        final RecoExample with = new RecoExample();
        final RecoExample without = new RecoExample();
        final float[] out = new float[1];
        int differ = 0;
        for (final Event event : events) {
            if (event.k() == 0 || !event.excludeSeen() || event.user().startsWith("new")) {
                continue;
            }
            event.into(with);
            new Event(event.user(), null, Float.NaN, event.k(), false).into(without);
            learner.predict(with, users.get(event.user()), out);
            learner.predict(without, users.get(event.user()), out);
            differ += Answer.of(with, 0, 0).items().equals(Answer.of(without, 0, 0).items()) ? 0 : 1;
        }
        return differ;
    }

    @Test
    void shouldScoreARequestAfterAnInteractionInItsGroupWithTheUpdatedRows() {
        try (CpuBackend cpu = new CpuBackend()) {
            final Twins twins = Twins.of(UNBOUNDED, 4, cpu);
            final List<Event> warmUp = new ArrayList<>();
            for (final Event event : stream(21, 3_000, 30)) {
                if (event.k() == 0) {
                    warmUp.add(new Event(event.user(), event.item(), Float.NaN, 0, false));
                }
            }
            twins.oneByOne(warmUp);
            twins.grouped(warmUp);
            // "twin" starts as u1 does, so that the two requests would answer alike but for the interaction
            twins.referenceUsers().put("twin", twins.referenceUsers().get("u1").clone());
            twins.batchedUsers().put("twin", twins.batchedUsers().get("u1").clone());
            final List<Event> group = List.of(new Event("u1", null, Float.NaN, 30, false),
                    new Event("u2", "i3", Float.NaN, 0, false), new Event("twin", null, Float.NaN, 30, false));
            final List<Answer> expected = twins.oneByOne(group);
            final List<Answer> actual = twins.grouped(group);
            assertEquals(3, actual.size());
            assertSameAnswers(expected, actual, "a group of request, interaction, request");
            final float before = scoreOf(actual.get(0), "i3");
            final float after = scoreOf(actual.get(2), "i3");
            assertTrue(Math.abs(after - before) > 100 * TOLERANCE,
                    "the second request sees the interacted item's new row: " + before + " then " + after);
            assertTrue(Float.isFinite(actual.get(1).loss()), "the interaction was learned in the group");
        }
    }

    private static float scoreOf(final Answer answer, final String item) {
        final int rank = answer.items().indexOf(item);
        assertTrue(rank >= 0, item + " is among the answered items " + answer.items());
        return answer.scores()[rank];
    }

    @Test
    void shouldScoreTheRestoredRowsAfterARollbackBehindTheLearner() {
        try (CpuBackend cpu = new CpuBackend()) {
            final Twins twins = Twins.of(UNBOUNDED, 4, cpu);
            final List<Event> first = stream(31, 4_000, 200);
            assertSameAnswers(twins.oneByOne(first), twins.grouped(first), "before the snapshot");
            // the snapshot: scalars, rows and users as a store would hold them
            final float[] scalars = ((DenseParameters) twins.batched().parameters()).values().clone();
            final Map<String, float[]> rows = new HashMap<>();
            final Map<String, long[]> where = new HashMap<>();
            twins.batched().items().drainChanges(new EmbeddingTable.ChangeSink() {
                @Override
                public void row(final String id, final int slot, final long seen, final float[] values, final int at) {
                    rows.put(id, Arrays.copyOfRange(values, at, at + twins.batched().items().width()));
                    where.put(id, new long[] {slot, seen});
                }

                @Override
                public void evicted(final String id) {
                    rows.remove(id);
                }
            });
            final Map<String, float[]> savedUsers = new HashMap<>();
            twins.batchedUsers().forEach((u, s) -> savedUsers.put(u, s.clone()));
            final List<Event> second = stream(32, 3_000, 200);
            final List<Answer> afterSnapshot = twins.grouped(second);
            assertSameAnswers(twins.oneByOne(second), afterSnapshot, "after the snapshot");
            // the rollback rewrites the batched learner's rows behind its back; the reference starts afresh from them
            final RecoLearner restored = new RecoLearner(UNBOUNDED);
            for (final RecoLearner learner : List.of(twins.batched(), restored)) {
                learner.parameters().writeBlock(0, FloatBuffer.wrap(scalars.clone()));
                learner.items().clear();
                rows.forEach((id, row) -> learner.items().restore(id, (int) where.get(id)[0], where.get(id)[1], row,
                        0));
            }
            final Map<String, float[]> restoredUsers = new HashMap<>();
            twins.batchedUsers().clear();
            savedUsers.forEach((u, s) -> {
                restoredUsers.put(u, s.clone());
                twins.batchedUsers().put(u, s.clone());
            });
            final List<Event> third = stream(33, 2_000, 200);
            final List<Answer> expected = oneByOne(restored, restoredUsers, third);
            final List<Answer> actual = twins.grouped(third);
            assertSameAnswers(expected, actual, "after the rollback");
            assertFalse(expected.equals(afterSnapshot), "the rolled-back rows answer otherwise than the newer ones");
        }
    }

    @Test
    void shouldUseTheBackendOnlyWhenRequestsAreBatched() {
        final RecoType type = RecoType.implicit();
        final Map<String, Double> defaults = HyperParameters.resolve(type.hyperParameters(), Map.of());
        assertEquals(32.0, defaults.get(RecoType.SCORE_BATCH));
        assertTrue(type.usesComputeBackend(defaults));
        final Map<String, Double> single = HyperParameters.resolve(type.hyperParameters(),
                Map.of(RecoType.SCORE_BATCH, 1.0));
        assertFalse(type.usesComputeBackend(single));
        try (CpuBackend cpu = new CpuBackend()) {
            assertEquals(32, type.create(defaults, cpu).groupCapacity());
            assertEquals(1, type.create(single, cpu).groupCapacity());
            assertEquals(1, type.create(defaults).groupCapacity(), "without a backend, one by one");
            final Set<String> names = new HashSet<>();
            type.hyperParameters().forEach(p -> names.add(p.name()));
            assertTrue(names.contains(RecoType.SCORE_BATCH), "scoreBatch is a parameter");
        }
    }
}
