package io.eddy.ops.progress;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars with rate and ETA on the terminal, or nothing. The JVM cannot tell whether its stderr
 * is a terminal (and {@code ./eddy} pipes it through a filter), so the launcher says so: when its
 * stderr is a terminal it passes that terminal as {@value #TERMINAL_PROPERTY} and its width as
 * {@value #COLUMNS_PROPERTY}. Without them, as in scripts and tests, every bar is a no-op and output
 * stays clean.
 */
public final class ProgressBars {
    /** Where bars are drawn, e.g. {@code /dev/fd/3}; set by the launcher only when stderr is a terminal. */
    public static final String TERMINAL_PROPERTY = "eddy.progress.terminal";
    /** The terminal's width in columns. */
    public static final String COLUMNS_PROPERTY = "eddy.progress.columns";
    /** Draws nothing. */
    public static final ProgressBars OFF = new ProgressBars(null, 0);

    private static final int DEFAULT_COLUMNS = 100;
    private static final int REDRAW_MILLIS = 200;
    /** A bar that draws nothing, for work run without bars. */
    public static final Bar NO_BAR = new Bar(null);

    private final PrintStream terminal;
    private final int columns;

    private ProgressBars(final PrintStream terminal, final int columns) {
        this.terminal = terminal;
        this.columns = columns;
    }

    /** Bars on the launcher's terminal unless {@code disabled} or there is none. */
    public static ProgressBars onTerminal(final boolean disabled) {
        final String path = System.getProperty(TERMINAL_PROPERTY);
        if (disabled || path == null || path.isEmpty()) {
            return OFF;
        }
        try {
            final PrintStream terminal = new PrintStream(new FileOutputStream(path), true, StandardCharsets.UTF_8);
            return new ProgressBars(terminal, columns());
        } catch (final FileNotFoundException e) {
            return OFF; // no terminal after all: no bars, rather than a failed command
        }
    }

    /** Whether bars are drawn. */
    public boolean enabled() {
        return terminal != null;
    }

    /**
     * Starts a bar counting {@code unit}s up to {@code total}, or without an end (no ETA) when
     * {@code total} is not positive. Close it when the work ends; it then clears its line.
     */
    public Bar start(final String task, final long total, final String unit) {
        if (terminal == null) {
            return NO_BAR;
        }
        final ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(REDRAW_MILLIS)
                .setUnit(" " + unit, 1)
                .showSpeed(new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .setSpeedUnit(ChronoUnit.SECONDS)
                .continuousUpdate()
                .clearDisplayOnFinish()
                // a consumer of a given width, so that the library does not probe the (piped) stderr
                .setConsumer(new ConsoleProgressBarConsumer(terminal, columns));
        return new Bar(builder.build());
    }

    private static int columns() {
        try {
            final int value = Integer.parseInt(System.getProperty(COLUMNS_PROPERTY, ""));
            return value > 20 ? value : DEFAULT_COLUMNS;
        } catch (final NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    /** One bar; every method does nothing when bars are off. */
    public static final class Bar implements AutoCloseable {
        private final ProgressBar bar;
        private boolean closed;

        private Bar(final ProgressBar bar) {
            this.bar = bar;
        }

        /** Sets the count done so far; cheap enough to call for every event (an uncontended lock). */
        public void stepTo(final long done) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        /** Adds to the count done so far. */
        public void stepBy(final long more) {
            if (bar != null) {
                bar.stepBy(more);
            }
        }

        /** Clears the bar's line; again does nothing, so a bar may be closed early and by try-with-resources. */
        @Override
        public void close() {
            if (bar != null && !closed) {
                closed = true;
                bar.close();
            }
        }
    }
}
