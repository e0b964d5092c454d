package io.eddy.learners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.learners.api.HyperParameters;
import io.eddy.learners.api.InvalidConfigException;
import io.eddy.learners.api.LearnerType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model keeps the settings it was created with, resolved, in its definition. Ranges and checks that narrow
 * later apply to new models and to changes, not to a stored model: it still starts, and can still be updated
 * (its learning rate brought into today's range). Once, beta2 0.5 (then in range) failed every start of an
 * rtrl or ff model after the Adam check came, and a stored learning rate of 5 refused every update.
 */
class StoredSettingsTest {

    /** A model's settings as resolved under older ranges: the defaults with {@code key} set to {@code value}. */
    private static Map<String, Double> stored(final LearnerType<?> type, final String key, final double value) {
        final Map<String, Double> params = new HashMap<>(HyperParameters.resolve(type.hyperParameters(),
                Map.of("inputs", 4.0, "hidden", 8.0)));
        params.put(key, value);
        return params;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtrl", "ff", "mlp"})
    void aStoredModelBeyondTodaysAdamCheckStartsButANewOneIsRefused(final String name) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Double> old = stored(type, "beta2", 0.5);
        assertNotNull(type.create(old), "a stored model starts");
        final Map<String, Double> fresh = HyperParameters.resolve(type.hyperParameters(),
                Map.of("inputs", 4.0, "hidden", 8.0, "beta1", 0.99, "beta2", 0.9));
        final InvalidConfigException refused = assertThrows(InvalidConfigException.class,
                () -> type.checkNewModel(fresh));
        assertTrue(refused.getMessage().contains("beta1² < √beta2"), refused.getMessage());
        type.checkNewModel(HyperParameters.resolve(type.hyperParameters(), Map.of("inputs", 4.0, "hidden", 8.0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtrl", "ff", "mlp"})
    void aStoredLearningRateBeyondTodaysRangeCanBeBroughtIntoIt(final String name) {
        final LearnerType<?> type = LearnerCatalog.find(name);
        final Map<String, Double> old = stored(type, "learningRate", 5);
        assertEquals(0.01, HyperParameters.update(type.hyperParameters(), old, Map.of("learningRate", 0.01))
                .get("learningRate"));
        final InvalidConfigException refused = assertThrows(InvalidConfigException.class,
                () -> HyperParameters.update(type.hyperParameters(), old, Map.of("learningRate", 5.0)));
        assertTrue(refused.getMessage().contains("is outside"), "a change is held to today's range");
    }
}
