package io.eddy.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.connectors.dataset.FashionMnist;
import io.eddy.connectors.sequence.DelayedRecall;
import io.eddy.connectors.ratings.Interaction;
import io.eddy.connectors.ratings.RatingsGenerator;
import io.eddy.ops.replay.Replay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayCommandTest extends BrokerCommandTest {
    @Test
    void shouldDescribeItsOptions() {
        final Run run = run("replay", "--help");
        assertEquals(0, run.code, run.err);
        for (final String option : List.of("--task", "--dataset", "--ratings", "--split", "--model", "--topic",
                "--rate", "--limit", "--seed", "--delay", "--keys", "--bootstrap-servers", "--config")) {
            assertTrue(run.out.contains(option), option + " in\n" + run.out);
        }
    }

    @Test
    void shouldListTheKnownTasksWhenTheTaskIsUnknown() {
        final Run run = run("replay", "--task", "copy-memory", "--model", "m", "--bootstrap-servers", "localhost:1");
        assertEquals(ExitCode.USAGE, run.code, run.out + run.err);
        assertEquals(List.of("eddy: unknown task 'copy-memory'; known: trace-conditioning, trace-patterning, "
                + "delayed-recall, hidden-state", "Try './eddy replay --help'."), run.err.strip().lines().toList());
    }

    @Test
    void shouldAskForWhatATaskNeeds() {
        final Run noDelay = run("replay", "--task", "delayed-recall", "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, noDelay.code);
        assertTrue(noDelay.err.contains("--delay"), noDelay.err);
        final Run stray = run("replay", "--task", "hidden-state", "--delay", "5", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, stray.code);
        assertTrue(stray.err.contains("delayed-recall only"), stray.err);
        final Run noTask = run("replay", "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, noTask.code);
        assertTrue(noTask.err.contains("trace-conditioning"), noTask.err);
    }

    @Test
    void shouldTakeExactlyOneOfATaskAndADataset() {
        final Run neither = run("replay", "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, neither.code);
        assertEquals("eddy: name a --task (trace-conditioning, trace-patterning, delayed-recall, hidden-state), a "
                + "--dataset (fashion-mnist), --ratings (FILE or generated) or --file FILE", firstLine(neither.err));
        final Run both = run("replay", "--task", "hidden-state", "--dataset", "fashion-mnist", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, both.code);
        assertEquals("eddy: name either a --task or a --dataset, not both", firstLine(both.err));
        final Run ratingsAndTask = run("replay", "--task", "hidden-state", "--ratings", "generated", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, ratingsAndTask.code);
        assertEquals("eddy: name --ratings or a --task, not both", firstLine(ratingsAndTask.err));
    }

    @Test
    void shouldCheckTheRatingsOptionsAndFile() throws IOException {
        final Run split = run("replay", "--ratings", "generated", "--split", "test", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, split.code);
        assertEquals("eddy: --split applies to a --dataset only, not to --ratings", firstLine(split.err));
        final Run keys = run("replay", "--ratings", "generated", "--keys", "4", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, keys.code);
        assertEquals("eddy: --keys applies to a --task only: ratings are keyed by user", firstLine(keys.err));
        final Run rate = run("replay", "--ratings", "generated", "--rate", "-1", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, rate.code);
        assertEquals("eddy: the rate must be >= 0 events/s (0 = as fast as possible), got -1.0", firstLine(rate.err));
        assertEquals("", rate.out, "refused before the ratings are made or described");
        final Path missing = work.resolve("missing.csv");
        final Run absent = run("replay", "--ratings", missing.toString(), "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, absent.code);
        assertEquals("eddy: no ratings file " + missing + " (--ratings takes a file or generated)",
                firstLine(absent.err));
        final Path bad = Files.writeString(work.resolve("bad.csv"), "user,item,rating,timestamp\nu1,i1,4,1\n"
                + "u2,i2,four,2\n");
        final Run malformed = run("replay", "--ratings", bad.toString(), "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(1, malformed.code);
        assertEquals("eddy: " + bad + ":3: rating 'four' is not a number", malformed.err.strip());
    }

    @Test
    void shouldPutARatingsFilesRowsInTimestampOrderOnTheModelsInputTopicKeyedByUser() throws Exception {
        final String topic = "eddy.in.reco";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        final Path file = Files.writeString(work.resolve("ratings.dat"), "# MovieLens style\n"
                + "1::1193::5::978300760\n"
                + "2::1357::4.5::978298709\n"
                + "3::say \"hi\"::1::978300760\n"
                + "1::661::3::978302109\n", StandardCharsets.UTF_8);
        final Run run = run("replay", "--ratings", file.toString(), "--model", "reco",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("Replaying ratings from " + file + " (4 rows, 3 users, 4 items) in timestamp order "
                + "to eddy.in.reco: 4 events, as fast as possible."), run.out);
        assertTrue(run.out.contains("Sent 4 ratings events to eddy.in.reco"), run.out);

        final List<ConsumerRecord<String, byte[]>> records = readAll(topic, 1);
        final List<String> keys = records.stream().map(ConsumerRecord::key).toList();
        final List<String> values = records.stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("2", "1", "3", "1"), keys, "by timestamp, ties in file order");
        assertEquals(List.of(
                "{\"id\":\"r0\",\"user\":\"2\",\"item\":\"1357\",\"rating\":4.5}",
                "{\"id\":\"r1\",\"user\":\"1\",\"item\":\"1193\",\"rating\":5}",
                "{\"id\":\"r2\",\"user\":\"3\",\"item\":\"say \\\"hi\\\"\",\"rating\":1}",
                "{\"id\":\"r3\",\"user\":\"1\",\"item\":\"661\",\"rating\":3}"), values);
        assertEquals("say \"hi\"", MAPPER.readTree(records.get(2).value()).get("item").asText());
    }

    @Test
    void shouldPutGeneratedRatingsOnTheTopicAsTheGeneratorMakesThem() throws Exception {
        final String topic = "eddy.in.generated";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        final Run run = run("replay", "--ratings", "generated", "--seed", "3", "--limit", "300", "--model",
                "generated", "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("Replaying generated ratings (500 users and 1,000 items to start, more arriving, "
                + "tastes drifting at event 150) to eddy.in.generated: 300 events, as fast as possible, seed 3."),
                run.out);
        assertTrue(run.out.contains("Sent 300 generated-ratings events to eddy.in.generated"), run.out);

        final RatingsGenerator generator = new RatingsGenerator(RatingsGenerator.Config.defaults().withSeed(3)
                .withEvents(300));
        final Interaction expected = new Interaction();
        final List<ConsumerRecord<String, byte[]>> records = readAll(topic, 1);
        assertEquals(300, records.size());
        for (final ConsumerRecord<String, byte[]> record : records) {
            assertTrue(generator.next(expected));
            final JsonNode event = MAPPER.readTree(record.value());
            assertEquals("u" + expected.user(), record.key());
            assertEquals("r" + expected.index(), event.get("id").asText());
            assertEquals("u" + expected.user(), event.get("user").asText());
            assertEquals("i" + expected.item(), event.get("item").asText());
            assertEquals(expected.rating(), event.get("rating").floatValue(), event.toString());
        }
    }

    @Test
    void shouldCheckTheDatasetsOptionsBeforeReadingIt() {
        final Run unknown = run("replay", "--dataset", "mnist", "--model", "m", "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, unknown.code);
        assertEquals("eddy: unknown dataset 'mnist'; known: fashion-mnist", firstLine(unknown.err));
        final Run split = run("replay", "--dataset", "fashion-mnist", "--split", "validation", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, split.code);
        assertEquals("eddy: unknown --split 'validation'; known: train, test, train+test", firstLine(split.err));
        final Run delay = run("replay", "--dataset", "fashion-mnist", "--delay", "5", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, delay.code);
        assertTrue(delay.err.contains("--delay applies to the task delayed-recall only"), delay.err);
        final Run keys = run("replay", "--dataset", "fashion-mnist", "--keys", "4", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, keys.code);
        assertTrue(keys.err.contains("--keys applies to a --task only"), keys.err);
        final Run limit = run("replay", "--dataset", "fashion-mnist", "--limit", "-1", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, limit.code);
        assertTrue(limit.err.contains("--limit must be >= 0"), limit.err);
        final Run taskSplit = run("replay", "--task", "hidden-state", "--split", "test", "--model", "m",
                "--bootstrap-servers", "x:1");
        assertEquals(ExitCode.USAGE, taskSplit.code);
        assertEquals("eddy: --split applies to a --dataset only, not to the task hidden-state",
                firstLine(taskSplit.err));
    }

    @Test
    void shouldPutTheDatasetsImagesInFileOrderOnTheModelsInputTopic() throws Exception {
        final String topic = "eddy.in.fashion";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        final Run run = run("replay", "--dataset", "fashion-mnist", "--split", "test", "--model", "fashion",
                "--limit", "50", "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("Replaying fashion-mnist test (inputs 784, outputs 10, classification) to "
                + "eddy.in.fashion: 50 events, as fast as possible."), run.out);
        assertTrue(run.out.contains("./eddy admin create fashion --type ff --param inputs=784 --param outputs=10 "
                + "--bootstrap-servers " + broker.bootstrapServers()), run.out);
        assertTrue(run.out.contains("Sent 50 fashion-mnist events to eddy.in.fashion"), run.out);

        final FashionMnist test = FashionMnist.load(FashionMnist.TEST);
        final List<ConsumerRecord<String, byte[]>> records = readAll(topic, 1);
        assertEquals(50, records.size());
        for (int i = 0; i < records.size(); i++) {
            final ConsumerRecord<String, byte[]> record = records.get(i);
            assertEquals("test-" + i, record.key());
            final JsonNode event = MAPPER.readTree(record.value());
            assertEquals("e" + i, event.get("id").asText());
            assertEquals(test.label(i), event.get("label").intValue(), record.key());
            final JsonNode x = event.get("x");
            assertEquals(784, x.size(), record.key());
            for (int p = 0; p < 784; p++) {
                assertEquals(test.pixel(i, p), (float) x.get(p).doubleValue(), record.key() + " pixel " + p);
            }
        }
    }

    @Test
    void shouldFailInOneLineWhenTheTopicIsMissing() {
        final Run run = run("replay", "--task", "trace-conditioning", "--model", "absent", "--limit", "10",
                "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(1, run.code, run.out + run.err);
        assertEquals(List.of("eddy: topic eddy.in.absent does not exist: create the model first (it creates its input "
                + "topic), or name an existing topic with --topic"), run.err.strip().lines().toList());
        assertTrue(run.out.contains("./eddy admin create absent --type rtrl --param inputs=6 --param outputs=1 "
                + "--param task=regression"), run.out);
    }

    @Test
    void shouldPutExactlyTheLimitOnTheModelsInputTopicKeyedByEntity() throws Exception {
        final String topic = "eddy.in.recall";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        final Run run = run("replay", "--task", "delayed-recall", "--delay", "5", "--keys", "4", "--model", "recall",
                "--limit", "100", "--bootstrap-servers", broker.bootstrapServers());
        assertEquals(0, run.code, run.out + run.err);
        assertTrue(run.out.contains("./eddy admin create recall --type rtrl --param inputs=6 --param outputs=4 "
                + "--param task=classification"), run.out);
        assertTrue(run.out.contains("Sent 100 delayed-recall events to eddy.in.recall"), run.out);

        final List<ConsumerRecord<String, byte[]>> records = readAll(topic, 3);
        assertEquals(100, records.size());
        final Set<String> keys = new HashSet<>();
        int labelled = 0;
        for (final ConsumerRecord<String, byte[]> record : records) {
            keys.add(record.key());
            final JsonNode event = MAPPER.readTree(record.value());
            assertEquals(6, event.get("x").size(), event.toString());
            labelled += event.has("label") ? 1 : 0;
        }
        assertEquals(Set.of("0", "1", "2", "3"), keys);
        assertEquals(16, labelled, "one recall in every 6 steps of each of the 4 entities (25 steps each)");
    }

    private static String firstLine(final String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    @Test
    void shouldStopAtOnceWhileWaitingForTheNextEventAtASlowRate() throws Exception {
        final String topic = "eddy.in.slow";
        final Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            final ByteArrayOutputStream summary = new ByteArrayOutputStream();
            // one event every 20 s: the first at once, then a wait that stop() must cut short
            final Replay replay = new Replay(client, topic, DelayedRecall.builder(5).events(1_000).build(), 0.05,
                    new PrintStream(summary, true, StandardCharsets.UTF_8));
            final AtomicLong sent = new AtomicLong(-1);
            final Thread thread = new Thread(() -> sent.set(replay.run()), "replay");
            thread.setDaemon(true);
            thread.start();
            while (admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                    .offset() < 1) {
                Thread.sleep(50);
            }
            replay.stop();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "run() still waiting for the next event after stop()");
            assertEquals(1, sent.get(), "no event is sent after stop(): " + summary);
            final String said = summary.toString(StandardCharsets.UTF_8);
            assertTrue(said.startsWith("Stopped after sending 1 "), said);
        }
    }
}
