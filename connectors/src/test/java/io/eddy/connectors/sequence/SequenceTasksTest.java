package io.eddy.connectors.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceTasksTest {
    @Test
    void shouldBuildEachTaskByName() {
        assertEquals(List.of("trace-conditioning", "trace-patterning", "delayed-recall", "hidden-state"),
                List.copyOf(SequenceTasks.names()));
        final SequenceTasks.Options options = new SequenceTasks.Options().seed(3).events(10).delay(0);
        for (final String name : SequenceTasks.names()) {
            final SequenceStream stream = SequenceTasks.create(name,
                    name.equals("delayed-recall") ? new SequenceTasks.Options().delay(5).events(10) : options);
            assertEquals(name, stream.name());
            assertEquals(10, stream.totalEvents());
            int count = 0;
            while (stream.hasNext()) {
                stream.next();
                count++;
            }
            assertEquals(10, count, name);
        }
        final SequenceStream patterning = SequenceTasks.create("trace-patterning", options);
        assertInstanceOf(TraceConditioning.class, patterning);
        assertTrue(((TraceConditioning) patterning).patterning());
        assertEquals(20, ((DelayedRecall) SequenceTasks.create("delayed-recall",
                new SequenceTasks.Options().delay(20))).delay());
    }

    @Test
    void shouldPassKeysAndSeedOn() {
        final SequenceStream stream = SequenceTasks.create("hidden-state",
                new SequenceTasks.Options().keys(5).seed(9).events(100));
        final SequenceStream same = HiddenStateEntities.builder().keys(5).seed(9).events(100).build();
        while (stream.hasNext()) {
            final SequenceEvent event = stream.next();
            assertEquals(new String(same.next().toJson()), new String(event.toJson()));
            assertTrue(event.key().matches("k[0-4]"), event.key());
        }
        assertEquals(Long.MAX_VALUE, SequenceTasks.create("trace-conditioning", new SequenceTasks.Options())
                .totalEvents(), "no end by default");
        assertFalse(SequenceTasks.create("trace-conditioning", new SequenceTasks.Options().events(0)).hasNext());
    }

    @Test
    void shouldNameTheKnownTasksWhenOneIsUnknown() {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SequenceTasks.create("copy", new SequenceTasks.Options()));
        assertEquals("unknown task 'copy'; known: trace-conditioning, trace-patterning, delayed-recall, "
                + "hidden-state", error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SequenceTasks.create("delayed-recall", new SequenceTasks.Options()), "needs a delay");
        assertThrows(IllegalArgumentException.class,
                () -> SequenceTasks.create("hidden-state", new SequenceTasks.Options().delay(5)), "takes none");
    }
}
