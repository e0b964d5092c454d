package io.eddy.ops.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The engine's per-model figures for Prometheus: each task's latest {@code eddy.metrics} report as
 * series labelled {@code model} and {@code task}, built when scraped. Known fields get names with
 * units and counter types; any other numeric field the engine adds is exported as a gauge
 * {@code eddy_model_<field in snake case>}. Tasks that stopped reporting drop out (see {@link ModelBoard}).
 */
final class ModelMetricsCollector implements MultiCollector {
    static final String PREFIX = "eddy_model_";

    /** How a report field becomes a series: its name, whether it counts up, its help, and a scale. */
    private record Series(String name, boolean counter, String help, double scale) {
    }

    private static final Map<String, Series> KNOWN = new LinkedHashMap<>();

    static {
        known("seen", "events_seen", true, "Events the task has read since it started.");
        known("learned", "events_learned", true, "Labelled events the task has learned from since it started.");
        known("rejected", "events_rejected", true, "Events the task sent to eddy.dlq since it started.");
        known("updates", "updates", false, "Events the model replica had learned (reset by reset and rollback).");
        known("generation", "generation", false, "The model's generation (create, update, reset, rollback).");
        known("paused", "paused", false, "1 while learning is paused.");
        known("eventsPerSecond", "events_per_second", false, "Events read per second over the last interval.");
        KNOWN.put("p50Ms", new Series(PREFIX + "latency_p50_seconds", false,
                "Median event-to-prediction latency over the last interval.", 1e-3));
        KNOWN.put("p99Ms", new Series(PREFIX + "latency_p99_seconds", false,
                "99th percentile event-to-prediction latency over the last interval.", 1e-3));
        known("window", "quality_window_events", false, "Labelled events the prequential figures cover.");
        known("logLoss", "log_loss", false, "Prequential log loss over the window.");
        known("baselineLogLoss", "baseline_log_loss", false, "Log loss of a constant predictor of the window.");
        known("accuracy", "accuracy", false, "Prequential accuracy over the window.");
        known("auc", "auc", false, "Prequential area under the ROC curve over the window.");
        known("loss", "loss", false, "Prequential mean loss over the window.");
        known("rmse", "rmse", false, "Prequential root mean squared error of ratings over the window.");
        known("keys", "keys", false, "Keys with per-key state in the task.");
        known("evictedKeys", "keys_evicted", true, "Keys evicted for idleness since the task started.");
        known("keyStateBytes", "key_state_bytes", false, "Stored bytes of one key's state.");
        known("items", "items", false, "Item rows in the task.");
        known("itemsCreated", "items_added", true, "Item rows added since the task started.");
        known("itemsEvicted", "items_evicted", true, "Item rows evicted since the task started.");
        known("driftAlarms", "drift_alarms", true,
                "Drift alarms (a rise of the prequential loss, Page-Hinkley) since the task started.");
        known("lastDriftAtEvent", "last_drift_at_event", false,
                "The task's count of events seen at its latest drift alarm.");
        KNOWN.put("lastDriftTimestamp", new Series(PREFIX + "last_drift_timestamp_seconds", false,
                "When the task raised its latest drift alarm (Unix time).", 1e-3));
        KNOWN.put("timestamp", new Series(PREFIX + "report_timestamp_seconds", false,
                "When the task published its latest report (Unix time).", 1e-3));
    }

    private static void known(final String field, final String name, final boolean counter, final String help) {
        KNOWN.put(field, new Series(PREFIX + name, counter, help, 1));
    }

    private final ModelBoard board;
    private final LongSupplier clock;

    ModelMetricsCollector(final ModelBoard board, final LongSupplier clock) {
        this.board = board;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        final Map<String, Family> families = new LinkedHashMap<>();
        final Family info = new Family(new Series(PREFIX + "info", false,
                "1 for each model in the registry, with its type, status and backend as labels.", 1));
        families.put(info.series.name(), info);
        for (final ObjectNode definition : board.definitions()) {
            info.add(info.series, new Point(Labels.of("model", definition.path("name").asText(),
                    "type", definition.path("type").asText(), "status", definition.path("status").asText(),
                    "backend", definition.path("backend").asText("engine")), 1));
        }
        for (final ObjectNode report : board.freshReports(clock.getAsLong())) {
            final Labels labels = Labels.of("model", report.path("model").asText(), "task",
                    report.path("task").asText());
            for (final Iterator<Map.Entry<String, JsonNode>> fields = report.fields(); fields.hasNext();) {
                final Map.Entry<String, JsonNode> field = fields.next();
                final JsonNode value = field.getValue();
                if (!value.isNumber() && !value.isBoolean()) {
                    continue; // names, and null for a figure with no data in the window
                }
                final Series series = seriesOf(field.getKey());
                final double number = value.isBoolean() ? (value.asBoolean() ? 1 : 0) : value.asDouble();
                if (series.counter() && !(number >= 0)) {
                    continue; // not a count (a report from elsewhere): Prometheus would refuse the whole scrape
                }
                families.computeIfAbsent(series.name(), name -> new Family(series))
                        .add(series, new Point(labels, number * series.scale()));
            }
        }
        final List<MetricSnapshot> snapshots = new ArrayList<>();
        for (final Family family : families.values()) {
            snapshots.add(family.snapshot());
        }
        return new MetricSnapshots(snapshots);
    }

    static Series seriesOf(final String field) {
        final Series known = KNOWN.get(field);
        if (known != null) {
            return known;
        }
        final String snake = field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return new Series(PrometheusNaming.sanitizeMetricName(PREFIX + exposable(snake)), false,
                "The '" + field + "' field of the model's eddy.metrics reports.", 1);
    }

    /**
     * {@code name} with every character the text format does not keep (sanitizeMetricName leaves '.' and '-',
     * which the writer turns into '_' later) already '_': two fields that would be one series once written
     * are then one name here, where the first of them is kept.
     */
    static String exposable(final String name) {
        return name.replaceAll("[^a-zA-Z0-9_:]", "_");
    }

    private record Point(Labels labels, double value) {
    }

    private static final class Family {
        final Series series;
        final List<Point> points = new ArrayList<>();
        private final Set<Labels> labelled = new HashSet<>();

        Family(final Series series) {
            this.series = series;
        }

        /**
         * Adds a point unless the family has one with its labels or is of the other kind: two report fields
         * can map onto one name (the naming rules drop suffixes such as {@code _total}), and a duplicate
         * series fails the whole scrape. The first one stays.
         */
        void add(final Series of, final Point point) {
            if (of.counter() == series.counter() && labelled.add(point.labels())) {
                points.add(point);
            }
        }

        MetricSnapshot snapshot() {
            if (series.counter()) {
                final CounterSnapshot.Builder counter = CounterSnapshot.builder().name(series.name())
                        .help(series.help());
                points.forEach(p -> counter.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(p.labels()).value(p.value()).build()));
                return counter.build();
            }
            final GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(series.name()).help(series.help());
            points.forEach(p -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(p.labels()).value(p.value()).build()));
            return gauge.build();
        }
    }
}
