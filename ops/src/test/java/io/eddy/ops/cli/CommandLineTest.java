package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line's contract for scripts: help everywhere, and one exit code per kind of failure.
 * A broker without an engine stands in for "Kafka answers, no engine does"; {@code tail} reads a
 * registry record and predictions written here, as an engine would have written them.
 */
class CommandLineTest extends BrokerCommandTest {
    @Test
    void shouldPrintUsageAndTheExitCodesForEveryCommandWithHelp() {
        final List<String> commands = commandPaths(new CommandLine(new Main()), new ArrayList<>());
        assertTrue(commands.size() >= 20, "commands found: " + commands);
        for (final String command : commands) {
            final List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--help");
            final Run run = run(args.toArray(String[]::new));
            assertEquals(0, run.code, command + ": " + run.err);
            assertTrue(run.out.startsWith("Usage: eddy" + (command.isEmpty() ? "" : " " + command) + " "),
                    command + ":\n" + run.out);
            assertTrue(run.out.contains("Exit codes:") && run.out.contains("4  no engine answered"),
                    command + ":\n" + run.out);
            assertEquals("", run.err, command);
        }
    }

    @Test
    void shouldExitWithTwoAndAHintOnUsageErrors() {
        for (final String[] args : List.of(
                new String[] {"frobnicate"},
                new String[] {"tail", "--bootstrap-servers", "localhost:1"},
                new String[] {"tail", "--model", "m", "--bootstrap-servers", "localhost:1", "--bogus"},
                new String[] {"tail", "--model", "m", "--bootstrap-servers", "localhost:1", "--max", "0"},
                new String[] {"admin", "list", "--bootstrap-servers", "localhost:1", "--timeout", "soon"},
                new String[] {"admin", "list", "--bootstrap-servers", "localhost:1", "--timeout", "0"},
                new String[] {"admin", "update", "m", "--param", "alpha", "--bootstrap-servers", "localhost:1"},
                new String[] {"bench", "nothing"},
                new String[] {"eval", "nothing"},
                new String[] {"eval", "ff", "--passes", "-1"},
                new String[] {"demo", "--rate", "0"},
                new String[] {"demo", "--http-port", "70000"},
                new String[] {"broker", "--port", "-1"},
                // options are checked before Kafka is: these are usage errors (2), not an unreachable cluster (3)
                new String[] {"engine", "--http-port", "70000", "--bootstrap-servers", "localhost:1", "--timeout", "1"},
                new String[] {"engine", "--backend", "tpu", "--bootstrap-servers", "localhost:1", "--timeout", "1"})) {
            final Run run = run(args);
            assertEquals(ExitCode.USAGE, run.code, String.join(" ", args) + ": " + run.out + run.err);
            final List<String> lines = run.err.strip().lines().toList();
            assertEquals(2, lines.size(), String.join(" ", args) + ":\n" + run.err);
            assertTrue(lines.get(0).startsWith("eddy: "), lines.get(0));
            assertTrue(lines.get(1).matches("Try './eddy( [a-z]+)* --help'\\."), lines.get(1));
            assertEquals("", run.out, String.join(" ", args));
        }
        assertEquals("Try './eddy tail --help'.", run("tail", "--model", "m", "--bootstrap-servers", "x:1",
                "--max", "0").err.strip().lines().toList().get(1));
    }

    @Test
    void shouldExitWithThreeWhenKafkaCannotBeReached() throws IOException {
        final String nobody = "localhost:" + freePort();
        for (final String[] args : List.of(
                new String[] {"admin", "list"},
                new String[] {"tail", "--model", "m"},
                new String[] {"replay", "--task", "hidden-state", "--model", "m", "--limit", "10"},
                new String[] {"engine", "--http-port", "0"})) {
            final List<String> full = new ArrayList<>(List.of(args));
            full.addAll(List.of("--bootstrap-servers", nobody, "--timeout", "1"));
            final long start = System.nanoTime();
            final Run run = run(full.toArray(String[]::new));
            final double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(ExitCode.UNREACHABLE, run.code, full + ": " + run.err);
            assertTrue(run.err.contains("cannot reach Kafka at " + nobody + " within 1 s"), run.err);
            assertTrue(seconds < 15, full + " took " + seconds + " s with --timeout 1");
        }
        final Run unresolvable = run("admin", "list", "--bootstrap-servers", "no-such-host.invalid:9092",
                "--timeout", "1");
        assertEquals(ExitCode.UNREACHABLE, unresolvable.code, unresolvable.err);
    }

