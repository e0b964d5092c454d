package io.eddy.ops.eval;

import io.eddy.connectors.sequence.SequenceEvent;
import io.eddy.connectors.sequence.SequenceStream;
import io.eddy.ops.progress.ProgressBars;

/**
 * A sequence stream that moves a progress bar as its events are taken and clears the bar at its end:
 * an evaluation's phases show their progress without the library runs knowing of bars.
 */
final class CountedStream implements SequenceStream {
    private final SequenceStream stream;
    private final ProgressBars.Bar bar;
    private final boolean closeAtEnd;

    private CountedStream(final SequenceStream stream, final ProgressBars.Bar bar, final boolean closeAtEnd) {
        this.stream = stream;
        this.bar = bar;
        this.closeAtEnd = closeAtEnd;
    }

    /** {@code stream} itself when bars are off, else it with a bar named {@code task}. */
    static SequenceStream of(final SequenceStream stream, final ProgressBars bars, final String task) {
        if (!bars.enabled()) {
            return stream;
        }
        final long total = stream.totalEvents() == Long.MAX_VALUE ? 0 : stream.totalEvents();
        return new CountedStream(stream, bars.start(task, total, "events"), true);
    }

    /** {@code stream} moving {@code bar}, which several streams share and their caller closes. */
    static SequenceStream sharing(final SequenceStream stream, final ProgressBars.Bar bar) {
        return bar == ProgressBars.NO_BAR ? stream : new CountedStream(stream, bar, false);
    }

    @Override
    public String name() {
        return stream.name();
    }

    @Override
    public int inputSize() {
        return stream.inputSize();
    }

    @Override
    public int outputs() {
        return stream.outputs();
    }

    @Override
    public boolean classification() {
        return stream.classification();
    }

    @Override
    public long totalEvents() {
        return stream.totalEvents();
    }

    @Override
    public boolean hasNext() {
        final boolean more = stream.hasNext();
        if (!more && closeAtEnd) {
            bar.close();
        }
        return more;
    }

    @Override
    public SequenceEvent next() {
        final SequenceEvent event = stream.next();
        bar.stepBy(1);
        return event;
    }
}
