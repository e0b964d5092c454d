package io.eddy.ops.http;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Kafka Streams' own metrics of every model application in this process (threads, tasks, processors,
 * stores, and the embedded consumer, producer and admin clients), read when scraped. A Kafka metric
 * {@code group/name{tags}} becomes {@code kafka_<group without -metrics>_<name>} with the tags as labels
 * and the model's name as {@code model}; names ending in {@code -total} are cumulative, so counters.
 * Metrics whose value is not a number (versions, ids, states) are left out.
 */
final class StreamsMetricsCollector implements MultiCollector {
    private final Supplier<Map<String, Map<MetricName, ? extends Metric>>> source;

    StreamsMetricsCollector(final Supplier<Map<String, Map<MetricName, ? extends Metric>>> source) {
        this.source = source;
    }

    @Override
    public MetricSnapshots collect() {
        final Map<String, Family> families = new LinkedHashMap<>();
        source.get().forEach((model, metrics) -> metrics.forEach((name, metric) -> {
            final Object value = metric.metricValue();
            if (!(value instanceof Number number)) {
                return;
            }
            final boolean counter = name.name().endsWith("-total");
            final String base = counter ? name.name().substring(0, name.name().length() - "-total".length())
                    : name.name();
            final String group = name.group().endsWith("-metrics")
                    ? name.group().substring(0, name.group().length() - "-metrics".length()) : name.group();
            final String family = PrometheusNaming.sanitizeMetricName(
                    ModelMetricsCollector.exposable("kafka_" + group + "_" + base));
            final Family target = families.computeIfAbsent(family, key -> new Family(key, counter,
                    name.description()));
            if (target.counter != counter || (counter && !(number.doubleValue() >= 0))) {
                return; // a gauge and a counter that map to one name: keep the first kind
            }
            target.add(labels(model, name.tags()), number.doubleValue());
        }));
        final List<MetricSnapshot> snapshots = new ArrayList<>();
        families.values().forEach(family -> snapshots.add(family.snapshot()));
        return new MetricSnapshots(snapshots);
    }

    private static Labels labels(final String model, final Map<String, String> tags) {
        final Labels.Builder labels = Labels.builder().label("model", model);
        tags.forEach((tag, value) -> {
            final String label = PrometheusNaming.sanitizeLabelName(tag);
            if (!label.equals("model")) {
                labels.label(label, value);
            }
        });
        return labels.build();
    }

    private static final class Family {
        final String name;
        final boolean counter;
        final String help;
        final List<Labels> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final Set<Labels> seen = new HashSet<>();

        Family(final String name, final boolean counter, final String help) {
            this.name = name;
            this.counter = counter;
            this.help = help == null || help.isBlank() ? "Kafka metric " + name + "." : help;
        }

        void add(final Labels point, final double value) {
            if (seen.add(point)) { // two Kafka names that sanitize to one series: keep the first
                labels.add(point);
                values.add(value);
            }
        }

        MetricSnapshot snapshot() {
            if (counter) {
                final CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                for (int i = 0; i < labels.size(); i++) {
                    builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels.get(i))
                            .value(values.get(i)).build());
                }
                return builder.build();
            }
            final GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            for (int i = 0; i < labels.size(); i++) {
                builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
            }
            return builder.build();
        }
    }
}
