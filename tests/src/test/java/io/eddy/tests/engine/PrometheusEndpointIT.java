package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.ops.http.EngineHttpServer;
import io.eddy.streams.api.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine's {@code /metrics}: Prometheus text with every model's figures, Kafka Streams' and the JVM's. */
@Tag("integration")
class PrometheusEndpointIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String MODEL = "prom";
    private static final int EVENTS = 400;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ServedEngine served;
    private static String bootstrap;
    private static EngineHttpServer http;
    private static AdminClientForTests admin;
    private static Events events;

    @BeforeAll
    static void start() throws IOException {
        served = ServedEngine.start("eddy-prometheus-it", 7);
        bootstrap = served.bootstrap;
        http = served.http;
        admin = served.admin;
        events = served.events;
    }

    @AfterAll
    static void stop() {
        served.close();
    }

    @Test
    void shouldServeEveryModelsFiguresKafkaStreamsAndJvmMetricsAsPrometheusText() throws Exception {
        admin.ok("{\"op\":\"create\",\"model\":\"" + MODEL + "\",\"type\":\"ftrl\",\"partitions\":2}");
        events.sendLabelled(Topics.input(MODEL), "p", EVENTS);
        events.send(Topics.input(MODEL), "u1", "not json");
        events.flush();

        // what the engine published: each task's latest report once all EVENTS + 1 are counted
        final Map<String, JsonNode> latest = new HashMap<>();
        try (Predictions metrics = new Predictions(bootstrap, Topics.METRICS)) {
            assertNotNull(metrics.awaitMatch(report -> {
                if (report.path("model").asText().equals(MODEL)) {
                    latest.put(report.get("task").asText(), report);
                }
                return latest.values().stream().mapToLong(r -> r.get("seen").asLong()).sum() == EVENTS + 1;
            }, WAIT), "the tasks' reports count every event");
        }
        assertEquals(Set.of("0_0", "0_1"), latest.keySet());

        final AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        final AtomicReference<Map<String, PrometheusText.Family>> scraped = new AtomicReference<>();
        Await.until(WAIT, () -> {
            response.set(get("/metrics"));
            scraped.set(PrometheusText.parse(response.get().body()));
            return sum(scraped.get(), "eddy_model_events_seen_total") == EVENTS + 1;
        }, "/metrics counts every event the engine reported");
        assertEquals(200, response.get().statusCode());
        assertTrue(response.get().headers().firstValue("Content-Type").orElse("")
                .startsWith("text/plain; version=0.0.4"), response.get().headers().toString());
        final Map<String, PrometheusText.Family> families = scraped.get();

        assertEquals("counter", families.get("eddy_model_events_seen_total").type());
        assertEquals("counter", families.get("eddy_model_drift_alarms_total").type());
        assertEquals(1.0, sum(families, "eddy_model_events_rejected_total"),
                "the event that is not JSON went to the DLQ");
        assertEquals(1.0, value(families, "eddy_model_info", Map.of("model", MODEL, "type", "ftrl",
                "status", "active")));
        for (final String task : latest.keySet()) {
            // the figures come from one report of this task: find it on eddy.metrics by its timestamp
            final Map<String, String> labels = Map.of("model", MODEL, "task", task);
            final long timestamp = Math.round(value(families, "eddy_model_report_timestamp_seconds", labels) * 1000);
            final JsonNode report = reportAt(task, timestamp);
            assertEquals(report.get("logLoss").asDouble(), value(families, "eddy_model_log_loss", labels), task);
            assertEquals(report.get("accuracy").asDouble(), value(families, "eddy_model_accuracy", labels), task);
            assertEquals(report.get("updates").asDouble(), value(families, "eddy_model_updates", labels), task);
            assertEquals(report.get("generation").asDouble(), value(families, "eddy_model_generation", labels));
            assertEquals(report.get("driftAlarms").asDouble(), value(families, "eddy_model_drift_alarms_total", labels),
                    task);
            assertTrue(value(families, "eddy_model_log_loss", labels) > 0);
        }

        final List<PrometheusText.Sample> processed = families.get("kafka_stream_thread_process_total").samples();
        assertTrue(processed.stream().filter(s -> s.labels().get("model").equals(MODEL))
                .mapToDouble(PrometheusText.Sample::value).sum() >= EVENTS + 1,
                "Kafka Streams' own count of processed records, labelled with the model");
        assertTrue(families.keySet().stream().filter(name -> name.startsWith("kafka_")).count() > 50,
                "Kafka Streams' and its clients' metrics: " + families.keySet().stream()
                        .filter(name -> name.startsWith("kafka_")).collect(Collectors.toList()));
        assertTrue(sum(families, "jvm_memory_used_bytes") > 0, "JVM metrics");
        assertFalse(families.get("jvm_threads_current").samples().isEmpty());

        final HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(http.url() + "api/models"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "the dashboard is read-only");
    }

    private static JsonNode reportAt(final String task, final long timestamp) {
        try (Predictions metrics = new Predictions(bootstrap, Topics.METRICS)) {
            final JsonNode report = metrics.awaitMatch(r -> r.path("model").asText().equals(MODEL)
                    && r.path("task").asText().equals(task) && r.path("timestamp").asLong() == timestamp, WAIT);
            assertNotNull(report, "a report of task " + task + " at " + timestamp + " on eddy.metrics");
            return report;
        }
    }

    /** The sum of a family's samples of model {@link #MODEL} (or of no model, as the JVM's). */
    private static double sum(final Map<String, PrometheusText.Family> families, final String family) {
        final PrometheusText.Family found = families.get(family);
        return found == null ? 0 : found.samples().stream()
                .filter(s -> MODEL.equals(s.labels().getOrDefault("model", MODEL)))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static double value(final Map<String, PrometheusText.Family> families, final String family,
                                final Map<String, String> labels) {
        final PrometheusText.Family found = families.get(family);
        assertNotNull(found, family + " is exported");
        return found.samples().stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PrometheusText.Sample::value)
                .findFirst().orElseThrow(() -> new AssertionError(family + labels + " is exported"));
    }

    private static HttpResponse<String> get(final String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(http.url() + path.substring(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
