package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.ops.http.EngineHttpServer;
import io.eddy.streams.api.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: headless Chromium, driven through chromium-driver, against an engine
 * fed by a short stream. The plots must be drawn from the published reports and every number on the
 * model's page must be what the engine published on {@code eddy.metrics}.
 */
@Tag("integration")
class DashboardBrowserIT {
    static final String INSTALL = "The dashboard's browser test needs Chromium and its WebDriver: "
            + "sudo apt-get install -y chromium chromium-driver (the README's set-up; .ci/run installs them).";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String MODEL = "board";
    private static final int EVENTS = 600;
    private static final int BATCHES = 3;
    /**
     * The colours of a chart's first two lines (see dashboard.js); a chart here has at most two. Either
     * counts, because a line drawn later covers an equal one: a window's p99 latency is often its p50.
     */
    private static final String SERIES_RGB = "[[0x1f, 0x77, 0xb4], [0xd6, 0x27, 0x28]]";

    private static ServedEngine served;
    private static String bootstrap;
    private static EngineHttpServer http;
    private static AdminClientForTests admin;
    private static Events events;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        final File chromium = executable("eddy.chromium", "chromium", "chromium-browser")
                .orElseGet(() -> fail(INSTALL + " (no chromium found on the PATH or at -Deddy.chromium)"));
        final File driver = executable("eddy.chromedriver", "chromedriver")
                .orElseGet(() -> fail(INSTALL + " (no chromedriver found on the PATH or at -Deddy.chromedriver)"));
        served = ServedEngine.start("eddy-dashboard-it", 11);
        bootstrap = served.bootstrap;
        http = served.http;
        admin = served.admin;
        events = served.events;
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1300,1000");
        // the driver is named, so Selenium never looks for one on the network
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (served != null) {
            served.close();
        }
    }

    @Test
    void shouldPlotTheStreamAndShowTheFiguresTheEnginePublished() {
        final JsonNode created = admin.ok("{\"op\":\"create\",\"model\":\"" + MODEL
                + "\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.2}}");
        admin.ok("{\"op\":\"snapshot\",\"model\":\"" + MODEL + "\",\"snapshot\":\"empty\"}");
        try (Predictions metrics = new Predictions(bootstrap, Topics.METRICS)) {
            // in batches, each counted in a report before the next, so that the curves have several points
            for (int batch = 1; batch <= BATCHES; batch++) {
                events.sendLabelled(Topics.input(MODEL), "b" + batch + "-", EVENTS / BATCHES);
                final long seen = (long) batch * EVENTS / BATCHES;
                assertNotNull(metrics.awaitMatch(r -> r.path("model").asText().equals(MODEL)
                        && r.path("seen").asLong() == seen, WAIT), "a report counting " + seen + " events");
            }
            events.send(Topics.input(MODEL), "u1", "not json");
            events.flush();
            final JsonNode counted = metrics.awaitMatch(r -> r.path("model").asText().equals(MODEL)
                    && r.path("seen").asLong() == EVENTS + 1, WAIT);
            assertNotNull(counted, "a report counting every event");

            // the overview: every model with its type, status, generation and figures, and its plots
            browser.get(http.url());
            awaitText("[data-model='" + MODEL + "'] [data-stat='seen']", String.valueOf(EVENTS + 1));
            assertEquals("ftrl", text("[data-model='" + MODEL + "'] [data-stat='type']"));
            assertEquals("active", text("[data-model='" + MODEL + "'] [data-stat='status']"));
            assertEquals(created.get("generation").asText(),
                    text("[data-model='" + MODEL + "'] [data-stat='generation']"));
            assertEquals("1", text("[data-model='" + MODEL + "'] [data-stat='rejected']"), "the DLQ count");
            assertEquals(counted.get("driftAlarms").asText(),
                    text("[data-model='" + MODEL + "'] [data-stat='driftAlarms']"), "the drift alarm count");
            final JsonNode lastDrift = counted.get("lastDriftTimestamp");
            assertEquals(lastDrift.isNull() ? "none"
                            : js("return new Date(" + lastDrift.asLong() + ").toLocaleTimeString();"),
                    text("[data-model='" + MODEL + "'] [data-stat='lastDriftTimestamp']"), "the last drift alarm");
            assertPlotted(List.of("loss", "quality", "rate", "latency", "dlq", "drift"));

            // the model's page: the latest report of its task, exactly as published, and the same plots
            browser.get(http.url() + "model?name=" + MODEL);
            awaitText("#tasks tr[data-task='0_0'] td[data-field='seen']", String.valueOf(EVENTS + 1));
            @SuppressWarnings("unchecked")
            final Map<String, Object> shown = (Map<String, Object>) js(
                    "const row = document.querySelector(\"#tasks tr[data-task='0_0']\");"
                    + "const fields = {};"
                    + "row.querySelectorAll('td[data-field]').forEach(td => fields[td.dataset.field] = td.textContent);"
                    + "const plot = window.eddyCharts['" + MODEL + "'].loss;"
                    + "const series = plot.series.findIndex(s => s.label === 'logLoss');"
                    + "return {timestamp: row.dataset.timestamp, fields: fields,"
                    + " xs: Array.from(plot.data[0]), ys: Array.from(plot.data[series])};");
            final long timestamp = Long.parseLong((String) shown.get("timestamp"));
            @SuppressWarnings("unchecked")
            final Map<String, String> fields = (Map<String, String>) shown.get("fields");
            final Map<Long, JsonNode> published = new HashMap<>();
            final JsonNode report = metrics.awaitMatch(r -> {
                if (r.path("model").asText().equals(MODEL) && r.path("task").asText().equals("0_0")) {
                    published.put(r.get("timestamp").asLong(), r);
                }
                return r.path("model").asText().equals(MODEL) && r.path("timestamp").asLong() == timestamp;
            }, WAIT);
            assertNotNull(report, "the report the page shows is on eddy.metrics");
            for (final String field : List.of("seen", "learned", "rejected", "updates", "generation", "logLoss",
                    "baselineLogLoss", "accuracy", "auc", "eventsPerSecond", "p50Ms", "p99Ms", "window", "driftAlarms",
                    "lastDriftAtEvent", "lastDriftTimestamp")) {
                assertTrue(fields.containsKey(field), () -> field + " is shown: " + fields);
            }
            fields.forEach((field, text) -> assertShownAsPublished(field, text, report.get(field)));

            // every point of the loss curve is a published report's log loss, at that report's time
            @SuppressWarnings("unchecked")
            final List<Number> xs = (List<Number>) shown.get("xs");
            @SuppressWarnings("unchecked")
            final List<Number> ys = (List<Number>) shown.get("ys");
            final List<Double> plotted = new ArrayList<>();
            for (int i = 0; i < xs.size(); i++) {
                if (ys.get(i) != null) {
                    final long at = Math.round(xs.get(i).doubleValue() * 1000);
                    final JsonNode source = published.get(at);
                    assertNotNull(source, "a published report at " + at);
                    assertEquals(source.get("logLoss").asDouble(), ys.get(i).doubleValue(), "logLoss at " + at);
                    plotted.add(ys.get(i).doubleValue());
                }
            }
            assertTrue(plotted.size() >= 2, "the loss curve has points: " + plotted);
            assertEquals(report.get("logLoss").asDouble(), plotted.get(plotted.size() - 1), "the curve ends now");
            assertPlotted(List.of("loss", "quality", "rate", "latency", "dlq", "drift"));

            assertEquals("0.2", text("#params tr[data-param='alpha'] td:nth-child(2)"), "a parameter");
            assertEquals(created.get("generation").asText(),
                    text("#snapshots tr[data-snapshot='empty'] td:nth-child(2)"), "a snapshot");
        }
    }

    /** Each chart exists, holds at least two points, and has its first line drawn on its canvas. */
    private static void assertPlotted(final List<String> charts) {
        for (final String chart : charts) {
            Await.until(WAIT, () -> ((Number) js("const p = (window.eddyCharts['" + MODEL + "'] || {})['" + chart
                    + "']; return p ? p.data[0].length : -1;")).intValue() >= 2, chart + " has points");
            // the chart redraws after its data arrive, so a line may show up a moment after its points
            Await.until(WAIT, () -> linePixels(chart) > 30, chart + "'s lines are drawn (more than 30 pixels)");
        }
    }

    /** Pixels of the chart's canvas in the colour of one of its series. */
    private static int linePixels(final String chart) {
        return ((Number) js("const p = window.eddyCharts['" + MODEL + "']['" + chart + "'];"
                + "const colours = " + SERIES_RGB + ".slice(0, p.series.length - 1);"
                + "const img = p.ctx.getImageData(0, 0, p.ctx.canvas.width, p.ctx.canvas.height).data;"
                + "let n = 0;"
                + "for (let i = 0; i < img.length; i += 4) {"
                + "  if (img[i + 3] > 200 && colours.some(c => Math.abs(img[i] - c[0]) < 24"
                + "      && Math.abs(img[i + 1] - c[1]) < 24 && Math.abs(img[i + 2] - c[2]) < 24)) n++;"
                + "}"
                + "return n;")).intValue();
    }

    private static void assertShownAsPublished(final String field, final String text, final JsonNode value) {
        assertNotNull(value, field + " is in the published report");
        if (value.isNull()) {
            assertEquals("\u2013", text, field);
        } else if (value.isBoolean()) {
            assertEquals(value.asText(), text, field);
        } else {
            assertEquals(value.asDouble(), Double.parseDouble(text), field);
        }
    }

    private static void awaitText(final String selector, final String expected) {
        Await.until(WAIT, () -> expected.equals(js("const e = document.querySelector(\"" + selector + "\");"
                + "return e ? e.textContent : null;")), selector + " shows " + expected);
    }

    private static String text(final String selector) {
        return (String) js("const e = document.querySelector(\"" + selector + "\"); return e ? e.textContent : null;");
    }

    private static Object js(final String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** A program given by the system property {@code property}, or the first of {@code names} on the PATH. */
    private static Optional<File> executable(final String property, final String... names) {
        final String given = System.getProperty(property);
        if (given != null) {
            return Optional.of(new File(given)).filter(File::canExecute);
        }
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator))
                        .map(dir -> Path.of(dir, name).toFile()))
                .filter(file -> file.isFile() && file.canExecute())
                .findFirst();
    }
}
