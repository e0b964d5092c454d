package io.eddy.learners;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.DenseParameters;
import io.eddy.learners.api.Footprint;
import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.LearnerType;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A learner type counts what its learners allocate, so that the engine refuses one it could not build. */
class FootprintTest {
    private static final long HEAP = 1L << 30;

    private static Map<String, Double> resolved(final LearnerType<?> type, final Map<String, Object> given) {
        return HyperParameters.resolve(type.hyperParameters(), HyperParameters.coerce(type.hyperParameters(), given));
    }

    /** The count covers at least the parameters a built learner holds, in one array and in bytes. */
    @ParameterizedTest
    @CsvSource({"rtrl, 1", "rtrl, 8", "ff, 1", "mlp, 1"})
    void countsAtLeastTheParametersOfABuiltLearner(final String name, final int batch) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Double> params = resolved(type, Map.of("inputs", 12, "hidden", 24, "batch", batch));
        final Footprint footprint = type.footprint(params);
        final int built = ((DenseParameters) type.create(params).parameters()).values().length;
        assertTrue(footprint.longestArray() >= built, footprint + " against " + built + " parameters");
        assertTrue(footprint.bytes() >= 4.0 * built, footprint + " against " + built + " parameters");
        assertNull(footprint.problem(HEAP), "a small net fits");
    }

    /** Sizes each in range whose products pass an int or the heap: refused, with the reason. */
    @ParameterizedTest
    @CsvSource({
        "rtrl, inputs=1000 hidden=4096 stages=64, longest array",
        "rtrl, inputs=100000 hidden=4096, longest array",
        "rtrl, inputs=1000 hidden=1024 stages=4, of memory",
        "ff, inputs=1000000 batch=4096 hidden=1 layers=1, longest array",
        "ff, outputs=10000 negatives=all batch=4096, longest array",
        "ff, inputs=100000 hidden=2000 layers=2, of memory",
        "mlp, hidden=100000 layers=2, longest array",
        "mlp, inputs=1000000 batch=4096 hidden=1, longest array"
    })
    void refusesNetsThatCannotBeBuilt(final String name, final String sizes, final String reason) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Object> given = new java.util.HashMap<>();
        for (final String size : sizes.split(" ")) {
            final String[] pair = size.split("=");
            given.put(pair[0], pair[1].matches("[0-9]+") ? (Object) Double.parseDouble(pair[1]) : pair[1]);
        }
        final String problem = type.footprint(resolved(type, given)).problem(HEAP);
        assertNotNull(problem, sizes);
        assertTrue(problem.contains(reason), problem);
    }
}
