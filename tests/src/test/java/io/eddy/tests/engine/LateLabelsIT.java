package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Late labels on a real broker: a model of two partitions with {@code labelWaitSeconds} gets its labels
 * topic, partitioned as its input; events answered unlabelled are learned once their labels arrive there,
 * each answered a second time with its loss, and a label for no waiting event is a dead letter.
 */
@Tag("integration")
class LateLabelsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int EVENTS = 200;

    @Test
    void shouldLearnEachEventOnceItsLabelArrives() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 11);
             Admin kafka = Admin.create(Map.of("bootstrap.servers", bootstrap));
             Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-late")))) {
            admin.ok("{\"op\":\"create\",\"model\":\"late\",\"type\":\"ftrl\",\"partitions\":2,"
                    + "\"params\":{\"labelWaitSeconds\":600}}");
            assertEquals(2, kafka.describeTopics(List.of(Topics.labels("late"))).allTopicNames().get()
                    .get(Topics.labels("late")).partitions().size(), "the labels topic is partitioned as the input");
            for (int i = 0; i < EVENTS; i++) {
                events.send(Topics.input("late"), "u" + i % 10, "{\"id\":\"e" + i + "\",\"features\":{\"ad\":\"a\"}}");
            }
            events.flush();
            try (Predictions out = new Predictions(bootstrap, Topics.output("late"))) {
                assertEquals(EVENTS, out.awaitCount(EVENTS, WAIT).size());
                for (int i = 0; i < EVENTS; i++) {
                    events.send(Topics.labels("late"), "u" + i % 10, "{\"id\":\"e" + i + "\",\"label\":1}");
                }
                events.send(Topics.labels("late"), "u0", "{\"id\":\"e0\",\"label\":1}");
                events.flush();
                final List<JsonNode> answers = out.awaitCount(2 * EVENTS, WAIT);
                assertEquals(2 * EVENTS, out.drain(Duration.ofSeconds(2)).size(), "every event answered twice");
                final List<JsonNode> learned = answers.stream().filter(answer -> answer.has("loss")).toList();
                assertEquals(EVENTS, learned.size(), "each label learned once");
                assertEquals(EVENTS, learned.stream().map(answer -> answer.get("id").asText()).distinct().count());
                final long updates = learned.stream().mapToLong(answer -> answer.get("updates").asLong()).max()
                        .orElseThrow();
                assertTrue(updates >= EVENTS / 2 - 1, "the two replicas learned all of them: " + updates);
            }
            try (Predictions dlq = new Predictions(bootstrap, Topics.DLQ)) {
                final JsonNode letter = dlq.awaitMatch(l -> l.path("topic").asText().equals(Topics.labels("late")),
                        WAIT);
                assertTrue(letter != null && letter.get("reason").asText().startsWith("no event with id 'e0'"),
                        String.valueOf(letter));
            }
            admin.deleteAllModels();
        }
    }
}
