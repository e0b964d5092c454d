package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.errors.EddyException;
import io.eddy.ops.admin.AdminRequester;
import io.eddy.ops.cli.Main;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An engine that trusts one admin topic and one principal, on a real broker. */
@Tag("integration")
class AdminTrustIT {
    private static final String OPS_TOPIC = "eddy.admin.trust-it";
    private static final String OPS = "User:ops";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static String bootstrap;
    private static Engine engine;
    private static AdminRequester requester;

    @BeforeAll
    static void start() throws Exception {
        bootstrap = SharedBroker.bootstrapServers();
        engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-trust-it"))
                .withAdminTrust(new AdminTrust(List.of(OPS_TOPIC), Set.of(OPS))));
        requester = new AdminRequester(Map.of("bootstrap.servers", bootstrap));
    }

    @AfterAll
    static void stop() {
        for (final JsonNode model : send(OPS_TOPIC, OPS, "{\"op\":\"list\"}").get("result").get("models")) {
            send(OPS_TOPIC, OPS, "{\"op\":\"delete\",\"model\":\"" + model.get("name").asText() + "\"}");
        }
        requester.close();
        engine.close();
    }

    private static JsonNode send(final String topic, final String principal, final String json) {
        final String reply = requester.sendingTo(topic, principal).request(json, UUID.randomUUID().toString(), WAIT);
        return Predictions.parse(reply.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(final String topic, final String principal, final String json) {
        final JsonNode reply = send(topic, principal, json);
        assertFalse(reply.get("ok").asBoolean(), () -> json + " on " + topic + " as " + principal + " -> " + reply);
        return reply.get("error").asText();
    }

    @Test
    void shouldApplyTrustedCommandsAndRefuseOthersWithAReplyAndNoChange() throws Exception {
        final JsonNode created = send(OPS_TOPIC, OPS, "{\"op\":\"create\",\"model\":\"guarded\",\"type\":\"ftrl\"}");
        assertTrue(created.get("ok").asBoolean(), created::toString);
        Await.until(WAIT, () -> engine.runningModels().contains("guarded"), "the trusted create starts the model");

        assertTrue(refused(Topics.ADMIN, OPS, "{\"op\":\"delete\",\"model\":\"guarded\"}")
                .startsWith("admin commands on topic 'eddy.admin' are not accepted"));
        assertTrue(refused(OPS_TOPIC, "User:mallory", "{\"op\":\"pause\",\"model\":\"guarded\"}")
                .startsWith("principal 'User:mallory' is not trusted"));
        assertTrue(refused(OPS_TOPIC, null, "{\"op\":\"create\",\"model\":\"sneaky\",\"type\":\"ftrl\"}")
                .startsWith("admin command has no 'eddy.principal' header"));

        final JsonNode models = send(OPS_TOPIC, OPS, "{\"op\":\"list\"}").get("result").get("models");
        assertEquals(1, models.size(), models::toString);
        assertEquals("active", models.get(0).get("status").asText(), "the refused pause did not apply");
        assertEquals(1, models.get(0).get("generation").asInt());
        assertTrue(engine.runningModels().contains("guarded"), "the refused delete did not stop the model");
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            final Set<String> topics = kafka.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.contains(OPS_TOPIC), "the engine made its trusted admin topic");
            assertFalse(topics.contains(Topics.input("sneaky")), "the refused create made no topic");
        }
    }

    @Test
    void shouldSendToTheTrustedTopicAsAPrincipalFromTheCommandLine() {
        assertEquals(0, Main.execute("admin", "list", "--admin-topic", OPS_TOPIC, "--principal", OPS,
                "--bootstrap-servers", bootstrap));
        assertNotEquals(0, Main.execute("admin", "list", "--bootstrap-servers", bootstrap),
                "the standard topic is not trusted here: an error reply");
        assertNotEquals(0, Main.execute("admin", "list", "--admin-topic", OPS_TOPIC, "--bootstrap-servers",
                bootstrap), "no principal named: an error reply");
    }

    @Test
    void shouldRefuseToStartOnAnAdminTopicWithSeveralPartitions() throws Exception {
        try (Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            kafka.createTopics(List.of(new NewTopic("eddy.admin.trust-it-wide", 2, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        final EngineConfig wide = EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-trust-it-wide"))
                .withAdminTrust(new AdminTrust(List.of("eddy.admin.trust-it-wide"), Set.of()));
        assertEquals("admin topic 'eddy.admin.trust-it-wide' has 2 partitions; an admin topic must have exactly 1",
                assertThrows(EddyException.class, () -> Engine.start(wide)).getMessage());
    }
}
