package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.api.Topics;
import io.eddy.tests.support.SharedBroker;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** State, snapshots and rollbacks survive an engine restart, even onto an empty state folder. */
@Tag("integration")
class RestartIT {
    /** How long a wait may last before the test fails: generous, for a loaded 2-core machine; waits end early. */
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void shouldKeepStateSnapshotsAndRollbacksAcrossRestarts() throws Exception {
        final String bootstrap = SharedBroker.bootstrapServers();
        final String in = Topics.input("durable");
        Predictions out = null;
        try (AdminClientForTests admin = new AdminClientForTests(bootstrap);
             Events events = new Events(bootstrap, 7)) {
            final JsonNode atSnapshot;
            try (Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-r1")))) {
                admin.ok("{\"op\":\"create\",\"model\":\"durable\",\"type\":\"ftrl\",\"params\":{\"l1\":0}}");
                out = new Predictions(bootstrap, Topics.output("durable"));
                events.sendLabelled(in, "a", 500);
                atSnapshot = probe(events, out, "p1");
                assertEquals(500, atSnapshot.get("updates").asInt());
                admin.ok("{\"op\":\"snapshot\",\"model\":\"durable\",\"snapshot\":\"s1\"}");

                events.sendLabelled(in, "b", 500);
                final JsonNode later = probe(events, out, "p2");
                assertEquals(1000, later.get("updates").asInt());
                assertNotEquals(atSnapshot.get("probability").asDouble(), later.get("probability").asDouble());

                assertEquals(2, admin.ok("{\"op\":\"rollback\",\"model\":\"durable\",\"snapshot\":\"s1\"}")
                        .get("generation").asInt());
                final JsonNode rolledBack = probe(events, out, "p3");
                assertEquals(2, rolledBack.get("generation").asInt());
                assertEquals(500, rolledBack.get("updates").asInt());
                assertEquals(atSnapshot.get("probability").asDouble(), rolledBack.get("probability").asDouble(), 0.0);
            }
            // a new process with an empty state folder must rebuild everything from the changelog
            try (Engine engine = Engine.start(EngineConfig.of(bootstrap, Files.createTempDirectory("eddy-r2")))) {
                final JsonNode restored = probe(events, out, "p4");
                assertEquals(2, restored.get("generation").asInt());
                assertEquals(500, restored.get("updates").asInt());
                assertEquals(atSnapshot.get("probability").asDouble(), restored.get("probability").asDouble(), 0.0);

                events.sendLabelled(in, "c", 10);
                assertEquals(510, probe(events, out, "p5").get("updates").asInt(), "learning goes on from there");
                assertEquals(2, admin.ok("{\"op\":\"rollback\",\"model\":\"durable\",\"snapshot\":\"s1\"}")
                        .get("generation").asInt() - 1, "the snapshot itself survived the restart too");
                assertEquals(500, probe(events, out, "p6").get("updates").asInt());
                admin.deleteAllModels();
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
    }

    private static JsonNode probe(final Events events, final Predictions out, final String id) {
        events.send(Topics.input("durable"), "probe", Events.probe(id));
        events.flush();
        final JsonNode answer = out.awaitMatch(p -> p.get("id").asText().equals(id), WAIT);
        assertNotNull(answer, "prediction for " + id);
        return answer;
    }
}
