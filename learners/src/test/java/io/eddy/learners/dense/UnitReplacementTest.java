package io.eddy.learners.dense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.ff.FfType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Continual backprop's choice of units: mature ones only, least useful first, at the rate, persisted. A
 * unit's age is a float, exact up to 2^24: the largest {@code maturity} is one below that. Each replaced
 * unit's fresh weights come from a seed of its own.
 */
class UnitReplacementTest {
    private static final int UNITS = 10;
    /** The largest maturity a net takes. */
    private static final int LARGEST = (1 << 24) - 1;

    /** Unit j contributes j: unit 0 is the least useful. */
    private static float[] ranked() {
        final float[] c = new float[UNITS];
        for (int j = 0; j < UNITS; j++) {
            c[j] = j;
        }
        return c;
    }

    @Test
    void shouldReplaceTheLeastUsefulMatureUnitsAtTheRate() {
        final DenseParameters parameters = new DenseParameters(UnitReplacement.floats(1, UNITS), 4);
        final UnitReplacement units = new UnitReplacement(parameters, 0, 1, UNITS, 0.1, 2, 0.5);
        final List<Integer> reset = new ArrayList<>();
        final float[] contribution = ranked();
        for (long step = 1; step <= 2; step++) {
            units.observe(0, contribution);
            assertEquals(0, units.replace(7, step, (l, u, r) -> reset.add(u)), "no unit is mature yet");
        }
        units.observe(0, contribution);
        assertEquals(1, units.replace(7, 3, (l, u, r) -> reset.add(u)), "ten mature units at 0.1: one is due");
        assertEquals(List.of(0), reset);
        assertEquals(0, units.age(0, 0));
        assertEquals(0f, units.utility(0, 0));
        assertEquals(3, units.age(0, 1));
        assertEquals(0.875f, units.utility(0, 1), "1 - 0.5^3 of a contribution of 1");
        units.observe(0, contribution);
        assertEquals(0, units.replace(7, 4, (l, u, r) -> reset.add(u)), "nine mature units: 0.9 due");
        units.observe(0, contribution);
        assertEquals(1, units.replace(7, 5, (l, u, r) -> reset.add(u)), "1.8 due");
        assertEquals(List.of(0, 1), reset, "unit 0 is young again; unit 1 is next");
        assertEquals(2, units.replaced());
    }

    @Test
    void shouldIgnoreNonFiniteContributions() {
        final DenseParameters parameters = new DenseParameters(UnitReplacement.floats(1, UNITS), 4);
        final UnitReplacement units = new UnitReplacement(parameters, 0, 1, UNITS, 0.1, 0, 0.5);
        final float[] contribution = ranked();
        contribution[4] = Float.NaN;
        contribution[5] = Float.POSITIVE_INFINITY;
        units.observe(0, contribution);
        for (final float v : parameters.values()) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(0f, units.utility(0, 4));
        assertEquals(1, units.age(0, 4), "the unit still ages");
    }

    @Test
    void shouldKeepItsStateInTheParametersSoThatACopyChoosesAlike() {
        final int at = 3;
        final DenseParameters parameters = new DenseParameters(at + UnitReplacement.floats(2, UNITS), 8);
        final UnitReplacement units = new UnitReplacement(parameters, at, 2, UNITS, 0.15, 1, 0.9);
        final float[] contribution = ranked();
        final float[] reversed = new float[UNITS];
        for (int j = 0; j < UNITS; j++) {
            reversed[j] = -j;
        }
        final List<String> first = new ArrayList<>();
        for (long step = 1; step <= 6; step++) {
            units.observe(0, contribution);
            units.observe(1, reversed);
            units.replace(1, step, (l, u, r) -> first.add(l + ":" + u + ":" + r.nextInt()));
        }
        final DenseParameters copy = new DenseParameters(parameters.values().length, 8);
        System.arraycopy(parameters.values(), 0, copy.values(), 0, parameters.values().length);
        final UnitReplacement resumed = new UnitReplacement(copy, at, 2, UNITS, 0.15, 1, 0.9);
        final List<String> a = new ArrayList<>();
        final List<String> b = new ArrayList<>();
        for (long step = 7; step <= 12; step++) {
            units.observe(0, contribution);
            units.observe(1, reversed);
            units.replace(1, step, (l, u, r) -> a.add(l + ":" + u + ":" + r.nextInt()));
            resumed.observe(0, contribution);
            resumed.observe(1, reversed);
            resumed.replace(1, step, (l, u, r) -> b.add(l + ":" + u + ":" + r.nextInt()));
        }
        assertFalse(a.isEmpty());
        assertEquals(a, b);
        assertArrayEquals(parameters.values(), copy.values());
        assertTrue(first.stream().anyMatch(s -> s.startsWith("1:9:")), "layer 1's least useful is unit 9");
        assertEquals(0f, parameters.values()[0], "floats before its own are left alone");
    }

    @Test
    void shouldDoNothingAtRateZeroAndRefuseRatesOutsideZeroToOne() {
        final DenseParameters parameters = new DenseParameters(UnitReplacement.floats(1, UNITS), 4);
        final UnitReplacement units = new UnitReplacement(parameters, 0, 1, UNITS, 0, 0, 0.5);
        assertFalse(units.active());
        units.observe(0, ranked());
        assertEquals(0, units.replace(1, 1, (l, u, r) -> {
            throw new AssertionError("no unit may be replaced");
        }));
        assertThrows(IllegalArgumentException.class, () -> units.rate(1.5));
        assertThrows(IllegalArgumentException.class, () -> new UnitReplacement(parameters, 0, 1, UNITS, -1, 0, 0.5));
    }


    @Test
    void shouldRefuseAMaturityItsUnitsCouldNeverReach() {
        final FfType type = new FfType();
        assertThrows(InvalidConfigException.class, () -> HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), Map.of("maturity", LARGEST + 1))));
        assertEquals((double) LARGEST, HyperParameters.resolve(type.hyperParameters(),
                HyperParameters.coerce(type.hyperParameters(), Map.of("maturity", LARGEST))).get("maturity"));
    }

    @Test
    void shouldReplaceAUnitOnceItIsOlderThanTheLargestMaturity() {
        final DenseParameters parameters = new DenseParameters(UnitReplacement.floats(1, 1), 4);
        final UnitReplacement units = new UnitReplacement(parameters, 0, 1, 1, 1.0, LARGEST, 0.5);
        parameters.values()[1] = LARGEST - 3; // the age, as a model restored after that many steps holds it
        int replaced = 0;
        int step = 0;
        while (replaced == 0 && step < 10) {
            units.observe(0, new float[] {1f});
            replaced += units.replace(1, step++, (l, u, r) -> { });
        }
        assertTrue(replaced > 0, "the unit matured and was replaced; age " + units.age(0, 0));
        assertEquals(4, step, "replaced at the first step older than the maturity");
    }

    @Test
    void shouldDrawEveryReplacedUnitFromASeedOfItsOwn() {
        final Set<Long> seeds = new HashSet<>();
        for (long step = 0; step < 100; step++) {
            for (int layer = 0; layer < 2; layer++) {
                for (int unit = 0; unit < 500; unit++) {
                    assertTrue(seeds.add(UnitReplacement.drawSeed(7, step, layer, unit)),
                            "step " + step + ", layer " + layer + ", unit " + unit + " has another's seed");
                }
            }
        }
    }
}
