package io.eddy.ops.progress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressBarsTest {
    @TempDir
    Path work;

    @AfterEach
    void forgetTheTerminal() {
        System.clearProperty(ProgressBars.TERMINAL_PROPERTY);
        System.clearProperty(ProgressBars.COLUMNS_PROPERTY);
    }

    @Test
    void shouldDrawNothingWithoutATerminalOrWhenDisabled() {
        assertFalse(ProgressBars.onTerminal(false).enabled(), "no terminal named by the launcher");
        System.setProperty(ProgressBars.TERMINAL_PROPERTY, work.resolve("tty").toString());
        assertFalse(ProgressBars.onTerminal(true).enabled(), "--no-progress");
        try (ProgressBars.Bar bar = ProgressBars.OFF.start("task", 10, "events")) {
            bar.stepTo(5); // a no-op, and no error
        }
    }

    @Test
    void shouldDrawCountRateAndEtaOnTheTerminalAndClearItAtTheEnd() throws Exception {
        final Path terminal = Files.createFile(work.resolve("tty"));
        System.setProperty(ProgressBars.TERMINAL_PROPERTY, terminal.toString());
        System.setProperty(ProgressBars.COLUMNS_PROPERTY, "90");
        final ProgressBars bars = ProgressBars.onTerminal(false);
        assertTrue(bars.enabled());
        try (ProgressBars.Bar bar = bars.start("replay", 1_000, "events")) {
            bar.stepTo(400);
            Thread.sleep(600); // a few redraws
        }
        final String drawn = Files.readString(terminal, StandardCharsets.UTF_8);
        assertTrue(drawn.contains("replay"), drawn);
        assertTrue(drawn.contains("400/1000 events"), drawn);
        assertTrue(drawn.contains("events/s"), drawn);
        assertTrue(drawn.matches("(?s).*\\(\\d:\\d\\d:\\d\\d / \\d:\\d\\d:\\d\\d\\).*"), "elapsed / ETA: " + drawn);
        for (final String line : drawn.split("\r")) {
            assertTrue(line.strip().length() <= 90, "wider than the terminal: " + line);
        }
        final String afterLastBar = drawn.substring(drawn.lastIndexOf("events/s") + "events/s".length());
        assertTrue(afterLastBar.contains("\r") && afterLastBar.isBlank(), "the line is cleared at the end: "
                + afterLastBar);
    }
}
