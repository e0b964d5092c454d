package io.eddy.state.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a task knows about the model version it holds, stored beside the parameters and written
 * in the same commit: learner type, hyper-parameters in effect, generation, updates absorbed and
 * whether learning is paused. Restoring it with the parameters makes a replay after a crash use
 * exactly the settings the first run used.
 */
public record ModelMeta(
        String model,
        String learnerType,
        long generation,
        long updates,
        boolean paused,
        Map<String, Double> params) {

    public ModelMeta {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(learnerType, "learnerType");
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public ModelMeta withGeneration(final long value) {
        return new ModelMeta(model, learnerType, value, updates, paused, params);
    }

    public ModelMeta withUpdates(final long value) {
        return new ModelMeta(model, learnerType, generation, value, paused, params);
    }

    public ModelMeta withPaused(final boolean value) {
        return new ModelMeta(model, learnerType, generation, updates, value, params);
    }

    public ModelMeta withParams(final Map<String, Double> value) {
        return new ModelMeta(model, learnerType, generation, updates, paused, value);
    }
}
