package io.eddy.streams.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin application with a trust setting: trusted commands apply, others get an error and change nothing. */
class AdminTrustTopologyTest {
    private static final String OPS_TOPIC = "eddy.admin.ops";
    private final Map<String, Integer> cluster = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> trusted;
    private TestInputTopic<String, byte[]> standard;
    private TestOutputTopic<String, byte[]> replies;
    private TestOutputTopic<String, byte[]> models;
    private TestOutputTopic<String, byte[]> control;
    private int requests;

    @BeforeEach
    void setUp() {
        driver = AdminTestDriver.start("admin-trust-test", cluster,
                new AdminTrust(List.of(OPS_TOPIC), Set.of("User:ops")));
        trusted = AdminTestDriver.input(driver, OPS_TOPIC);
        standard = AdminTestDriver.input(driver, Topics.ADMIN);
        replies = AdminTestDriver.output(driver, Topics.ADMIN_REPLIES);
        models = AdminTestDriver.output(driver, Topics.MODELS);
        control = AdminTestDriver.output(driver, "eddy.control.ctr.1");
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private JsonNode send(final TestInputTopic<String, byte[]> topic, final String principal, final String json) {
        final String id = "r" + (++requests);
        final RecordHeaders headers = new RecordHeaders();
        if (principal != null) {
            headers.add(AdminTrust.PRINCIPAL_HEADER, principal.getBytes(StandardCharsets.UTF_8));
        }
        topic.pipeInput(new TestRecord<>(id, json.getBytes(StandardCharsets.UTF_8), headers));
        final List<TestRecord<String, byte[]>> all = replies.readRecordsToList();
        assertEquals(1, all.size(), "exactly one reply per command");
        assertEquals(id, all.get(0).key());
        return Json.read(all.get(0).value(), JsonNode.class);
    }

    /** Sends a command that must be refused, and checks that it left the registry and the model alone. */
    private String refused(final TestInputTopic<String, byte[]> topic, final String principal, final String json) {
        final JsonNode reply = send(topic, principal, json);
        assertFalse(reply.get("ok").asBoolean(), () -> "expected a refusal of " + json + ", got " + reply);
        assertTrue(models.isEmpty(), "a refused command must not touch the registry");
        assertTrue(control.isEmpty(), "a refused command must not reach the model");
        return reply.get("error").asText();
    }

    private JsonNode list() {
        final JsonNode reply = send(trusted, "User:ops", "{\"op\":\"list\"}");
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        return reply.get("result").get("models");
    }

    @Test
    void shouldApplyACommandFromATrustedTopicAndPrincipal() {
        final JsonNode reply = send(trusted, "User:ops", "{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\"}");
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        assertEquals("ctr", models.readRecord().key());
        assertEquals(1, cluster.get("eddy.in.ctr"));
        final JsonNode paused = send(trusted, "User:ops", "{\"op\":\"pause\",\"model\":\"ctr\"}");
        assertEquals("paused", paused.get("result").get("status").asText());
        assertEquals("pause", Json.read(control.readValue(), ControlMessage.class)
                .op());
    }

    @Test
    void shouldRefuseCommandsOnTheStandardTopicWhenOnlyAnotherIsTrusted() {
        assertTrue(refused(standard, "User:ops", "{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\"}")
                .startsWith("admin commands on topic 'eddy.admin' are not accepted"));
        assertTrue(cluster.isEmpty(), "a refused create makes no topic");
        assertEquals(0, list().size());
        assertTrue(refused(standard, null, "{\"op\":\"list\"}").contains("not accepted"),
                "even commands that change nothing are refused");
    }

    @Test
    void shouldRefuseCommandsFromUntrustedOrUnnamedPrincipals() {
        send(trusted, "User:ops", "{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\"}");
        models.readRecordsToList();
        assertEquals("principal 'User:mallory' is not trusted to send admin commands to this engine "
                + "(eddy engine --admin-principal)", refused(trusted, "User:mallory", "{\"op\":\"delete\","
                + "\"model\":\"ctr\"}"));
        assertTrue(refused(trusted, null, "{\"op\":\"reset\",\"model\":\"ctr\"}").contains("no 'eddy.principal'"));
        assertTrue(refused(trusted, "User:mallory", "{\"op\":\"update\",\"model\":\"ctr\",\"params\":{\"alpha\":9}}")
                .contains("not trusted"));
        final JsonNode described = send(trusted, "User:ops", "{\"op\":\"describe\",\"model\":\"ctr\"}")
                .get("result");
        assertEquals(1, described.get("generation").asInt(), "no refused command bumped the generation");
        assertEquals(0.1, described.get("params").get("alpha").asDouble());
        assertEquals("active", described.get("status").asText());
    }

    @Test
    void shouldRefuseAnUntrustedCommandBeforeReadingIt() {
        assertTrue(refused(trusted, "User:mallory", "{not json").contains("not trusted"),
                "the source is checked first: an untrusted sender learns nothing about the parser");
    }

    @Test
    void shouldTakeLearnerTypesByRegisteredNameOnlyNeverAsClassNames() {
        assertTrue(refused(trusted, "User:ops", "{\"op\":\"create\",\"model\":\"m\",\"type\":"
                + "\"io.eddy.learners.ftrl.FtrlType\"}").startsWith("unknown learner type"));
        assertTrue(refused(trusted, "User:ops", "{\"op\":\"create\",\"model\":\"m\",\"type\":\"java.lang.Runtime\"}")
                .startsWith("unknown learner type"));
        assertEquals("parameter 'alpha' must be a number or an option name", refused(trusted, "User:ops",
                "{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"alpha\":"
                        + "{\"@class\":\"java.lang.ProcessBuilder\"}}}"));
        assertTrue(cluster.isEmpty());
    }
}
