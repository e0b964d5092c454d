package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.EmbeddingTable;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.NonFiniteUpdateException;
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
 * The recommendation model on the learner SPI: answers, seen items left out, and a learner rebuilt
 * from what a store would hold (parameters, users' key states, the item rows) going on bit for bit.
 */
class RecoLearnerTest {
    private static final RecoConfig IMPLICIT = new RecoConfig(false, 8, 0.05, 0.005, 4, 0.1, 1, 20, 5, 0, 0);
    private static final RecoConfig EXPLICIT = new RecoConfig(true, 8, 0.05, 0.02, 1, 0.1, 1, 20, 5, 0, 0);

    /** Users below 50 interact with items below 30, the others with the rest, item popularity skewed. */
    private static void interaction(final SplittableRandom random, final RecoExample example) {
        final int user = random.nextInt(100);
        final int item = (user < 50 ? 0 : 30) + (int) (30 * Math.pow(random.nextDouble(), 2));
        example.clear();
        example.interaction("u" + user, "i" + item, 1 + (item % 5));
    }

    private static float[] state(final Map<String, float[]> users, final RecoLearner learner, final String user) {
        return users.computeIfAbsent(user, u -> new float[learner.keyStateSize()]);
    }

    private static void run(final RecoLearner learner, final Map<String, float[]> users, final SplittableRandom random,
                            final int events, final List<Float> answers) {
        final RecoExample example = new RecoExample();
        final float[] out = new float[1];
        for (int n = 0; n < events; n++) {
            interaction(random, example);
            final float[] user = state(users, learner, example.user());
            learner.predict(example, user, out);
            answers.add(out[0]);
            if (learner.labelled(example)) {
                answers.add(learner.learn(example, user));
            }
            if (n % 97 == 0) {
                example.clear();
                example.request(example.user() == null ? "u" + (n % 100) : example.user(), 10, n % 2 == 0);
                learner.predict(example, state(users, learner, "u" + (n % 100)), out);
                for (int r = 0; r < example.answered(); r++) {
                    answers.add(example.answerScore(r));
                }
            }
        }
    }

    /** An implicit model's loss of a score far below 0 is finite (the paused model's answers are scored too). */
    @Test
    void shouldScoreAFarNegativeAnswerWithAFiniteLoss() {
        final RecoLearner learner = new RecoLearner(IMPLICIT);
        final RecoExample example = new RecoExample();
        example.interaction("u1", "i1", 1);
        assertEquals(1000f, learner.loss(example, new float[] {-1000f}), 1e-3f);
        assertEquals(Math.log1p(Math.exp(-2)), learner.loss(example, new float[] {2f}), 1e-7);
    }

    @Test
    void shouldAnswerARequestBestFirstAndLeaveOutWhatTheUserHasSeen() {
        final RecoLearner learner = new RecoLearner(IMPLICIT);
        final Map<String, float[]> users = new HashMap<>();
        run(learner, users, new SplittableRandom(1), 20_000, new ArrayList<>());
        final float[] alice = new float[learner.keyStateSize()];
        final RecoExample example = new RecoExample();
        final float[] out = new float[1];
        final List<String> seen = List.of("i40", "i45", "i50", "i55", "i31");
        for (final String item : seen) {
            example.clear();
            example.interaction("alice", item, Float.NaN);
            learner.predict(example, alice, out);
            learner.learn(example, alice);
        }
        example.clear();
        example.request("alice", 10, false);
        learner.predict(example, alice, out);
        assertEquals(10f, out[0]);
        final Set<String> all = new HashSet<>();
        int ownKind = 0;
        for (int r = 0; r < example.answered(); r++) {
            all.add(example.answerItem(r));
            ownKind += Integer.parseInt(example.answerItem(r).substring(1)) >= 30 ? 1 : 0;
            if (r > 0) {
                assertTrue(example.answerScore(r) <= example.answerScore(r - 1), "best first");
            }
        }
        assertTrue(ownKind >= 8, "five interactions place alice among the second kind's users: " + ownKind);
        assertTrue(all.stream().anyMatch(seen::contains), "without exclusion her items may come back: " + all);
        example.clear();
        example.request("alice", 10, true);
        learner.predict(example, alice, out);
        assertEquals(10, example.answered());
        for (int r = 0; r < example.answered(); r++) {
            assertFalse(seen.contains(example.answerItem(r)), example.answerItem(r) + " was seen");
        }
        example.clear();
        example.request("alice", 3, false);
        learner.predict(example, alice, out);
        assertEquals(3, example.answered(), "k below the model's maximum");
    }

    @Test
    void shouldGoOnBitForBitFromWhatAStoreHolds() {
        for (final RecoConfig config : List.of(IMPLICIT, EXPLICIT)) {
            final RecoLearner original = new RecoLearner(config);
            final Map<String, float[]> users = new HashMap<>();
            final SplittableRandom random = new SplittableRandom(2);
            run(original, users, random, 5_000, new ArrayList<>());
            // what the engine would have written before a commit
            final Map<String, float[]> rows = new HashMap<>();
            final Map<String, long[]> where = new HashMap<>();
            original.items().drainChanges(new EmbeddingTable.ChangeSink() {
                @Override
                public void row(final String id, final int slot, final long seen, final float[] values, final int at) {
                    rows.put(id, Arrays.copyOfRange(values, at, at + original.items().width()));
                    where.put(id, new long[] {slot, seen});
                }

                @Override
                public void evicted(final String id) {
                    rows.remove(id);
                }
            });
            final RecoLearner restored = new RecoLearner(config);
            final DenseParameters from = (DenseParameters) original.parameters();
            final FloatBuffer block = FloatBuffer.wrap(from.values().clone());
            restored.parameters().writeBlock(0, block);
            rows.forEach((id, row) -> restored.items().restore(id, (int) where.get(id)[0], where.get(id)[1], row, 0));
            final Map<String, float[]> restoredUsers = new HashMap<>();
            users.forEach((u, s) -> restoredUsers.put(u, s.clone()));
            final List<Float> a = new ArrayList<>();
            final List<Float> b = new ArrayList<>();
            run(original, users, new SplittableRandom(3), 3_000, a);
            run(restored, restoredUsers, new SplittableRandom(3), 3_000, b);
            assertEquals(a, b, (config.explicit() ? "mf" : "implicit") + ": answers and losses");
            assertArrayEquals(Arrays.copyOf(original.items().values(), original.items().slotLimit() * 9),
                    Arrays.copyOf(restored.items().values(), restored.items().slotLimit() * 9));
        }
    }

    @Test
    void shouldAnswerARatingBeforeLearningItAndExplainBadEvents() {
        final RecoLearner learner = new RecoLearner(EXPLICIT);
        final float[] bob = new float[learner.keyStateSize()];
        final RecoExample example = new RecoExample();
        final float[] out = new float[1];
        example.interaction("bob", "film", 4f);
        learner.predict(example, bob, out);
        assertEquals(0f, out[0], "nothing learned yet: the mean of no ratings");
        assertTrue(learner.labelled(example));
        assertEquals(16f, learner.learn(example, bob), 1e-6f, "the squared error of that answer");
        example.interaction("bob", "film", Float.NaN);
        assertFalse(learner.labelled(example), "an mf model learns from ratings only");
        assertNull(learner.validate(example));
        example.interaction("bob", "film", Float.POSITIVE_INFINITY);
        assertEquals("'rating' is not finite", learner.validate(example));
        example.clear();
        example.request("bob", 21, false);
        assertEquals("'k' 21 is above the model's maxK 20", learner.validate(example));
        example.clear();
        example.interaction("", "film", 3f);
        assertEquals("'user' is missing", learner.validate(example));
    }

    /**
     * A rating of 1e20 is a finite float, but its squared error is not: the event is refused before anything
     * is learned, one by one and in a group alike, and a rating whose error fits is learned as before.
     */
    @Test
    void shouldRefuseARatingWhoseSquaredErrorWouldOverflow() {
        final RecoLearner learner = new RecoLearner(EXPLICIT);
        final float[] bob = new float[learner.keyStateSize()];
        final float[] values = ((DenseParameters) learner.parameters()).values();
        final float[] before = values.clone();
        final RecoExample example = new RecoExample();
        example.interaction("bob", "film", 1e20f);
        assertNull(learner.validate(example));
        assertTrue(assertThrows(NonFiniteUpdateException.class, () -> learner.predict(example, bob, new float[1]))
                .getMessage().contains("squared error"));
        assertArrayEquals(new float[learner.keyStateSize()], bob, "the user's state is left as it was");
        assertArrayEquals(before, values, "nothing learned");

        try (CpuBackend cpu = new CpuBackend()) {
            final RecoConfig batched = new RecoConfig(true, 8, 0.05, 0.02, 1, 0.1, 1, 20, 5, 0, 0, 4);
            for (final RecoLearner grouped : List.of(new RecoLearner(EXPLICIT), new RecoLearner(batched, cpu))) {
                final EventGroup<RecoExample> group = new EventGroup<>(2, RecoExample::new,
                        grouped.keyStateSize(), 1);
                group.next().interaction("bob", "film", 1e20f);
                group.add(true);
                group.next().interaction("bob", "film", 1e18f);
                group.add(true);
                grouped.step(group, true);
                assertTrue(group.notStepped(0).contains("squared error"));
                assertNull(group.notStepped(1));
                assertNull(group.notLearned(1));
                assertTrue(Float.isFinite(group.loss(1)), "an error of 1e18 squared still fits a float");
                assertEquals(1, grouped.items().liveRows(), "the second rating was learned: its item has a row");
            }
        }
    }

    /** Slots reach the store as floats, exact to 2^24, and a table is one float array. */
    @Test
    void shouldKeepNoMoreItemsThanTheStoreAndATableHoldExactly() {
        assertEquals((1 << 24) - RecoLearner.EVICT_EVERY, RecoLearner.itemLimit(0, 65));
        assertEquals(5, RecoLearner.itemLimit(5, 65));
        assertEquals((1 << 24) - RecoLearner.EVICT_EVERY, RecoLearner.itemLimit(Integer.MAX_VALUE, 65));
        assertEquals((Integer.MAX_VALUE - 8) / 257 - RecoLearner.EVICT_EVERY, RecoLearner.itemLimit(0, 257));
        assertTrue(RecoLearner.itemLimit(0, 257) < (1 << 24));
    }
}
