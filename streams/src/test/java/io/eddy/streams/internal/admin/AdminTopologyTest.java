package io.eddy.streams.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminTopologyTest {
    /** Topics as the handler's fake cluster knows them: name to partition count. */
    private final Map<String, Integer> cluster = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> admin;
    private TestOutputTopic<String, byte[]> replies;
    private TestOutputTopic<String, byte[]> models;
    private int requests;

    @BeforeEach
    void setUp() {
        driver = AdminTestDriver.start("admin-test", cluster, AdminTrust.standard());
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
        assertEquals(id, all.get(0).key);
        final JsonNode reply = Json.MAPPER.valueToTree(Json.read(all.get(0).value, Map.class));
        assertEquals(id, reply.get("requestId").asText());
        return reply;
    }

    private String error(final String json) {
        models.readRecordsToList();
        final JsonNode reply = send(json);
        assertFalse(reply.get("ok").asBoolean(), () -> "expected an error for " + json);
        assertTrue(models.isEmpty(), "a rejected command must not touch the registry");
        return reply.get("error").asText();
    }

    @Test
    void shouldCreateModelWithTopicsAndDefaults() {
        final JsonNode reply = send("{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.2},"
                + "\"partitions\":3}");
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        final JsonNode result = reply.get("result");
        assertEquals("eddy.in.ctr", result.get("inputTopic").asText());
        assertEquals(0.2, result.get("params").get("alpha").asDouble());
        assertEquals(20, result.get("params").get("hashBits").asInt());
        assertEquals(1, result.get("generation").asInt());
        assertEquals(1, result.get("replicationFactor").asInt(), "the engine's default, kept for the changelog");
        assertEquals(3, cluster.get("eddy.in.ctr"));
        assertEquals(3, cluster.get("eddy.out.ctr"));
        assertEquals(3, cluster.get(result.get("controlTopic").asText()));
        final TestRecord<String, byte[]> definition = models.readRecord();
        assertEquals("ctr", definition.key());
    }

    @Test
    void shouldTakeTheDriftDetectorsParametersForEveryType() {
        final JsonNode reply = send("{\"op\":\"create\",\"model\":\"seq\",\"type\":\"rtrl\","
                + "\"params\":{\"driftThreshold\":0}}");
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        assertEquals(0.0, reply.get("result").get("params").get("driftThreshold").asDouble());
        assertEquals(0.1, reply.get("result").get("params").get("driftDelta").asDouble(), "the default");
        final JsonNode updated = send("{\"op\":\"update\",\"model\":\"seq\",\"params\":{\"driftDelta\":0.5}}");
        assertTrue(updated.get("ok").asBoolean(), updated.toString());
        assertEquals(0.5, updated.get("result").get("params").get("driftDelta").asDouble());
        models.readRecordsToList();
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"driftThreshold\":-1}}")
                .contains("'driftThreshold'"));
    }

    @Test
    void shouldRecordTheComputeBackendAModelAsksForAndRejectUnknownOnes() {
        final JsonNode reply = send("{\"op\":\"create\",\"model\":\"gpu\",\"type\":\"ftrl\",\"backend\":\"CUDA\"}");
        assertTrue(reply.get("ok").asBoolean(), reply.toString());
        assertEquals("cuda", reply.get("result").get("backend").asText());
        final JsonNode plain = send("{\"op\":\"create\",\"model\":\"plain\",\"type\":\"ftrl\"}");
        assertNull(plain.get("result").get("backend"), "no backend asked for: the engine's applies");
        assertEquals("unknown compute backend 'tpu'; use one of auto, cpu, cuda",
                error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"backend\":\"tpu\"}"));
        assertEquals("'backend' must be a string",
                error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"backend\":1}"));
    }

    @Test
    void shouldUseExistingInputTopicWithItsPartitions() {
        cluster.put("clicks", 4);
        final JsonNode reply =
                send("{\"op\":\"create\",\"model\":\"ctr\",\"type\":\"ftrl\",\"inputTopic\":\"clicks\"}");
        assertEquals(4, reply.get("result").get("partitions").asInt());
        assertEquals(4, cluster.get("eddy.out.ctr"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"other\",\"type\":\"ftrl\",\"inputTopic\":\"clicks\","
                + "\"partitions\":2}").contains("exists with 4 partitions"));
    }

    @Test
    void shouldRejectBadCommandsWithReasonsAndChangeNothing() {
        assertTrue(error("{not json").startsWith("malformed JSON"));
        assertTrue(error("[1,2]").contains("JSON object"));
        assertTrue(error("{\"op\":\"explode\"}").contains("unknown op 'explode'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\"}").contains("missing field 'type'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"svm\"}")
                .contains("unknown learner type 'svm'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"gamma\":1}}")
                .contains("unknown parameter 'gamma'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"alpha\":-1}}")
                .contains("'alpha'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"alpha\":\"x\"}}")
                .contains("must be a number"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"bad name\",\"type\":\"ftrl\"}").contains("'model'"));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"color\":1}")
                .contains("unknown field 'color'"));
        assertTrue(error("{\"op\":\"pause\",\"model\":\"ghost\"}").contains("no model named 'ghost'"));
        assertTrue(error("{\"op\":\"describe\"}").contains("missing field 'model'"));
        // 2^64 + 1: read as a long it would wrap to 1
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"partitions\":18446744073709551617}")
                .contains("'partitions' must be a whole number in [1, "));
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"replicationFactor\":3}")
                .contains("replication factor 3"));
        // each size in range, their products past an int: no task could build the net
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ff\",\"params\":{\"inputs\":1000000,"
                + "\"batch\":4096,\"hidden\":1,\"layers\":1}}")
                .startsWith("a ff learner of these sizes cannot be built: its longest array would hold 8.19e+09 "
                        + "elements")); // a training step's input rows: 2 × 4096 events of 1,000,010
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"rtrl\",\"params\":{\"inputs\":1000,"
                + "\"hidden\":4096,\"stages\":64}}").contains("cannot be built"));
        // each in range, together past Adam's condition
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"rtrl\",\"params\":{\"beta1\":0.99,"
                + "\"beta2\":0.9}}").contains("Adam needs beta1² < √beta2"));
        assertTrue(cluster.isEmpty(), "no topic may be created for a rejected command");
        assertEquals(1, send("{\"op\":\"create\",\"model\":\"first\",\"type\":\"ftrl\"}").get("result")
                .get("incarnation").asInt(), "a rejected create hands out no incarnation");

        send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}");
        models.readRecordsToList();
        assertTrue(error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}").contains("already exists"));
        assertTrue(error("{\"op\":\"update\",\"model\":\"m\",\"params\":{\"hashBits\":10}}").contains("cannot change"));
        assertTrue(error("{\"op\":\"update\",\"model\":\"m\",\"params\":{}}").contains("at least one"));
        assertTrue(error("{\"op\":\"resume\",\"model\":\"m\"}").contains("not paused"));
        assertTrue(error("{\"op\":\"rollback\",\"model\":\"m\",\"snapshot\":\"v9\"}").contains("no snapshot"));
        // a field named twice: which value counts would be up to the reader ({"op":"list","op":"delete"} was
        // once read as the delete)
        assertTrue(error("{\"op\":\"list\",\"op\":\"delete\",\"model\":\"m\"}").contains("Duplicate field 'op'"));
        assertTrue(error("{\"op\":\"delete\",\"model\":\"keep\",\"model\":\"m\"}").contains("Duplicate field"));
        assertEquals("active", send("{\"op\":\"describe\",\"model\":\"m\"}").get("result").get("status").asText());
    }

    /** A model whose control topic was deleted by hand cannot be told of a change: the change is refused. */
    @Test
    void shouldRefuseAChangeAModelsTasksCannotBeToldOf() {
        final JsonNode created = send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}");
        final String control = created.get("result").get("controlTopic").asText();
        cluster.remove(control);
        models.readRecordsToList();
        assertEquals("model 'm' has lost its control topic '" + control + "'; its tasks cannot be told of changes: "
                + "delete the model and create it again", error("{\"op\":\"pause\",\"model\":\"m\"}"));
        assertEquals("active", send("{\"op\":\"describe\",\"model\":\"m\"}").get("result").get("status").asText());
        assertTrue(send("{\"op\":\"delete\",\"model\":\"m\"}").get("ok").asBoolean(), "it can still be deleted");
    }

    @Test
    void shouldRefuseTheEnginesOwnTopicsAsAModelsInputOrOutput() {
        for (final String topic : List.of(Topics.ADMIN, Topics.ADMIN_REPLIES, Topics.MODELS, Topics.METRICS,
                Topics.DLQ, "eddy.control.other.1", "eddy-model-other-1-model-state-changelog",
                "eddy-admin-eddy-registry-changelog", "__consumer_offsets")) {
            assertEquals("'" + topic + "' is one of the engine's own topics, not a model's input or output",
                    error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"outputTopic\":\"" + topic + "\"}"));
            assertEquals("'" + topic + "' is one of the engine's own topics, not a model's input or output",
                    error("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"inputTopic\":\"" + topic + "\"}"));
        }
        assertTrue(cluster.isEmpty(), "no topic may be created for a refused command");
        assertTrue(send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"outputTopic\":\"eddy.out.other\"}")
                .get("ok").asBoolean(), "a topic that merely starts like the engine's is a model's to use");
    }

    @Test
    void shouldRestoreTheSnapshotsParametersOnRollbackAsTheTasksDo() {
        send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\",\"params\":{\"alpha\":0.2}}");
        send("{\"op\":\"snapshot\",\"model\":\"m\",\"snapshot\":\"v1\"}");
        send("{\"op\":\"update\",\"model\":\"m\",\"params\":{\"alpha\":0.5}}");
        final JsonNode described = send("{\"op\":\"describe\",\"model\":\"m\"}").get("result");
        assertEquals(0.5, described.get("params").get("alpha").asDouble());
        assertEquals(0.2, described.get("snapshots").get(0).get("params").get("alpha").asDouble());
        final JsonNode rolledBack = send("{\"op\":\"rollback\",\"model\":\"m\",\"snapshot\":\"v1\"}").get("result");
        assertEquals(0.2, rolledBack.get("params").get("alpha").asDouble());
        // a later update starts from the restored parameters, not from those before the rollback
        final JsonNode updated = send("{\"op\":\"update\",\"model\":\"m\",\"params\":{\"l1\":0.1}}").get("result");
        assertEquals(0.2, updated.get("params").get("alpha").asDouble());
        assertEquals(0.1, updated.get("params").get("l1").asDouble());
    }

    @Test
    void shouldBumpGenerationOnUpdateResetAndRollbackOnly() {
        send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}");
        assertEquals(1, send("{\"op\":\"pause\",\"model\":\"m\"}").get("result").get("generation").asInt());
        assertEquals("paused", send("{\"op\":\"describe\",\"model\":\"m\"}").get("result").get("status").asText());
        assertEquals(1, send("{\"op\":\"resume\",\"model\":\"m\"}").get("result").get("generation").asInt());
        assertEquals(1, send("{\"op\":\"snapshot\",\"model\":\"m\",\"snapshot\":\"v1\"}")
                .get("result").get("generation").asInt());
        assertTrue(error("{\"op\":\"snapshot\",\"model\":\"m\",\"snapshot\":\"v1\"}").contains("already has"));
        final JsonNode updated = send("{\"op\":\"update\",\"model\":\"m\",\"params\":{\"l1\":0.5}}").get("result");
        assertEquals(2, updated.get("generation").asInt());
        assertEquals(0.5, updated.get("params").get("l1").asDouble());
        assertEquals(3, send("{\"op\":\"reset\",\"model\":\"m\"}").get("result").get("generation").asInt());
        assertEquals(4, send("{\"op\":\"rollback\",\"model\":\"m\",\"snapshot\":\"v1\"}")
                .get("result").get("generation").asInt());
        final JsonNode list = send("{\"op\":\"list\"}").get("result").get("models");
        assertEquals(1, list.size());
        assertEquals(4, list.get(0).get("generation").asInt());
    }

    @Test
    void shouldDeleteWithTombstoneAndGiveARecreatedModelFreshIdentity() {
        final String firstApp = send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}")
                .get("result").get("applicationId").asText();
        models.readRecordsToList();
        assertTrue(send("{\"op\":\"delete\",\"model\":\"m\"}").get("ok").asBoolean());
        final TestRecord<String, byte[]> tombstone = models.readRecord();
        assertEquals("m", tombstone.key());
        assertNull(tombstone.value());
        assertEquals(0, send("{\"op\":\"list\"}").get("result").get("models").size());
        final String secondApp = send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}")
                .get("result").get("applicationId").asText();
        assertFalse(firstApp.equals(secondApp), "a re-created model must not reuse old state");
    }

    @Test
    void shouldTakeRequestIdFromJsonWhenKeyIsMissing() {
        admin.pipeInput((String) null, "{\"op\":\"list\",\"requestId\":\"abc\"}".getBytes(StandardCharsets.UTF_8));
        final KeyValue<String, byte[]> reply = replies.readKeyValue();
        assertEquals("abc", reply.key);
    }

    /** A command whose bytes are not one JSON object (trailing content) is refused and changes nothing. */
    @Test
    void shouldRefuseACommandWithTrailingContentAndChangeNothing() {
        assertTrue(send("{\"op\":\"create\",\"model\":\"m\",\"type\":\"ftrl\"}").get("ok").asBoolean());
        // two commands glued together: not one JSON object, so malformed (the delete was once applied)
        assertTrue(error("{\"op\":\"delete\",\"model\":\"m\"} {\"op\":\"list\"}").contains("malformed"));
    }
}
