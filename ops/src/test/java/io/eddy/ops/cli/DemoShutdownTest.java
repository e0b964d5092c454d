package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eddy demo stopped by Ctrl-C (SIGTERM here) deletes its temporary folder (the broker's log and the engine's
 * state) before the JVM exits: it once closed its shutdown guard first, and the JVM halted before the delete.
 */
class DemoShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void shouldDeleteItsTemporaryFolderWhenStopped() throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + tmp));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        }
        // the test's own class path: the jars of target/lib are only copied at package, after the tests
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.eddy.ops.cli.Main", "demo",
                "--port", "0", "--http-port", "0", "--events", "1000000", "--rate", "2000"));
        final Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                StandardCharsets.UTF_8))) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            String line;
            boolean streaming = false;
            while (!streaming && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                streaming = line.startsWith("Streaming");
            }
            assertTrue(streaming, "the demo did not start");
            Thread.sleep(3_000);
            demo.destroy(); // SIGTERM: the shutdown hooks run, as on Ctrl-C
            assertTrue(demo.waitFor(90, TimeUnit.SECONDS), "the demo did not stop");
        } finally {
            demo.destroyForcibly();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("eddy-demo"))
                    .toList(), "the demo's temporary folder is left behind");
        }
    }
}
