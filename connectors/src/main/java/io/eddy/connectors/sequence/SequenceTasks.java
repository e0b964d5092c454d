package io.eddy.connectors.sequence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sequence tasks by name, each a factory of its {@link SequenceStream} from a few shared
 * {@link Options}, so that a producer ({@code eddy replay}) and a library user build the same
 * streams from the same words. Names: {@code trace-conditioning}, {@code trace-patterning},
 * {@code delayed-recall}, {@code hidden-state}.
 */
public final class SequenceTasks {
    /** Builds a task's stream from options. */
    @FunctionalInterface
    public interface Factory {
        SequenceStream create(Options options);
    }

    private static final Map<String, Factory> TASKS;

    static {
        final Map<String, Factory> tasks = new LinkedHashMap<>();
        tasks.put("trace-conditioning", options -> trace(options, false));
        tasks.put("trace-patterning", options -> trace(options, true));
        tasks.put("delayed-recall", SequenceTasks::delayedRecall);
        tasks.put("hidden-state", SequenceTasks::hiddenState);
        TASKS = Collections.unmodifiableMap(tasks);
    }

    private SequenceTasks() {
    }

    /** The task names, in a fixed order. */
    public static Set<String> names() {
        return TASKS.keySet();
    }

    /**
     * The stream of the named task.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or an
     *     option the task does not take
     */
    public static SequenceStream create(final String task, final Options options) {
        final Factory factory = TASKS.get(task);
        if (factory == null) {
            throw new IllegalArgumentException("unknown task '" + task + "'; known: " + String.join(", ", names()));
        }
        return factory.create(options);
    }

    private static SequenceStream trace(final Options options, final boolean patterning) {
        noDelay(options, patterning ? "trace-patterning" : "trace-conditioning");
        final TraceConditioning.Builder builder = TraceConditioning.builder().patterning(patterning)
                .seed(options.seed).events(options.events);
        if (options.keys > 0) {
            builder.keys(options.keys);
        }
        return builder.build();
    }

    private static SequenceStream delayedRecall(final Options options) {
        if (options.delay < 1) {
            throw new IllegalArgumentException("delayed-recall needs a delay K >= 1 (we evaluate 5, 20 and 50)");
        }
        final DelayedRecall.Builder builder = DelayedRecall.builder(options.delay).seed(options.seed)
                .events(options.events);
        if (options.keys > 0) {
            builder.keys(options.keys);
        }
        return builder.build();
    }

    private static SequenceStream hiddenState(final Options options) {
        noDelay(options, "hidden-state");
        final HiddenStateEntities.Builder builder = HiddenStateEntities.builder().seed(options.seed)
                .events(options.events);
        if (options.keys > 0) {
            builder.keys(options.keys);
        }
        return builder.build();
    }

    private static void noDelay(final Options options, final String task) {
        if (options.delay > 0) {
            throw new IllegalArgumentException("a delay applies to delayed-recall only, not to " + task);
        }
    }

    /** Options shared by the tasks; each has a default, and a task may ignore or refuse some. */
    public static final class Options {
        private long seed = 42;
        private long events = Long.MAX_VALUE;
        private int keys;
        private int delay;

        /** Seed of the stream; default 42. */
        public Options seed(final long seed) {
            this.seed = seed;
            return this;
        }

        /** Number of events; default no end. */
        public Options events(final long events) {
            if (events < 0) {
                throw new IllegalArgumentException("events must be >= 0, got " + events);
            }
            this.events = events;
            return this;
        }

        /** Number of entities; 0 (the default) keeps the task's own default. */
        public Options keys(final int keys) {
            if (keys < 0) {
                throw new IllegalArgumentException("keys must be >= 0, got " + keys);
            }
            this.keys = keys;
            return this;
        }

        /** The delay K of delayed-recall; 0 (the default) for none. Other tasks refuse one. */
        public Options delay(final int delay) {
            if (delay < 0) {
                throw new IllegalArgumentException("delay must be >= 0, got " + delay);
            }
            this.delay = delay;
            return this;
        }

        public long seed() {
            return seed;
        }

        public long events() {
            return events;
        }

        public int keys() {
            return keys;
        }

        public int delay() {
            return delay;
        }
    }
}
