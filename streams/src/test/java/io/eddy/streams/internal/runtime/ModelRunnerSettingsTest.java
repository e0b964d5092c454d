package io.eddy.streams.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.internal.admin.ModelDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ModelRunnerSettingsTest {
    private static ModelDefinition definition(final Short replicationFactor) {
        return new ModelDefinition("m", "ftrl", Map.of(), Map.of(), "in", "out", "ctl", "eddy-model-m-1", 1,
                ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, replicationFactor);
    }

    /** A model's changelog is replicated as the model's other topics are, not at the engine's default. */
    @Test
    void shouldReplicateTheChangelogAsTheModelAskedAtCreate() {
        final EngineConfig engine = EngineConfig.of("localhost:9092", Path.of("state"));
        assertEquals(3, ModelRunner.settings(definition((short) 3), engine)
                .get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals((int) engine.replicationFactor(), ModelRunner.settings(definition(null), engine)
                .get(StreamsConfig.REPLICATION_FACTOR_CONFIG), "a definition from before the factor was recorded");
        assertEquals("eddy-model-m-1", ModelRunner.settings(definition((short) 3), engine)
                .get(StreamsConfig.APPLICATION_ID_CONFIG));
    }
}
