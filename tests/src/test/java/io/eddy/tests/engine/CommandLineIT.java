package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.ops.cli.ExitCode;
import io.eddy.ops.cli.Main;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.tests.support.SharedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code eddy admin} and {@code eddy tail} against a running engine: what a script driving Eddy sees. */
@Tag("integration")
class CommandLineIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EVENTS = 20;

    @Test
    void shouldCreateListAndTailAModelFromTheCommandLine() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        try (Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-cli-it")));
             Events events = new Events(bootstrap, 7)) {
            final Run created = run("admin", "create", "tailed", "--type", "ftrl", "--json", "--bootstrap-servers",
                    bootstrap);
            assertEquals(ExitCode.OK, created.code, created.err);
            final JsonNode reply = MAPPER.readTree(created.out);
            assertTrue(reply.get("ok").asBoolean(), created.out);
            assertEquals("eddy.out.tailed", reply.get("result").get("outputTopic").asText());

            final Run listed = run("admin", "list", "--json", "--bootstrap-servers", bootstrap);
            assertEquals(ExitCode.OK, listed.code, listed.err);
            assertTrue(MAPPER.readTree(listed.out).get("result").get("models").toString().contains("\"tailed\""),
                    listed.out);
            final Run table = run("admin", "list", "--bootstrap-servers", bootstrap);
            assertTrue(table.out.lines().anyMatch(line -> line.matches("tailed\\s+ftrl\\s+active\\s+1")), table.out);

            final Run rejected = run("admin", "describe", "ghost", "--json", "--bootstrap-servers", bootstrap);
            assertEquals(ExitCode.FAILED, rejected.code, "an error reply exits with 1");
            assertTrue(MAPPER.readTree(rejected.out).get("error").asText().contains("no model named 'ghost'"),
                    rejected.out);

            events.sendLabelled("eddy.in.tailed", "t", EVENTS);
            final Run text = run("tail", "--model", "tailed", "--from-beginning", "--max", String.valueOf(EVENTS),
                    "--idle-timeout", "180", "--bootstrap-servers", bootstrap);
            assertEquals(ExitCode.OK, text.code, text.err);
            final List<String> lines = text.out.strip().lines().toList();
            assertEquals(EVENTS, lines.size(), text.out);
            for (int i = 0; i < EVENTS; i++) {
                assertTrue(lines.get(i).matches("t" + i + "  key=u" + (i % 8) + "  probability=0\\.\\d+  label=[01]  "
                        + "loss=\\S+  \\(generation 1, " + i + " updates\\)"), lines.get(i));
            }

            final Run json = run("tail", "--model", "tailed", "--from-beginning", "--max", String.valueOf(EVENTS),
                    "--json", "--bootstrap-servers", bootstrap);
            assertEquals(ExitCode.OK, json.code, json.err);
            final Set<String> ids = new HashSet<>();
            for (final String line : json.out.strip().lines().toList()) {
                final JsonNode prediction = MAPPER.readTree(line);
                assertEquals("tailed", prediction.get("model").asText());
                ids.add(prediction.get("id").asText());
            }
            assertEquals(EVENTS, ids.size(), json.out);
            run("admin", "delete", "tailed", "--bootstrap-servers", bootstrap);
        }
    }

    private static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            final int code = Main.execute(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private record Run(int code, String out, String err) {
    }
}
