package io.eddy.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.ops.broker.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short demo runs its three models to the end, and its last line has every model's figures. */
class DemoRunTest {
    private static final long CLICKS = 10_000;

    @TempDir
    Path work;

    @BeforeAll
    static void quietLogs() {
        // as Main does, before Kafka makes its first logger: CLI tests later in this JVM read stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    @Test
    void shouldStreamEveryEventThroughTheThreeModels() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, work.resolve("broker"));
             PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new Demo(broker.bootstrapServers(), work.resolve("state"), CLICKS, 10_000, out).run();
        }
        final List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("Done: every event was scored, then learned.", lines.get(lines.size() - 1), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.contains("click model has drifted")), lines::toString);

        // "events events/s logloss (constant) AUC p99 alarms | events RTRL stateless"
        final String[] last = lines.get(lines.size() - 2).trim().split("\\s+");
        assertEquals(CLICKS, Long.parseLong(last[0]), lines::toString);
        assertEquals("|", last[7], lines::toString);
        assertEquals(CLICKS / 5, Long.parseLong(last[8]), "entity events; " + lines);
        for (final int column : new int[] {2, 4, 9, 10}) {
            final double figure = Double.parseDouble(last[column]);
            assertTrue(figure > 0 && figure < 1, "log loss, AUC and both accuracies are figures: " + lines);
        }
    }
}
