package io.eddy.ops.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.connectors.sequence.DelayedRecall;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.ops.progress.ProgressBars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An evaluation's stream with a progress bar: the same events, the bar counting them. */
class CountedStreamTest {
    @TempDir
    Path work;

    @AfterEach
    void forgetTheTerminal() {
        System.clearProperty(ProgressBars.TERMINAL_PROPERTY);
    }

    @Test
    void shouldBeTheStreamItselfWhenBarsAreOff() {
        final SequenceStream stream = DelayedRecall.builder(5).events(100).seed(1).build();
        assertSame(stream, CountedStream.of(stream, ProgressBars.OFF, "recall"));
        assertSame(stream, CountedStream.sharing(stream, ProgressBars.OFF.start("recall", 100, "events")));
    }

    @Test
    void shouldPassEveryEventThroughAndCountThem() throws Exception {
        final Path terminal = Files.createFile(work.resolve("tty"));
        System.setProperty(ProgressBars.TERMINAL_PROPERTY, terminal.toString());
        final SequenceStream plain = DelayedRecall.builder(5).events(3_000).seed(1).build();
        final SequenceStream counted = CountedStream.of(DelayedRecall.builder(5).events(3_000).seed(1).build(),
                ProgressBars.onTerminal(false), "recall K=5");
        assertEquals(plain.totalEvents(), counted.totalEvents());
        assertEquals(plain.inputSize(), counted.inputSize());
        long events = 0;
        while (counted.hasNext()) {
            assertTrue(plain.hasNext());
            assertArrayEquals(plain.next().toJson(), counted.next().toJson());
            events++;
            if (events == 1_500) {
                Thread.sleep(400); // a redraw half-way
            }
        }
        assertEquals(3_000, events);
        final String drawn = Files.readString(terminal, StandardCharsets.UTF_8);
        assertTrue(drawn.contains("recall K=5") && drawn.contains("/3000 events"), drawn);
    }
}
