package io.eddy.ops.cli;

import io.eddy.ops.progress.ProgressBars;
import picocli.CommandLine.Option;

/** {@code --no-progress}, for the commands that draw progress bars. */
final class ProgressOptions {
    @Option(names = "--no-progress",
            description = "No progress bars. They are drawn on stderr only when it is a terminal.")
    boolean noProgress;

    ProgressBars bars() {
        return ProgressBars.onTerminal(noProgress);
    }
}
