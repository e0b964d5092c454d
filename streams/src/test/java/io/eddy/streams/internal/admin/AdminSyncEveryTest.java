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

/** Review of {@code syncEvery} at the admin: fixed at create, two partitions or more, merging types only. */
class AdminSyncEveryTest {
    private final Map<String, Integer> cluster = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> admin;
    private TestOutputTopic<String, byte[]> replies;
    private int requests;

    @BeforeEach
    void setUp() {
        driver = AdminTestDriver.start("admin-sync-review", cluster, AdminTrust.standard());
        admin = AdminTestDriver.input(driver, Topics.ADMIN);
        replies = AdminTestDriver.output(driver, Topics.ADMIN_REPLIES);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private JsonNode send(final String json) {
        final String id = "r" + (++requests);
        admin.pipeInput(id, json.getBytes(StandardCharsets.UTF_8));
        final List<KeyValue<String, byte[]>> all = replies.readKeyValuesToList();
        assertEquals(1, all.size());
        return Json.MAPPER.valueToTree(Json.read(all.get(0).value, Map.class));
    }

    private String error(final String json) {
        final JsonNode reply = send(json);
        assertFalse(reply.get("ok").asBoolean(), () -> "expected an error for " + json);
        return reply.get("error").asText();
    }

    @Test
    void shouldTakeSyncEveryAtCreateOnlyForMergingTypesOfSeveralPartitions() {
        assertTrue(error("{\"op\":\"create\",\"model\":\"one\",\"type\":\"ftrl\",\"params\":{\"syncEvery\":10}}")
                .contains("several partitions"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"reco\",\"type\":\"mf\",\"partitions\":2,"
                + "\"params\":{\"syncEvery\":10}}").contains("unknown parameter 'syncEvery'"));
        final JsonNode created = send("{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\",\"partitions\":2,"
                + "\"params\":{\"syncEvery\":10}}");
        assertTrue(created.get("ok").asBoolean(), created.toString());
        final String sync = Topics.SYNC_PREFIX + "ctr." + created.get("result").get("incarnation").asLong();
        assertEquals(2, cluster.get(sync), "the replica topic, with the model's partitions");
        assertTrue(error("{\"op\":\"update\",\"model\":\"ctr\",\"params\":{\"syncEvery\":20}}")
                .contains("cannot change on a running model"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"inputTopic\":\"" + sync + "\"}")
                .contains("engine's own topics"));
        assertTrue(send("{\"op\":\"update\",\"model\":\"ctr\",\"params\":{\"alpha\":0.2}}").get("ok").asBoolean());
    }
}
