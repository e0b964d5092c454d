package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.errors.EddyException;
import io.eddy.ops.broker.EmbeddedBroker;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What happens to a model between its create and its delete, across engines that stop and fail. */
@Tag("integration")
class ModelLifecycleIT {
    private static final Duration WAIT = Duration.ofMinutes(2);

    /** An engine that was down while a model was deleted removes the model's local state when it starts. */
    @Test
    void shouldRemoveTheStateOfAModelDeletedWhileTheEngineWasDown() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        final Path stateA = Files.createTempDirectory("eddy-life-a");
        final Path stateB = Files.createTempDirectory("eddy-life-b");
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 7);
             Engine first = Engine.start(EngineConfig.of(bootstrap, stateA))) {
            final String application;
            try (Engine second = Engine.start(EngineConfig.of(bootstrap, stateB))) {
                application = admin.ok("{\"op\":\"create\",\"model\":\"orphan\",\"type\":\"ftrl\",\"partitions\":2}")
                        .get("applicationId").asText();
                final Predictions out = new Predictions(bootstrap, Topics.output("orphan"));
                Await.until(WAIT, () -> first.ownedPartitions("orphan") == 1 && second.ownedPartitions("orphan") == 1,
                        "each engine owns one partition");
                events.sendLabelled(Topics.input("orphan"), "o", 200);
                assertEquals(200, out.awaitCount(200, WAIT).size());
                out.close();
                assertTrue(Files.exists(stateB.resolve(application)), "the second engine keeps state of 'orphan'");
            }
            assertTrue(Files.exists(stateB.resolve(application)), "a closed engine leaves its state of 'orphan'");
            assertTrue(Files.exists(stateA.resolve(application)), "the first engine keeps state of 'orphan'");
            admin.ok("{\"op\":\"delete\",\"model\":\"orphan\"}");
            Await.until(WAIT, () -> !Files.exists(stateA.resolve(application)), "the running engine removes its state");
            assertTrue(Files.exists(stateB.resolve(application)), "the engine that is down cannot remove its state");
            try (Engine restarted = Engine.start(EngineConfig.of(bootstrap, stateB))) {
                Await.until(WAIT, () -> !Files.exists(stateB.resolve(application)),
                        "the engine that was down removes its state of the deleted model when it starts");
            }
        }
    }

    /**
     * A model whose application fails (its input topic deleted under it) stops alone; the next command for
     * it starts it again from its state, and it goes on learning.
     */
    @Test
    void shouldStartAFailedModelAgainOnTheNextCommandForIt() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 9);
             Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap));
             Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-life-f")))) {
            admin.ok("{\"op\":\"create\",\"model\":\"brittle\",\"type\":\"ftrl\"}");
            final Predictions out = new Predictions(bootstrap, Topics.output("brittle"));
            Await.until(WAIT, () -> engine.runningModels().contains("brittle"), "the model runs");
            events.sendLabelled(Topics.input("brittle"), "a", 100);
            assertEquals(100, out.awaitCount(100, WAIT).size());

            kafka.deleteTopics(List.of(Topics.input("brittle"))).all().get();
            Await.until(WAIT, () -> !engine.runningModels().contains("brittle"), "without its input the model fails");
            Await.until(WAIT, () -> created(kafka, Topics.input("brittle")), "the input topic exists again");

            admin.ok("{\"op\":\"pause\",\"model\":\"brittle\"}");
            admin.ok("{\"op\":\"resume\",\"model\":\"brittle\"}");
            Await.until(WAIT, () -> engine.runningModels().contains("brittle"), "the next command starts it again");
            events.sendLabelled(Topics.input("brittle"), "b", 100);
            final List<JsonNode> answers = out.awaitCount(200, WAIT);
            assertEquals(200, answers.size());
            assertEquals(199, answers.get(199).get("updates").asLong(), "it goes on from all it had learned: "
                    + answers.get(199));
            out.close();
            admin.deleteAllModels();
        }
    }

    /** A registry topic made by someone else without compaction would lose definitions: the engine refuses it. */
    @Test
    void shouldRefuseToStartOnARegistryThatIsNotCompacted() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(0, Files.createTempDirectory("eddy-life-broker"));
             Admin kafka = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            kafka.createTopics(List.of(new NewTopic(Topics.MODELS, 1, (short) 1))).all().get();
            final EddyException refused = assertThrows(EddyException.class, () -> Engine.start(
                    EngineConfig.of(broker.bootstrapServers(), Files.createTempDirectory("eddy-life-r"))));
            assertTrue(refused.getMessage().startsWith("topic eddy.models exists with cleanup.policy=delete; the "
                    + "model registry must be compacted"), refused.getMessage());
            // compacted and deleted still loses definitions older than the retention: refused too (it passed once)
            kafka.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODELS),
                    List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact,delete"),
                            AlterConfigOp.OpType.SET)))).all().get();
            final EddyException alsoRefused = assertThrows(EddyException.class, () -> Engine.start(
                    EngineConfig.of(broker.bootstrapServers(), Files.createTempDirectory("eddy-life-r"))));
            assertTrue(alsoRefused.getMessage().startsWith("topic eddy.models exists with "
                    + "cleanup.policy=compact,delete; the model registry must be compacted"), alsoRefused.getMessage());
        }
    }

    /** Creates {@code topic}; false while a deleted topic of that name is still being removed. */
    private static boolean created(final Admin kafka, final String topic) {
        try {
            kafka.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            return true;
        } catch (final ExecutionException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
