package io.eddy.tests.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An engine in a child JVM, started with the {@code eddy engine} command, that a test can kill -9. */
final class EngineProcess implements AutoCloseable {
    private final Process process;

    private EngineProcess(final Process process) {
        this.process = process;
    }

    static EngineProcess start(final String bootstrap, final Path stateDir, final Path log) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.eddy.ops.cli.Main");
        command.add("engine");
        command.add("--bootstrap-servers");
        command.add(bootstrap);
        command.add("--state-dir");
        command.add(stateDir.toString());
        final File logFile = log.toFile();
        return new EngineProcess(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile)).start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no clean close, no final commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
