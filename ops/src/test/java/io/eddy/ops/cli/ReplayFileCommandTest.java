package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** {@code eddy replay --file}: CSV and ARFF rows as dense events on a model's input topic. */
class ReplayFileCommandTest extends BrokerCommandTest {
    @Test
    void shouldDescribeTheFileOptions() {
        final Run run = run("replay", "--help");
        assertEquals(0, run.code, run.err);
        for (final String option : List.of("--file", "--format", "--label", "--key", "--separator")) {
            assertTrue(run.out.contains(option), option + " in\n" + run.out);
        }
    }

    @Test
    void shouldPutACsvFilesRowsOnTheTopicKeyedByTheKeyColumnWithNominalColumnsOneHot() throws Exception {
        final String topic = createTopic("pets");
        final Path file = Files.writeString(work.resolve("pets.csv"), "id;\"weight; kg\";color;species\r\n"
                + "a1;4.5;red;cat\r\n"
                + "\"b \"\"2\"\"\";30;\"blue\";dog\r\n"
                + "c3;;red;cat\r\n"
                + "d4;0.25;red;dog\r\n", StandardCharsets.UTF_8);
        final Run run = run("replay", "--file", file.toString(), "--separator", ";", "--key", "id", "--model", "pets",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        final List<String> intro = run.out.lines().limit(6).toList();
        assertEquals(List.of(
                "Replaying " + file + " (csv, 4 rows, 1 with a missing value skipped) to eddy.in.pets: 3 events, "
                        + "as fast as possible.",
                "  x (3): weight; kg, color=red, color=blue",
                "  label: species, classification, 2 classes: 0 cat, 1 dog",
                "  key: id (each event's id and record key)",
                "Create the model first if it does not exist, e.g.:",
                "  ./eddy admin create pets --type mlp --param inputs=3 --param outputs=2 --bootstrap-servers "
                        + broker.bootstrapServers()), intro);
        assertTrue(run.out.contains("Sent 3 pets.csv events to eddy.in.pets"), run.out);
        assertTrue(run.out.contains("Skipped 1 rows with a missing value."), run.out);

        final List<ConsumerRecord<String, String>> records = readAll(topic);
        assertEquals(List.of("a1", "b \"2\"", "d4"), records.stream().map(ConsumerRecord::key).toList());
        assertEquals(List.of(
                "{\"id\":\"a1\",\"x\":[4.5,1,0],\"label\":0}",
                "{\"id\":\"b \\\"2\\\"\",\"x\":[30,0,1],\"label\":1}",
                "{\"id\":\"d4\",\"x\":[0.25,1,0],\"label\":1}"), records.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void shouldPutAnArffFilesRowsOnTheTopicAsRegressionUpToTheLimit() throws Exception {
        final String topic = createTopic("houses");
        final Path file = Files.writeString(work.resolve("houses.arff"), "% houses\n@relation houses\n"
                + "@attribute rooms integer\n@attribute 'area m2' real\n@attribute city {Oslo,Rome}\n"
                + "@attribute price numeric\n@data\n"
                + "3,75.5,Rome,310.25\n"
                + "{0 1, 3 99}\n"
                + "2,?,Oslo,150\n"
                + "4,120,'Oslo',500\n"
                + "5,130,Rome,510\n", StandardCharsets.UTF_8);
        final Run run = run("replay", "--file", file.toString(), "--limit", "3", "--model", "houses",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("Replaying " + file + " (arff, 5 rows, 1 with a missing value skipped) to "
                + "eddy.in.houses: 3 events, as fast as possible."), run.out);
        assertTrue(run.out.contains("  x (4): rooms, area m2, city=Oslo, city=Rome\n"), run.out);
        assertTrue(run.out.contains("  label: price, regression (y has 1 value)\n"), run.out);
        assertTrue(run.out.contains("  ./eddy admin create houses --type rtrl --param inputs=4 --param outputs=1 "
                + "--param task=regression --bootstrap-servers " + broker.bootstrapServers()), run.out);
        assertTrue(run.out.contains("Sent 3 houses.arff events to eddy.in.houses"), run.out);

        final List<ConsumerRecord<String, String>> records = readAll(topic);
        assertEquals(List.of(
                "{\"id\":\"r0\",\"x\":[3,75.5,0,1],\"y\":[310.25]}",
                "{\"id\":\"r1\",\"x\":[1,0,1,0],\"y\":[99]}",
                "{\"id\":\"r3\",\"x\":[4,120,1,0],\"y\":[500]}"), records.stream().map(ConsumerRecord::value).toList(),
                "a sparse row's left-out values are 0 or the first nominal value; the row ids count skipped rows");
        assertNull(records.get(0).key(), "no key column, no record key");
    }

    @Test
    void shouldTakeAWholeNumberLabelColumnByIndexAsClassesWhenAsked() throws Exception {
        final String topic = createTopic("digits");
        final Path file = Files.writeString(work.resolve("digits.tsv"), "digit\tpixel\n2\t0.5\n0\t1\n");
        final Run run = run("replay", "--file", file.toString(), "--label", "0", "--task", "classification",
                "--model", "digits", "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("  label: digit, classification, 3 classes: 0, 1, 2\n"), run.out);
        assertEquals(List.of("{\"id\":\"r0\",\"x\":[0.5],\"label\":2}", "{\"id\":\"r1\",\"x\":[1],\"label\":0}"),
                readAll(topic).stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void shouldRefuseAFileWithAnotherSourceAndTheFileOptionsWithoutAFile() throws IOException {
        final Path file = Files.writeString(work.resolve("small.csv"), "a,b\n1,x\n");
        assertUsage("eddy: name --file or a --task, not both (with --file, --task is classification or regression)",
                "--file", file.toString(), "--task", "hidden-state");
        assertUsage("eddy: name --file or a --dataset, not both", "--file", file.toString(), "--dataset",
                "fashion-mnist");
        assertUsage("eddy: name --file or --ratings, not both", "--file", file.toString(), "--ratings", "generated");
        assertUsage("eddy: --keys does not apply to --file", "--file", file.toString(), "--keys", "3");
        assertUsage("eddy: --label applies to --file only", "--task", "hidden-state", "--label", "b");
        assertUsage("eddy: regression needs a numeric label, but column 'b' is nominal; use classification",
                "--file", file.toString(), "--task", "regression");
        assertUsage("eddy: no column 'c' in " + file + "; its columns are a, b (or 0..1)", "--file", file.toString(),
                "--key", "c");
        assertUsage("eddy: --separator applies to a CSV file only, not to arff", "--file", file.toString(),
                "--format", "arff", "--separator", ";");
        final Path missing = work.resolve("missing.csv");
        assertUsage("eddy: no file " + missing + " (--file takes a CSV or ARFF file)", "--file", missing.toString());
    }

    @Test
    void shouldFailInOneLineNamingTheFileAndLineOfMalformedData() throws IOException {
        final Path csv = Files.writeString(work.resolve("short.csv"), "a,b\n1,x\n2\n");
        final Run shortRow = run("replay", "--file", csv.toString(), "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.FAILED, shortRow.code);
        assertEquals("eddy: " + csv + ":3: expected 2 fields as the header names, found 1", shortRow.err.strip());
        final Path arff = Files.writeString(work.resolve("bad.arff"), "@relation r\n@attribute c {a,b}\n@data\n"
                + "a\nz\n");
        final Run badValue = run("replay", "--file", arff.toString(), "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.FAILED, badValue.code);
        assertEquals("eddy: " + arff + ":5: 'z' is not a value of attribute 'c' {a, b}", badValue.err.strip());
        assertEquals("", badValue.out, "nothing is described or sent before the whole file is checked");
    }

    private static void assertUsage(final String error, final String... args) {
        final List<String> command = new ArrayList<>(List.of("replay", "--model", "m", "--bootstrap-servers", "x:1"));
        command.addAll(List.of(args));
        final Run run = run(command.toArray(new String[0]));
        assertEquals(ExitCode.USAGE, run.code, run.out + run.err);
        assertEquals(error, run.err.strip().lines().findFirst().orElse(""));
    }

    private static String createTopic(final String model) throws Exception {
        final String topic = "eddy.in." + model;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    /** The records on the one-partition topic, their values as text. */
    private static List<ConsumerRecord<String, String>> readAll(final String topic) {
        return readAll(topic, 1).stream().map(r -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(),
                new String(r.value(), StandardCharsets.UTF_8))).toList();
    }
}
