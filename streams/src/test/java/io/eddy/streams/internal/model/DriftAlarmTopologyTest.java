package io.eddy.streams.internal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.HyperParameters;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.admin.ControlMessage;
import io.eddy.streams.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An FTRL model's drift detector, seen through its {@code eddy.metrics} reports: the labels of a
 * click stream flip half-way and an alarm follows; the same stream unflipped raises none.
 */
class DriftAlarmTopologyTest {
    private static final String APP = "drift-test";
    private static final long METRICS_INTERVAL_MS = 1_000;
    private static final int EVENTS = 6_000;
    private static final int FLIP_AT = 3_000;
    /** Events in which the alarm must follow the flip: about 50 here, and never fewer than lambda / 5 = 20. */
    private static final int ALARM_WITHIN = 200;
    private static final int BATCH = 250;
    private static final long START_MS = 1_700_000_000_000L;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> events;
    private TestInputTopic<byte[], byte[]> control;
    private TestOutputTopic<byte[], byte[]> metrics;

    @BeforeEach
    void setUp() {
        driver = FtrlTopologyDriver.create(APP, METRICS_INTERVAL_MS, Instant.ofEpochMilli(START_MS));
        final ByteArraySerializer out = new ByteArraySerializer();
        events = driver.createInputTopic("in", out, out);
        control = driver.createInputTopic("ctl", out, out);
        metrics = driver.createOutputTopic(Topics.METRICS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldReportADriftAlarmSoonAfterTheLabelsFlip() throws IOException {
        final List<JsonNode> reports = stream(true, false);
        final JsonNode last = reports.get(reports.size() - 1);
        assertEquals(EVENTS, last.get("seen").asLong());
        assertTrue(last.get("driftAlarms").asLong() >= 1, "an alarm after the flip: " + last);
        final long alarmAt = firstAlarmEvent(reports);
        assertTrue(alarmAt > FLIP_AT && alarmAt <= FLIP_AT + ALARM_WITHIN,
                "the first alarm is at event " + alarmAt + ", the labels flip after event " + FLIP_AT);
        for (final JsonNode report : reports) {
            if (report.get("seen").asLong() <= FLIP_AT) {
                assertEquals(0, report.get("driftAlarms").asLong(), "no alarm before the flip: " + report);
            }
        }
        final long alarmMs = last.get("lastDriftTimestamp").asLong();
        assertTrue(alarmMs >= START_MS && alarmMs <= last.get("timestamp").asLong(), "the alarm's time: " + alarmMs);
    }

    @Test
    void shouldReportNoDriftAlarmOnTheSameStreamUnflipped() throws IOException {
        final List<JsonNode> reports = stream(false, false);
        assertEquals(EVENTS / BATCH, reports.size());
        for (final JsonNode report : reports) {
            assertEquals(0, report.get("driftAlarms").asLong(), "no alarm: " + report);
            assertTrue(report.get("lastDriftAtEvent").isNull(), "no last alarm: " + report);
            assertTrue(report.get("lastDriftTimestamp").isNull(), "no last alarm: " + report);
        }
    }

    @Test
    void shouldRaiseNoAlarmWithDriftDetectionTurnedOffByItsParameter() throws IOException {
        final Map<String, Double> params = HyperParameters.resolve(
                EngineParameters.of(LearnerCatalog.find("ftrl")), Map.of("hashBits", 12.0,
                        EngineParameters.DRIFT_THRESHOLD, 0.0));
        control.pipeInput(bytes("ctl"), Json.bytes(new ControlMessage(ControlMessage.UPDATE, 2, params, null)));
        final List<JsonNode> reports = stream(true, false);
        assertEquals(EVENTS, reports.get(reports.size() - 1).get("seen").asLong());
        for (final JsonNode report : reports) {
            assertEquals(0, report.get("driftAlarms").asLong(), "drift detection is off: " + report);
        }
    }

    /** The model switched to ADWIN by an update: it too alarms soon after the flip, and not on the unflipped stream. */
    @Test
    void shouldReportTheFlipWithAdwinChosenAndNothingWithoutIt() throws IOException {
        useAdwin();
        final List<JsonNode> reports = stream(true, false);
        final long alarmAt = firstAlarmEvent(reports);
        assertTrue(alarmAt > FLIP_AT && alarmAt <= FLIP_AT + ALARM_WITHIN,
                "adwin's first alarm is at event " + alarmAt + ", the labels flip after event " + FLIP_AT);
        driver.close();
        setUp();
        useAdwin();
        for (final JsonNode report : stream(false, false)) {
            assertEquals(0, report.get("driftAlarms").asLong(), "no alarm: " + report);
        }
    }

    private void useAdwin() {
        final Map<String, Double> params = HyperParameters.resolve(
                EngineParameters.of(LearnerCatalog.find("ftrl")), Map.of("hashBits", 12.0,
                        EngineParameters.DRIFT_DETECTOR, 1.0));
        control.pipeInput(bytes("ctl"), Json.bytes(new ControlMessage(ControlMessage.UPDATE, 2, params, null)));
    }

    @Test
    void shouldNotTakeAResetModelsFreshLossForDrift() throws IOException {
        final List<JsonNode> reports = stream(false, true);
        assertEquals(0, reports.get(reports.size() - 1).get("driftAlarms").asLong(),
                "the loss rises after the reset because the model starts again, not because the stream changed");
    }

    /**
     * Streams {@link #EVENTS} clicks on ten ads, each with its own click rate, with the labels flipped
     * from event {@link #FLIP_AT} on or the model reset there; returns one report per {@link #BATCH}.
     */
    private List<JsonNode> stream(final boolean flip, final boolean reset) throws IOException {
        final Random random = new Random(42);
        final double[] clickRates = {0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95};
        final List<JsonNode> reports = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            if (reset && i == FLIP_AT) {
                control.pipeInput(bytes("ctl"), Json.bytes(new ControlMessage(ControlMessage.RESET, 2, null, null)));
            }
            final int ad = random.nextInt(clickRates.length);
            final boolean click = random.nextDouble() < clickRates[ad];
            final int label = click != (flip && i >= FLIP_AT) ? 1 : 0;
            events.pipeInput(bytes("u" + random.nextInt(50)),
                    bytes("{\"id\":\"e" + i + "\",\"features\":{\"ad\":\"a" + ad + "\"},\"label\":" + label + "}"));
            if ((i + 1) % BATCH == 0) {
                driver.advanceWallClockTime(Duration.ofMillis(METRICS_INTERVAL_MS));
                for (final byte[] value : metrics.readValuesToList()) {
                    reports.add(Json.MAPPER.readTree(value));
                }
            }
        }
        assertFalse(reports.isEmpty(), "metrics reports");
        return reports;
    }

    /** The event of the first alarm: the last alarm of the first report that counts one. */
    private static long firstAlarmEvent(final List<JsonNode> reports) {
        for (final JsonNode report : reports) {
            if (report.get("driftAlarms").asLong() > 0) {
                assertEquals(1, report.get("driftAlarms").asLong(), "one alarm in the first interval with any");
                return report.get("lastDriftAtEvent").asLong();
            }
        }
        return -1;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
