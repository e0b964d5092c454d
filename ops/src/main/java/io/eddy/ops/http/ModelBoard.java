package io.eddy.ops.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.streams.internal.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dashboard and {@code /metrics} know about the models: each model's definition as
 * {@code eddy.models} last said, and its tasks' reports from {@code eddy.metrics} (the latest per
 * task and a bounded history). Fed by {@link TopicFollower} alone, so it never touches the event path;
 * read by the HTTP threads. Reports are kept as published, so whatever fields the engine adds show up.
 */
final class ModelBoard {
    /** Reports kept per model for the plots: an hour of one task reporting every second. */
    static final int HISTORY_LIMIT = 3_600;
    /** Most history reports one answer carries, so a first load stays small. */
    static final int PAGE_LIMIT = 1_000;

    private final long staleAfterMs;
    private final Map<String, ModelEntry> models = new TreeMap<>();
    /** The incarnation of each model name's last deleted model: its late reports are not a new model's. */
    private final Map<String, Long> deletedIncarnations = new HashMap<>();
    private long lastSeq;

    /** @param staleAfterMs a task whose latest report is older than this is shown as stale and not exported */
    ModelBoard(final long staleAfterMs) {
        this.staleAfterMs = staleAfterMs;
    }

    /** A task's report, numbered in arrival order so that a page can ask for what is new since its last look. */
    record StoredReport(long seq, ObjectNode report) {
    }

    /** One model: its definition ({@code null} until the registry names it) and its tasks' reports. */
    private static final class ModelEntry {
        ObjectNode definition;
        final Map<String, StoredReport> latestByTask = new TreeMap<>();
        final ArrayDeque<StoredReport> history = new ArrayDeque<>();
    }

    /** Applies a record of {@code eddy.models}: a definition, or {@code null} when the model was deleted. */
    synchronized void definition(final String model, final ObjectNode definition) {
        if (definition == null) {
            final ModelEntry removed = models.remove(model);
            if (removed != null && removed.definition != null) {
                deletedIncarnations.put(model, removed.definition.path("incarnation").asLong());
            }
            return;
        }
        final ModelEntry entry = models.computeIfAbsent(model, name -> new ModelEntry());
        final long incarnation = definition.path("incarnation").asLong();
        if (entry.definition != null && entry.definition.path("incarnation").asLong() != incarnation) {
            // deleted and created again: the old model's curves are not this one's
            entry.latestByTask.clear();
            entry.history.clear();
        }
        entry.definition = definition;
        // nor are reports of an earlier model of the name read before this definition (the two topics come in
        // no fixed order, and a start reads the last hour of reports beside the compacted registry)
        entry.latestByTask.values().removeIf(stored -> !ofIncarnation(stored.report(), incarnation));
        entry.history.removeIf(stored -> !ofIncarnation(stored.report(), incarnation));
    }

    /** Whether {@code report} is of that incarnation; a report without one (an older engine's) is taken as it. */
    private static boolean ofIncarnation(final ObjectNode report, final long incarnation) {
        return !report.has("incarnation") || report.path("incarnation").asLong() == incarnation;
    }

    /** Applies a record of {@code eddy.metrics}. */
    synchronized void report(final ObjectNode report) {
        final String model = report.path("model").asText("");
        final String task = report.path("task").asText("");
        if (model.isEmpty() || task.isEmpty()) {
            return;
        }
        final ModelEntry known = models.get(model);
        final Long deleted = deletedIncarnations.get(model);
        if (known != null && known.definition != null
                ? !ofIncarnation(report, known.definition.path("incarnation").asLong())
                : deleted != null && (!report.has("incarnation") || report.path("incarnation").asLong() <= deleted)) {
            return; // a deleted model's last words: kept, they would be a later model's, and kept for ever
        }
        final ModelEntry entry = models.computeIfAbsent(model, name -> new ModelEntry());
        final StoredReport stored = new StoredReport(++lastSeq, report);
        entry.latestByTask.put(task, stored);
        entry.history.addLast(stored);
        while (entry.history.size() > HISTORY_LIMIT) {
            entry.history.removeFirst();
        }
    }

