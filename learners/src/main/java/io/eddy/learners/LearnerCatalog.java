package io.eddy.learners;

import io.eddy.learners.api.LearnerType;
import io.eddy.learners.ff.FfType;
import io.eddy.learners.ff.MlpType;
import io.eddy.learners.ftrl.FtrlType;
import io.eddy.learners.reco.RecoType;
import io.eddy.learners.rtrl.RtrlType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every learner type Eddy can run, by the name admin commands use. Adding a learner means adding
 * one line here; commands name types, never classes, so nothing is loaded by reflection.
 */
public final class LearnerCatalog {
    private static final Map<String, LearnerType<?>> TYPES = register(new FtrlType(), new RtrlType(), new FfType(),
            new MlpType(), RecoType.mf(), RecoType.implicit());

    private LearnerCatalog() {
    }

    /** The type called {@code name}, or {@code null} if there is none. */
    public static LearnerType<?> find(final String name) {
        return name == null ? null : TYPES.get(name);
    }

    /** Names of all registered types, in registration order; unmodifiable. */
    public static Set<String> names() {
        return TYPES.keySet();
    }

    private static Map<String, LearnerType<?>> register(final LearnerType<?>... types) {
        final Map<String, LearnerType<?>> byName = new LinkedHashMap<>();
        for (final LearnerType<?> type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalStateException("two learner types are named '" + type.name() + "'");
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