    @Test
    void shouldExitWithFourWhenNoEngineAnswersAndOneWhenTheModelIsUnknown() throws Exception {
        final String bootstrap = broker.bootstrapServers();
        final Run noTopics = run("admin", "list", "--bootstrap-servers", bootstrap, "--timeout", "5");
        assertEquals(ExitCode.NO_ENGINE, noTopics.code, noTopics.err);
        assertTrue(noTopics.err.contains(Topics.ADMIN_REPLIES + " does not exist"), noTopics.err);
        final Run noRegistry = run("tail", "--model", "ctr", "--bootstrap-servers", bootstrap, "--timeout", "5");
        assertEquals(ExitCode.FAILED, noRegistry.code, noRegistry.err);
        assertTrue(noRegistry.err.contains("no model named 'ctr'"), noRegistry.err);

        createTopics(Topics.ADMIN, Topics.ADMIN_REPLIES, Topics.MODELS, "predictions.ctr");
        final Run silent = run("admin", "list", "--bootstrap-servers", bootstrap, "--timeout", "1");
        assertEquals(ExitCode.NO_ENGINE, silent.code, silent.err);
        assertTrue(silent.err.contains("no reply to request"), silent.err);

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.MODELS, "ctr",
                    "{\"name\":\"ctr\",\"type\":\"ftrl\",\"outputTopic\":\"predictions.ctr\"}"));
            producer.send(new ProducerRecord<>(Topics.MODELS, "gone", "{\"name\":\"gone\",\"type\":\"ftrl\"}"));
            producer.send(new ProducerRecord<>(Topics.MODELS, "gone", null)); // deleted
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("predictions.ctr", "u" + i, "{\"model\":\"ctr\",\"generation\":2,"
                        + "\"updates\":" + (1000 + i) + ",\"id\":\"e" + i + "\",\"probability\":0.25,\"label\":1,"
                        + "\"loss\":1.3862944}"));
            }
        }
        final Run unknown = run("tail", "--model", "gone", "--bootstrap-servers", bootstrap, "--timeout", "5");
        assertEquals(ExitCode.FAILED, unknown.code, unknown.err);
        assertEquals("eddy: no model named 'gone'; models: ctr", unknown.err.strip());

        final Run text = run("tail", "--model", "ctr", "--from-beginning", "--max", "2", "--bootstrap-servers",
                bootstrap);
        assertEquals(ExitCode.OK, text.code, text.err);
        assertEquals(List.of(
                "e0  key=u0  probability=0.2500  label=1  loss=1.386  (generation 2, 1,000 updates)",
                "e1  key=u1  probability=0.2500  label=1  loss=1.386  (generation 2, 1,001 updates)"),
                text.out.strip().lines().toList());
        final Run json = run("tail", "--model", "ctr", "--from-beginning", "--json", "--idle-timeout", "2",
                "--bootstrap-servers", bootstrap);
        assertEquals(ExitCode.OK, json.code, json.err);
        final List<String> lines = json.out.strip().lines().toList();
        assertEquals(3, lines.size(), json.out);
        for (int i = 0; i < 3; i++) {
            final JsonNode prediction = MAPPER.readTree(lines.get(i));
            assertEquals("e" + i, prediction.get("id").asText());
            assertEquals(1000 + i, prediction.get("updates").asInt());
        }
        assertEquals("", json.err, "--json prints no header");
        final Run tooFew = run("tail", "--model", "ctr", "--from-beginning", "--max", "4", "--idle-timeout", "1",
                "--bootstrap-servers", bootstrap);
        assertEquals(ExitCode.NO_ENGINE, tooFew.code, tooFew.err);
        assertEquals(3, tooFew.out.strip().lines().count(), tooFew.out);
        assertTrue(tooFew.err.contains("3 of 4 predictions"), tooFew.err);
    }

    @Test
    void shouldSendJsonLinesToOneStreamAndTextToTheOther() {
        final ByteArrayOutputStream json = new ByteArrayOutputStream();
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream split = JsonLines.split(new PrintStream(json, true, StandardCharsets.UTF_8),
                new PrintStream(text, true, StandardCharsets.UTF_8))) {
            split.println("producing 1,000 events ...");
            split.print("  9,000 events/s");
            split.println();
            split.println("{\"events\":1000,\"ratio\":0.5}");
            split.print("no newline at the end");
        }
        assertEquals("{\"events\":1000,\"ratio\":0.5}\n", json.toString(StandardCharsets.UTF_8));
        assertEquals("producing 1,000 events ...\n  9,000 events/s\nno newline at the end\n",
                text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldShowAdminRepliesAsTextForPeople() throws IOException {
        final JsonNode list = MAPPER.readTree("{\"models\":[{\"name\":\"ctr\",\"type\":\"ftrl\",\"status\":\"active\","
                + "\"generation\":3},{\"name\":\"recall-model\",\"type\":\"rtrl\",\"status\":\"paused\","
                + "\"generation\":1}]}");
        assertEquals("NAME          TYPE  STATUS  GENERATION\n"
                + "ctr           ftrl  active  3\n"
                + "recall-model  rtrl  paused  1", AdminReplies.text(MAPPER.readTree("{\"op\":\"list\"}"), list));
        assertEquals("No models.", AdminReplies.text(MAPPER.readTree("{\"op\":\"list\"}"),
                MAPPER.readTree("{\"models\":[]}")));
        final JsonNode model = MAPPER.readTree("{\"name\":\"ctr\",\"type\":\"ftrl\",\"status\":\"active\","
                + "\"generation\":2,\"partitions\":3,\"inputTopic\":\"eddy.in.ctr\",\"outputTopic\":\"eddy.out.ctr\","
                + "\"params\":{\"alpha\":0.05,\"hashBits\":20.0},\"snapshots\":[{\"name\":\"v1\",\"generation\":1,"
                + "\"createdAt\":\"2025-01-01T00:00:00Z\"}],\"createdAt\":\"c\",\"updatedAt\":\"u\"}");
        final String described = AdminReplies.text(MAPPER.readTree("{\"op\":\"describe\",\"model\":\"ctr\"}"), model);
        assertTrue(described.contains("  parameters    alpha=0.05 hashBits=20\n"), described);
        assertTrue(described.contains("  snapshots     v1 (generation 1, 2025-01-01T00:00:00Z)\n"), described);
        assertTrue(described.contains("  partitions    3\n"), described);
        assertEquals("Rolled ctr back to snapshot v1: generation 2.", AdminReplies.text(
                MAPPER.readTree("{\"op\":\"rollback\",\"model\":\"ctr\",\"snapshot\":\"v1\"}"), model));
    }

    @Test
    void shouldAbbreviateLongVectorsInTextPredictions() {
        final String line = TailCommand.PredictionText.line("k", ("{\"model\":\"fashion\",\"generation\":1,"
                + "\"updates\":5,\"id\":\"e9\",\"class\":3,\"probabilities\":[0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1],"
                + "\"items\":[{\"item\":\"i3\",\"score\":2.1}]}").getBytes(StandardCharsets.UTF_8));
        assertEquals("e9  key=k  class=3  probabilities=[0.1000 0.1000 0.1000 0.1000 0.1000 0.1000 0.1000 0.1000 … "
                + "10 values]  items=[i3:2.100]  (generation 1, 5 updates)", line);
        assertEquals("key=k  not json", TailCommand.PredictionText.line("k",
                "not json".getBytes(StandardCharsets.UTF_8)));
    }

    /** "" for the root, then every subcommand's path, "admin create" and the like. */
    private static List<String> commandPaths(final CommandLine command, final List<String> into) {
        final String path = command.getCommandSpec().qualifiedName(" ").replaceFirst("^eddy ?", "");
        into.add(path);
        command.getSubcommands().values().forEach(sub -> commandPaths(sub, into));
        return into;
    }

    private static void createTopics(final String... names) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(java.util.Arrays.stream(names).map(name -> new NewTopic(name, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again: nothing listens there
        }
    }
}