    /** The latest report of every task of every defined model that reported within the staleness limit. */
    synchronized List<ObjectNode> freshReports(final long nowMs) {
        final List<ObjectNode> fresh = new ArrayList<>();
        for (final ModelEntry entry : models.values()) {
            if (entry.definition == null) {
                continue;
            }
            for (final StoredReport stored : entry.latestByTask.values()) {
                if (!isStale(stored.report(), nowMs)) {
                    fresh.add(stored.report());
                }
            }
        }
        return fresh;
    }

    /** Definitions of the models the registry names now. */
    synchronized List<ObjectNode> definitions() {
        final List<ObjectNode> definitions = new ArrayList<>();
        for (final ModelEntry entry : models.values()) {
            if (entry.definition != null) {
                definitions.add(entry.definition);
            }
        }
        return definitions;
    }

    /**
     * The dashboard's view: every model (or only {@code onlyModel}) with its definition, its tasks'
     * latest reports, a summary over them, and the history reports numbered above {@code sinceSeq}.
     */
    synchronized ObjectNode view(final String onlyModel, final long sinceSeq, final Set<String> runningHere,
                                 final long nowMs) {
        final ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("now", nowMs).put("lastSeq", lastSeq).put("staleAfterMs", staleAfterMs);
        final ArrayNode list = view.putArray("models");
        models.forEach((name, entry) -> {
            if (entry.definition != null && (onlyModel == null || onlyModel.equals(name))) {
                list.add(modelView(name, entry, sinceSeq, runningHere.contains(name), nowMs));
            }
        });
        return view;
    }

    private ObjectNode modelView(final String name, final ModelEntry entry, final long sinceSeq,
                                 final boolean runningHere, final long nowMs) {
        final ObjectNode model = Json.MAPPER.createObjectNode();
        model.put("name", name);
        model.put("runningHere", runningHere);
        model.set("definition", entry.definition);
        final ArrayNode tasks = model.putArray("tasks");
        long updates = 0;
        long seen = 0;
        long rejected = 0;
        long driftAlarms = 0;
        long lastDriftTimestamp = -1;
        boolean reportsDrift = false;
        double eventsPerSecond = 0;
        boolean anyFresh = false;
        for (final StoredReport stored : entry.latestByTask.values()) {
            final ObjectNode task = stored.report().deepCopy();
            final boolean stale = isStale(stored.report(), nowMs);
            task.put("seq", stored.seq()).put("stale", stale);
            tasks.add(task);
            updates += stored.report().path("updates").asLong();
            seen += stored.report().path("seen").asLong();
            rejected += stored.report().path("rejected").asLong();
            final JsonNode alarms = stored.report().path("driftAlarms");
            if (alarms.isNumber()) {
                reportsDrift = true;
                driftAlarms += alarms.asLong();
                lastDriftTimestamp = Math.max(lastDriftTimestamp,
                        stored.report().path("lastDriftTimestamp").asLong(-1));
            }
            if (!stale) {
                anyFresh = true;
                eventsPerSecond += stored.report().path("eventsPerSecond").asDouble();
            }
        }
        final ObjectNode summary = model.putObject("summary")
                .put("tasks", entry.latestByTask.size())
                .put("reporting", anyFresh)
                .put("updates", updates)
                .put("seen", seen)
                .put("rejected", rejected)
                .put("eventsPerSecond", Math.round(eventsPerSecond * 10) / 10.0);
        if (reportsDrift) {
            // engines from before drift detection report no such field: show nothing rather than a false 0
            summary.put("driftAlarms", driftAlarms);
            if (lastDriftTimestamp >= 0) {
                summary.put("lastDriftTimestamp", lastDriftTimestamp);
            } else {
                summary.putNull("lastDriftTimestamp");
            }
        }
        final ArrayNode history = model.putArray("history");
        final List<StoredReport> page = new ArrayList<>();
        for (final Iterator<StoredReport> newestFirst = entry.history.descendingIterator();
             newestFirst.hasNext() && page.size() < PAGE_LIMIT;) {
            final StoredReport stored = newestFirst.next();
            if (stored.seq() <= sinceSeq) {
                break;
            }
            page.add(stored);
        }
        for (int i = page.size() - 1; i >= 0; i--) {
            final ObjectNode point = page.get(i).report().deepCopy();
            point.put("seq", page.get(i).seq());
            history.add(point);
        }
        return model;
    }

    private boolean isStale(final JsonNode report, final long nowMs) {
        return nowMs - report.path("timestamp").asLong() > staleAfterMs;
    }
}
