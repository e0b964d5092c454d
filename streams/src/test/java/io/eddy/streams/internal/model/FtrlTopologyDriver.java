package io.eddy.streams.internal.model;

import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.internal.admin.ModelDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The topology of an {@code ftrl} model named {@code ctr} (2^12 weights) reading topic {@code in},
 * answering on {@code out} and taking control messages on {@code ctl}, in a test driver: what the
 * model topology tests share.
 */
final class FtrlTopologyDriver {
    private FtrlTopologyDriver() {
    }

    /** The driver of application {@code app}, its wall clock starting at {@code start}. */
    static TopologyTestDriver create(final String app, final long metricsIntervalMs, final Instant start) {
        final Map<String, Double> params = HyperParameters.resolve(
                LearnerCatalog.find("ftrl").hyperParameters(), Map.of("hashBits", 12.0));
        final ModelDefinition definition = new ModelDefinition("ctr", "ftrl", params, params, "in", "out", "ctl",
                app, 1, ModelDefinition.ACTIVE, 1, 1, List.of(), "t0", "t0", null, null);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(ModelTopology.build(definition, "cpu", metricsIntervalMs), props, start);
    }
}
