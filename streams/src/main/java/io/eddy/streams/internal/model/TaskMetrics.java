package io.eddy.streams.internal.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.learners.drift.Adwin;
import io.eddy.learners.drift.DriftDetector;
import io.eddy.learners.drift.PageHinkley;
import io.eddy.streams.internal.json.Json;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Counters, latency histogram, prequential quality and drift alarms of one task, reported and partly
 * reset at each metrics interval. Recording allocates nothing. Kept in memory only: a task that
 * restarts (engine restart, rebalance) counts from zero again, its drift detector included.
 *
 * @param <E> the learner's example type
 */
final class TaskMetrics<E> {
    /** Labelled predictions in the prequential window. */
    static final int WINDOW = 10_000;

    private final Histogram latencyMs = new Histogram(3_600_000L, 2);
    private final Outcomes<E> quality;
    /** The detectors a model may choose between; {@link #drift} is the chosen one, or null when turned off. */
    private final PageHinkley pageHinkley = new PageHinkley();
    private final Adwin adwin = new Adwin();
    /** Watches the labelled events' losses for a rise (concept drift); null when turned off. */
    private DriftDetector drift = pageHinkley;
    private long driftAlarms;
    /** The task's {@link #seen} count and the wall-clock time at the event of the last drift alarm; -1: none. */
    private long lastDriftAtEvent = -1;
    private long lastDriftTimestamp = -1;
    long seen;
    long learned;
    long rejected;
    private long seenAtLastReport;
    private long lastReportMs;

    /** Keys with per-key state, keys evicted so far, and bytes of one key's state; -1 when not kept. */
    long keys = -1;
    long evictedKeys;
    int keyStateBytes = -1;

    /** Events learned from a late label, and unlabelled events whose wait for one ended; -1 when not taken. */
    long lateLabels = -1;
    long labelWaitsEnded;

    /** Weight messages sent to the other partitions' replicas and merged from theirs; -1 when not syncing. */
    long replicasSent = -1;
    long replicasMerged;

    /** Rows of the learner's tables (items): live now, created and evicted since the task started; -1: none. */
    long rows = -1;
    long rowsCreated;
    long rowsEvicted;

    TaskMetrics(final Outcomes<E> quality, final long nowMs) {
        this.quality = quality;
        this.lastReportMs = nowMs;
    }

    void recordLatency(final long ms) {
        latencyMs.recordValue(Math.max(0, Math.min(ms, latencyMs.getHighestTrackableValue())));
    }

    /**
     * Records a labelled prediction and its loss.
     *
     * @param eventIndex the task's {@link #seen} count when the event arrived
     * @param nowMs      the wall-clock time now
     */
    void recordPrediction(final E example, final float[] output, final float loss, final long eventIndex,
                          final long nowMs) {
        quality.record(example, output, loss);
        if (drift != null && drift.add(loss)) {
            driftAlarms++;
            lastDriftAtEvent = eventIndex;
            lastDriftTimestamp = nowMs;
        }
    }

    /**
     * Sets the drift detector's parameters from a model's ({@link EngineParameters}; defaults where a
     * model made before they existed lacks them) and starts it afresh: at the start and whenever the
     * model itself changed (update, rollback, reset).
     */
    void tuneDriftDetection(final Map<String, Double> params) {
        final double threshold = params.getOrDefault(EngineParameters.DRIFT_THRESHOLD, PageHinkley.DEFAULT_LAMBDA);
        if (threshold <= 0) {
            drift = null;
        } else if (params.getOrDefault(EngineParameters.DRIFT_DETECTOR, 0.0) == 1) {
            adwin.retune(params.getOrDefault(EngineParameters.DRIFT_CONFIDENCE, Adwin.DEFAULT_DELTA));
            drift = adwin;
        } else {
            pageHinkley.retune(params.getOrDefault(EngineParameters.DRIFT_DELTA, PageHinkley.DEFAULT_DELTA), threshold);
            drift = pageHinkley;
        }
    }

    /** The report for the interval ending at {@code nowMs}; starts the next interval. */
    byte[] report(final String model, final long incarnation, final String task, final long generation,
                  final long updates, final boolean paused, final long nowMs) {
        final double seconds = Math.max(1, nowMs - lastReportMs) / 1000.0;
        final ObjectNode json = Json.MAPPER.createObjectNode()
                .put("model", model)
                .put("incarnation", incarnation)
                .put("task", task)
                .put("timestamp", nowMs)
                .put("generation", generation)
                .put("updates", updates)
                .put("paused", paused)
                .put("seen", seen)
                .put("learned", learned)
                .put("rejected", rejected)
                .put("eventsPerSecond", round((seen - seenAtLastReport) / seconds));
        putFinite(json, "p50Ms", latencyMs.getTotalCount() == 0 ? Double.NaN : latencyMs.getValueAtPercentile(50));
        putFinite(json, "p99Ms", latencyMs.getTotalCount() == 0 ? Double.NaN : latencyMs.getValueAtPercentile(99));
        quality.report(json);
        json.put("driftAlarms", driftAlarms);
        putIfAny(json, "lastDriftAtEvent", lastDriftAtEvent);
        putIfAny(json, "lastDriftTimestamp", lastDriftTimestamp);
        if (keys >= 0) {
            json.put("keys", keys).put("evictedKeys", evictedKeys).put("keyStateBytes", keyStateBytes);
        }
        if (lateLabels >= 0) {
            json.put("lateLabels", lateLabels).put("labelWaitsEnded", labelWaitsEnded);
        }
        if (replicasSent >= 0) {
            json.put("replicasSent", replicasSent).put("replicasMerged", replicasMerged);
        }
        if (rows >= 0) {
            json.put("items", rows).put("itemsCreated", rowsCreated).put("itemsEvicted", rowsEvicted);
        }
        latencyMs.reset();
        seenAtLastReport = seen;
        lastReportMs = nowMs;
        return Json.bytes(json);
    }

    private static void putIfAny(final ObjectNode json, final String field, final long value) {
        if (value >= 0) {
            json.put(field, value);
        } else {
            json.putNull(field);
        }
    }

    static void putFinite(final ObjectNode json, final String field, final double value) {
        if (Double.isFinite(value)) {
            json.put(field, round(value));
        } else {
            json.putNull(field);
        }
    }

    private static double round(final double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
