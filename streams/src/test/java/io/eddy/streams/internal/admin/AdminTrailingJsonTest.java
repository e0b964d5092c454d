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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A command whose bytes are not one JSON object (trailing content) is refused and changes nothing. */
class AdminTrailingJsonTest {
    private final Map<String, Integer> cluster = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> admin;
    private TestOutputTopic<String, byte[]> replies;
    private TestOutputTopic<String, byte[]> models;
    private int requests;

    @BeforeEach
    void setUp() {
        driver = AdminTestDriver.start("admin-trailing", cluster, AdminTrust.standard());
        admin = AdminTestDriver.input(driver, Topics.ADMIN);
        replies = AdminTestDriver.output(driver, Topics.ADMIN_REPLIES);
        models = AdminTestDriver.output(driver, Topics.MODELS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private JsonNode send(final String json) {
        final String id = "r" + (++requests);
        admin.pipeInput(id, json.getBytes(StandardCharsets.UTF_8));
        final List<KeyValue<String, byte[]>> all = replies.readKeyValuesToList();
        assertEquals(1, all.size(), "exactly one reply per command");
        return Json.MAPPER.valueToTree(Json.read(all.get(0).value, Map.class));
    }

    @Test
    void shouldRefuseACommandWithTrailingContentAndChangeNothing() {
        assertTrue(send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}").get("ok").asBoolean());
        models.readRecordsToList();
        // two commands glued together, or a stray brace: not one JSON object, so malformed
        final JsonNode reply = send("{\"op\":\"delete\",\"model\":\"m\"} {\"op\":\"list\"}");
        assertFalse(reply.get("ok").asBoolean(), () -> "trailing content was accepted: " + reply);
        assertTrue(reply.get("error").asText().contains("malformed"), reply::toString);
        assertTrue(models.isEmpty(), "a malformed command must not touch the registry");
    }
}
