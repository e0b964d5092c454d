package io.eddy.learners.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.ff.FfType;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Continual backprop's replacements. A unit's age is a float, which counts exactly up to 2^24: the largest
 * {@code maturity} a net takes is one below that, and a unit still matures there (a maturity of 2e7 was
 * taken, and no unit ever matured). Each replaced unit's fresh weights come from a seed of its own.
 */
class UnitReplacementTest {
    private static final int LARGEST = (1 << 24) - 1;

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
