package io.eddy.learners.reco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.kernels.cpu.CpuBackend;
import io.eddy.learners.api.EventGroup;
import io.eddy.learners.api.NonFiniteUpdateException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Finite factors whose product passes the float range: an answer built from them is not finite, and is
 * refused like any other non-finite step (the engine dead-letters it as {@code not stepped}) instead of
 * going out as {@code "NaN"} or {@code "Infinity"}.
 */
class RecoAnswerOverflowTest {
    private static final RecoConfig MF = new RecoConfig(true, 4, 0.5, 0, 1, 1, 1, 20, 5, 0, 0);
    private static final RecoConfig IMPLICIT = new RecoConfig(false, 4, 0.05, 0.005, 4, 0.1, 1, 20, 5, 0, 0);
    private static final float HUGE = 1e20f;

    /** Two ratings of 1e19, each with an error whose square fits a float, leave factors near 1e36. */
    @Test
    void shouldRefuseAnMfAnswerThatIsNotFinite() {
        final RecoLearner learner = new RecoLearner(MF);
        final float[] user = new float[learner.keyStateSize()];
        final RecoExample example = new RecoExample();
        for (final String item : new String[] {"i", "j"}) {
            example.clear();
            example.interaction("u", item, 1e19f);
            learner.predict(example, user, new float[1]);
            learner.learn(example, user);
        }
        assertTrue(Arrays.stream(toDoubles(learner.items().values())).allMatch(Double::isFinite), "state is finite");
        final float[] before = user.clone();
        example.clear();
        example.interaction("u", "j", Float.NaN);
        final float[] out = new float[1];
        final NonFiniteUpdateException refusal = assertThrows(NonFiniteUpdateException.class,
                () -> learner.predict(example, user, out), () -> "answered " + out[0]);
        assertTrue(refusal.getMessage().contains("not finite"), refusal.getMessage());
        assertArrayEquals(before, user, "the user's state is left as it was");
    }

    @Test
    void shouldRefuseAnImplicitScoreThatIsNotFinite() {
        final RecoLearner learner = new RecoLearner(IMPLICIT);
        final float[] user = hugeUser(learner);
        hugeItem(learner, "big");
        final RecoExample example = new RecoExample();
        example.interaction("u", "big", Float.NaN);
        assertThrows(NonFiniteUpdateException.class, () -> learner.predict(example, user, new float[1]));
    }

    @Test
    void shouldRefuseARequestWhoseScoresAreNotFiniteOnTheHostAndInABatch() {
        final RecoLearner host = new RecoLearner(IMPLICIT);
        hugeItem(host, "big");
        final RecoExample request = new RecoExample();
        request.request("u", 5, false);
        assertThrows(NonFiniteUpdateException.class, () -> host.predict(request, hugeUser(host), new float[1]));

        try (CpuBackend cpu = new CpuBackend()) {
            final RecoConfig batched = new RecoConfig(false, 4, 0.05, 0.005, 4, 0.1, 1, 20, 5, 0, 0, 4);
            final RecoLearner learner = new RecoLearner(batched, cpu);
            hugeItem(learner, "big");
            final float[] one = new float[1];
            assertThrows(NonFiniteUpdateException.class, () -> learner.predict(request, hugeUser(learner), one));

            final EventGroup<RecoExample> group = new EventGroup<>(2, RecoExample::new, learner.keyStateSize(), 1);
            group.next().request("u", 5, false);
            System.arraycopy(hugeUser(learner), 0, group.keyState(group.add(false)), 0, learner.keyStateSize());
            group.next().request("newcomer", 5, false);
            group.add(false);
            learner.step(group, true);
            assertTrue(group.notStepped(0) != null && group.notStepped(0).contains("not finite"));
            assertNull(group.notStepped(1), "a user whose scores fit is answered");
            assertTrue(Float.isFinite(group.example(1).answerScore(0)));
        }
    }

    /** A user seen before whose factors are all {@link #HUGE}: finite, but their product with a huge item is not. */
    private static float[] hugeUser(final RecoLearner learner) {
        final float[] user = new float[learner.keyStateSize()];
        user[0] = 1f;
        Arrays.fill(user, 1, 1 + IMPLICIT.factors(), HUGE);
        return user;
    }

    private static void hugeItem(final RecoLearner learner, final String id) {
        final int slot = learner.items().getOrCreate(id, 0);
        final int width = learner.items().width();
        Arrays.fill(learner.items().values(), slot * width + 1, (slot + 1) * width, HUGE);
    }

    private static double[] toDoubles(final float[] values) {
        final double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
