package io.eddy.streams.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.AdminTrust;
import io.eddy.streams.api.Topics;
import io.eddy.streams.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model's definition goes whole into one registry record and its replies, and grows with every snapshot. Past
 * about 1 MiB Kafka refuses the record, the admin application's thread fails, and its replacement retried the
 * same command for ever: no admin command was answered again. A command that would leave a definition or a
 * reply too large for a record is refused instead, and changes nothing.
 */
class AdminRecordSizeTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> admin;
    private TestOutputTopic<String, byte[]> replies;
    private TestOutputTopic<String, byte[]> models;

    @BeforeEach
    void setUp() {
        driver = AdminTestDriver.start("size-test", new HashMap<>(), AdminTrust.standard());
        admin = AdminTestDriver.input(driver, Topics.ADMIN);
        replies = AdminTestDriver.output(driver, Topics.ADMIN_REPLIES);
        models = AdminTestDriver.output(driver, Topics.MODELS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldRefuseASnapshotThatWouldMakeTheDefinitionTooLargeForARecord() {
        send("{\"op\":\"create\",\"model\":\"big\",\"type\":\"ftrl\"}");
        final ModelDefinition created = Json.read(models.readValue(), ModelDefinition.class);
        // the registry as hundreds of accepted snapshots leave it: one more would pass the limit
        final List<ModelDefinition.SnapshotInfo> snapshots = new ArrayList<>();
        snapshots.add(snapshot(0, created));
        final int each = Json.bytes(withSnapshots(created, List.of(snapshot(0, created), snapshot(1, created)))).length
                - Json.bytes(withSnapshots(created, snapshots)).length;
        ModelDefinition grown = withSnapshots(created, snapshots);
        while (Json.bytes(grown).length + each <= AdminProcessor.MAX_DEFINITION_BYTES) {
            snapshots.add(snapshot(snapshots.size(), created));
            grown = withSnapshots(created, snapshots);
        }
        final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(AdminTopology.REGISTRY_STORE);
        store.put("big", Json.bytes(grown));

        final JsonNode refused = send("{\"op\":\"snapshot\",\"model\":\"big\",\"snapshot\":\"" + name(999_999)
                + "\"}");
        assertFalse(refused.get("ok").asBoolean(), refused.toString());
        assertTrue(refused.get("error").asText().startsWith("model 'big' would be described by "),
                refused.toString());
        assertTrue(models.isEmpty(), "no registry record for a refused command");
        assertEquals(snapshots.size(), Json.read(store.get("big"), ModelDefinition.class).snapshots().size());
        assertTrue(send("{\"op\":\"pause\",\"model\":\"big\"}").get("ok").asBoolean(), "the model still answers");
    }

    @Test
    void shouldRefuseAReplyTooLargeForARecordAndAnswerTheNextCommand() {
        final KeyValueStore<String, byte[]> store = driver.getKeyValueStore(AdminTopology.REGISTRY_STORE);
        send("{\"op\":\"create\",\"model\":\"m0\",\"type\":\"ftrl\"}");
        final ModelDefinition first = Json.read(models.readValue(), ModelDefinition.class);
        // more models than one list reply can name
        for (int m = 1; m < 20_000; m++) {
            store.put("m" + m, Json.bytes(first));
        }
        final JsonNode list = send("{\"op\":\"list\"}");
        assertFalse(list.get("ok").asBoolean());
        assertTrue(list.get("error").asText().startsWith("the reply would be "), list.toString());
        assertTrue(send("{\"op\":\"describe\",\"model\":\"m0\"}").get("ok").asBoolean());
    }

    private JsonNode send(final String json) {
        admin.pipeInput("r", json.getBytes(StandardCharsets.UTF_8));
        final List<byte[]> answers = replies.readValuesToList();
        assertEquals(1, answers.size(), "one reply");
        assertTrue(answers.get(0).length <= AdminProcessor.MAX_REPLY_BYTES, "a reply of " + answers.get(0).length);
        return Json.read(answers.get(0), JsonNode.class);
    }

    /** A snapshot as the command makes it: a 100-character name, a time with milliseconds. */
    private static ModelDefinition.SnapshotInfo snapshot(final int i, final ModelDefinition of) {
        return new ModelDefinition.SnapshotInfo(name(i), 1, "2026-01-01T00:00:00.000Z", of.params());
    }

    private static String name(final int i) {
        final String digits = Integer.toString(i);
        return "s".repeat(100 - digits.length()) + digits;
    }

    private static ModelDefinition withSnapshots(final ModelDefinition d,
                                                 final List<ModelDefinition.SnapshotInfo> snapshots) {
        return new ModelDefinition(d.name(), d.type(), d.params(), d.initialParams(), d.inputTopic(), d.outputTopic(),
                d.controlTopic(), d.applicationId(), d.partitions(), d.status(), d.generation(), d.incarnation(),
                List.copyOf(snapshots), d.createdAt(), d.updatedAt(), d.backend(), d.replicationFactor());
    }
}
