package io.eddy.ops.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * For {@code --json} on commands that narrate as they go and end with a JSON summary: lines that are
 * JSON objects go to one stream (stdout, for machines) and every other line to another (stderr, for
 * people watching), so that {@code eddy bench ftrl --json | jq} sees only JSON.
 */
final class JsonLines extends OutputStream {
    private final PrintStream json;
    private final PrintStream text;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private JsonLines(final PrintStream json, final PrintStream text) {
        this.json = json;
        this.text = text;
    }

    /** A stream that sends JSON-object lines to {@code json} and the rest to {@code text}. */
    static PrintStream split(final PrintStream json, final PrintStream text) {
        return new PrintStream(new JsonLines(json, text), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(final int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(final byte[] bytes, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        // a partial line waits for its end: only then is it known where it goes
        json.flush();
        text.flush();
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            line.write('\n');
            flushLine();
        }
        flush();
    }

    private void flushLine() {
        final String content = line.toString(StandardCharsets.UTF_8);
        line.reset();
        (content.startsWith("{") ? json : text).print(content);
    }
}
