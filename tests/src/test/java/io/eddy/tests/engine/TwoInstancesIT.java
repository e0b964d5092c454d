package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two engine processes on one cluster split a model's partitions, and one takes over for the other. */
@Tag("integration")
class TwoInstancesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldSharePartitionsBetweenInstancesAndTakeOverOnStop() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 3);
             Engine second = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-two-b")))) {
            final Engine first = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-two-a")));
            admin.ok("{\"op\":\"create\",\"model\":\"shared\",\"type\":\"ftrl\",\"partitions\":4}");
            final Predictions out = new Predictions(bootstrap, Topics.output("shared"));
            try {
                Await.until(WAIT, () -> first.ownedPartitions("shared") == 2 && second.ownedPartitions("shared") == 2,
                        "each instance owns two of the four partitions");
                assertEquals(2, first.ownedPartitions("shared"));
                assertEquals(2, second.ownedPartitions("shared"));
                events.sendLabelled(Topics.input("shared"), "a", 400);
                assertEquals(400, out.awaitCount(400, WAIT).size());
            } finally {
                first.close();
            }
            Await.until(WAIT, () -> second.ownedPartitions("shared") == 4, "the survivor takes all partitions");
            events.sendLabelled(Topics.input("shared"), "b", 400);
            final List<JsonNode> all = out.awaitCount(800, WAIT);
            assertEquals(800, all.size());
            assertEquals(800, all.stream().map(p -> p.get("id").asText()).distinct().count());
            out.close();
            admin.deleteAllModels();
        }
    }
}
