package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.ops.cli.Main;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine on a real broker: admin round trips, models coming and going, bad input, failures. */
@Tag("integration")
class EngineIT {
    /** How long a wait may last before the test fails: generous, for a loaded 2-core machine; waits end early. */
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static String bootstrap;
    private static Path stateDir;
    private static Engine engine;
    private static AdminClientForTests admin;
    private static Events events;

    @BeforeAll
    static void start() throws Exception {
        bootstrap = SharedBroker.bootstrapServers();
        stateDir = Files.createTempDirectory("eddy-engine-it");
        engine = Engine.start(EngineConfig.of(bootstrap, stateDir).withMetricsIntervalMs(500));
        admin = new AdminClientForTests(bootstrap);
        events = new Events(bootstrap, 42);
    }

    @AfterAll
    static void stop() {
        admin.deleteAllModels();
        events.close();
        admin.close();
        engine.close();
    }

    @Test
    void shouldAnswerEveryAdminCommandExactlyOnce() throws Exception {
        final String create = "{\"op\":\"create\",\"model\":\"adm\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.3}}";
        assertEquals(0.3, admin.ok(create).get("params").get("alpha").asDouble());
        assertEquals("adm", admin.ok("{\"op\":\"describe\",\"model\":\"adm\"}").get("name").asText());
        assertTrue(admin.ok("{\"op\":\"list\"}").get("models").toString().contains("\"adm\""));
        assertEquals("paused", admin.ok("{\"op\":\"pause\",\"model\":\"adm\"}").get("status").asText());
        assertEquals("active", admin.ok("{\"op\":\"resume\",\"model\":\"adm\"}").get("status").asText());
        assertEquals(2, admin.ok("{\"op\":\"update\",\"model\":\"adm\",\"params\":{\"l2\":2}}")
                .get("generation").asInt());
        admin.ok("{\"op\":\"snapshot\",\"model\":\"adm\",\"snapshot\":\"first\"}");
        assertEquals(3, admin.ok("{\"op\":\"reset\",\"model\":\"adm\"}").get("generation").asInt());
        assertEquals(4, admin.ok("{\"op\":\"rollback\",\"model\":\"adm\",\"snapshot\":\"first\"}")
                .get("generation").asInt());

        assertTrue(admin.error("{\"op\":\"create\"").startsWith("malformed JSON"));
        assertTrue(admin.error("{\"op\":\"fly\"}").contains("unknown op"));
        assertTrue(admin.error("{\"op\":\"create\",\"model\":\"x\",\"type\":\"nope\"}")
                .contains("unknown learner type"));
        assertTrue(admin.error("{\"op\":\"create\",\"model\":\"x\",\"type\":\"ftrl\",\"params\":{\"hashBits\":40}}")
                .contains("hashBits"));
        assertTrue(admin.error("{\"op\":\"create\",\"model\":\"x\",\"type\":\"ftrl\",\"params\":{\"speed\":1}}")
                .contains("unknown parameter 'speed'"));
        assertTrue(admin.error(create).contains("already exists"));
        assertTrue(admin.error("{\"op\":\"create\",\"model\":\"wide\",\"type\":\"ftrl\",\"replicationFactor\":3}")
                .contains("eddy.in.wide"), "a replication factor the cluster cannot meet is refused");
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            assertTrue(topicNames(kafka).stream().noneMatch(t -> t.contains("wide")), "and creates no topic");
            final String control = admin.ok("{\"op\":\"describe\",\"model\":\"adm\"}").get("controlTopic").asText();
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, control);
            assertEquals("-1", kafka.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource)
                    .get("retention.ms").value(), "a control topic keeps its messages for good");
        }
        assertTrue(admin.error("{\"op\":\"describe\",\"model\":\"ghost\"}").contains("no model named 'ghost'"));
        assertTrue(admin.error("{\"op\":\"update\",\"model\":\"adm\",\"params\":{\"alpha\":0}}").contains("alpha"));
        assertEquals(2, admin.ok("{\"op\":\"describe\",\"model\":\"adm\"}").get("params").get("l2").asInt(),
                "a rejected update changes nothing");
        assertEquals(4, admin.ok("{\"op\":\"describe\",\"model\":\"adm\"}").get("generation").asInt());

        final Map<String, Integer> repliesPerRequest = new HashMap<>();
        try (Predictions replies = new Predictions(bootstrap, Topics.ADMIN_REPLIES)) {
            // every reply arrives however slow the machine; then a quiet second more would show a duplicate
            replies.awaitUntil(seen -> seen.stream().map(reply -> reply.path("requestId").asText())
                    .collect(Collectors.toSet()).containsAll(admin.requestIds()), WAIT);
            for (final JsonNode reply : replies.drain(Duration.ofSeconds(1))) {
                repliesPerRequest.merge(reply.get("requestId").asText(), 1, Integer::sum);
            }
        }
        for (final String requestId : admin.requestIds()) {
            assertEquals(1, repliesPerRequest.getOrDefault(requestId, 0), "replies to " + requestId);
        }
    }

    @Test
    void shouldDriveTheAdminTopicFromTheCommandLine() {
        assertEquals(0, Main.execute("admin", "create", "cli", "--type", "ftrl", "--param", "alpha=0.25",
                "--partitions", "2", "--backend", "CPU", "--bootstrap-servers", bootstrap));
        final JsonNode described = admin.ok("{\"op\":\"describe\",\"model\":\"cli\"}");
        assertEquals(0.25, described.get("params").get("alpha").asDouble());
        assertEquals("cpu", described.get("backend").asText());
        assertEquals(2, described.get("partitions").asInt());
        assertEquals(1, Main.execute("admin", "update", "cli", "--param", "hashBits=8", "--bootstrap-servers",
                bootstrap), "an error reply exits with 1");
        assertEquals(1, Main.execute("admin", "update", "cli", "--param", "alpha=fast", "--bootstrap-servers",
                bootstrap), "a name where a number is due gets an error reply: exit 1");
        assertEquals(2, Main.execute("admin", "update", "cli", "--param", "alpha", "--bootstrap-servers",
                bootstrap), "a usage error exits with 2");
        assertEquals(0, Main.execute("admin", "snapshot", "cli", "v1", "--bootstrap-servers", bootstrap));
        assertEquals(0, Main.execute("admin", "raw", "{\"op\":\"rollback\",\"model\":\"cli\",\"snapshot\":\"v1\"}",
                "--bootstrap-servers", bootstrap));
        assertEquals(2, admin.ok("{\"op\":\"describe\",\"model\":\"cli\"}").get("generation").asInt());
    }

    @Test
    void shouldServeAModelCreatedAtRunTimeAndRemoveADeletedOne() throws Exception {
        final JsonNode created = admin.ok("{\"op\":\"create\",\"model\":\"live\",\"type\":\"ftrl\",\"partitions\":2}");
        final String applicationId = created.get("applicationId").asText();
        events.sendLabelled(Topics.input("live"), "e", 300);
        try (Predictions out = new Predictions(bootstrap, Topics.output("live"))) {
            final List<JsonNode> predictions = out.awaitCount(300, WAIT);
            assertEquals(300, predictions.size());
            assertEquals(300, predictions.stream().map(p -> p.get("id").asText()).distinct().count());
            assertTrue(predictions.stream().allMatch(p -> p.get("model").asText().equals("live")
                    && p.get("generation").asInt() == 1 && p.has("loss")));
        }
        assertTrue(engine.runningModels().contains("live"));
        assertTrue(Files.exists(stateDir.resolve(applicationId)), "the model keeps local RocksDB state");

        admin.ok("{\"op\":\"delete\",\"model\":\"live\"}");
        Await.until(WAIT, () -> !engine.runningModels().contains("live"), "model 'live' stops");
        Await.until(WAIT, () -> !Files.exists(stateDir.resolve(applicationId)), "local state of 'live' removed");
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Await.until(WAIT, () -> topicNames(kafka).stream().noneMatch(t -> t.startsWith(applicationId)
                    || t.startsWith("eddy.control.live.")), "changelog and control topics of 'live' deleted");
        }
        assertTrue(admin.error("{\"op\":\"describe\",\"model\":\"live\"}").contains("no model"));
    }

    @Test
    void shouldDeadLetterPoisonPillsAndStillPredictAndLearnEveryValidEvent() {
        admin.ok("{\"op\":\"create\",\"model\":\"poison\",\"type\":\"ftrl\"}");
        final String topic = Topics.input("poison");
        final String[] pills = {
            "{\"id\":\"p\",\"features\":{\"x\":1e999},\"label\":1}",
            "not json at all",
            "{\"id\":\"p\",\"features\":{\"x\":[1]},\"label\":1}",
            "{\"features\":{\"x\":1},\"label\":1}",
            "{\"id\":\"p\",\"features\":{\"x\":1},\"label\":5}",
        };
        int valid = 0;
        for (int i = 0; i < 250; i++) {
            if (i % 10 == 5) {
                events.send(topic, "k" + i, pills[(i / 10) % pills.length]);
            } else {
                events.send(topic, "k" + i, events.labelled("v" + valid++));
            }
        }
        events.flush();
        final int rejected = 250 - valid;
        try (Predictions out = new Predictions(bootstrap, Topics.output("poison"))) {
            final List<JsonNode> predictions = out.awaitCount(valid, WAIT);
            assertEquals(valid, predictions.size(), "every valid event is predicted");
            assertEquals(valid - 1, predictions.get(predictions.size() - 1).get("updates").asInt(),
                    "every valid labelled event was learned, in order");
        }
        try (Predictions dlq = new Predictions(bootstrap, Topics.DLQ)) {
            dlq.awaitUntil(seen -> seen.stream().filter(letter -> letter.path("model").asText().equals("poison"))
                    .count() >= rejected, WAIT);
            final List<JsonNode> letters = dlq.drain(Duration.ofSeconds(2)).stream()
                    .filter(letter -> letter.get("model").asText().equals("poison")).toList();
            assertEquals(rejected, letters.size());
            for (final JsonNode letter : letters) {
                assertEquals(topic, letter.get("topic").asText());
                assertFalse(letter.get("reason").asText().isBlank());
                final String original = new String(Base64.getDecoder().decode(letter.get("original").asText()),
                        StandardCharsets.UTF_8);
                assertTrue(List.of(pills).contains(original), original);
            }
        }
    }

    @Test
    void shouldKeepServingOtherModelsWhenOneFails() throws Exception {
        admin.ok("{\"op\":\"create\",\"model\":\"fragile\",\"type\":\"ftrl\"}");
        admin.ok("{\"op\":\"create\",\"model\":\"sturdy\",\"type\":\"ftrl\"}");
        Await.until(WAIT, () -> engine.runningModels().containsAll(Set.of("fragile", "sturdy")), "both run");
        // its input topic deleted under it, the model's application fails
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            kafka.deleteTopics(List.of(Topics.input("fragile"))).all().get(10, TimeUnit.SECONDS);
        }
        Await.until(WAIT, () -> !engine.runningModels().contains("fragile"), "the broken model stops");
        events.sendLabelled(Topics.input("sturdy"), "s", 50);
        try (Predictions out = new Predictions(bootstrap, Topics.output("sturdy"))) {
            assertEquals(50, out.awaitCount(50, WAIT).size(), "the other model goes on");
        }
        assertTrue(engine.runningModels().contains("sturdy"));
    }

    @Test
    void shouldPublishMetricsPerModel() {
        admin.ok("{\"op\":\"create\",\"model\":\"metered\",\"type\":\"ftrl\"}");
        events.sendLabelled(Topics.input("metered"), "m", 400);
        events.send(Topics.input("metered"), "k", "garbage");
        events.flush();
        try (Predictions metrics = new Predictions(bootstrap, Topics.METRICS)) {
            final JsonNode report = metrics.awaitMatch(m -> m.get("model").asText().equals("metered")
                    && m.get("seen").asInt() == 401, WAIT);
            assertNotNull(report, "a metrics record counting every event");
            assertEquals(400, report.get("learned").asInt());
            assertEquals(1, report.get("rejected").asInt());
            assertEquals(400, report.get("window").asInt());
            assertTrue(report.get("logLoss").asDouble() > 0 && report.get("auc").asDouble() > 0.5, report.toString());
            assertTrue(report.has("p50Ms") && report.has("p99Ms") && report.has("eventsPerSecond"));
        }
    }

    private static Set<String> topicNames(final Admin kafka) {
        try {
            return kafka.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
