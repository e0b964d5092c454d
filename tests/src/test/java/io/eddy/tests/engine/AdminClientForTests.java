package io.eddy.tests.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.ops.admin.AdminRequester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sends admin commands the way {@code eddy admin} does and checks the replies. */
final class AdminClientForTests implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private final String bootstrap;
    private final List<String> requestIds = new ArrayList<>();
    private AdminRequester requester;

    /** Connects on first use, so it may be made before an engine has created the admin topics. */
    AdminClientForTests(final String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Sends {@code json}; returns the reply. */
    JsonNode send(final String json) {
        if (requester == null) {
            requester = new AdminRequester(Map.of("bootstrap.servers", bootstrap));
        }
        final String requestId = UUID.randomUUID().toString();
        requestIds.add(requestId);
        final JsonNode reply = Predictions.parse(requester.request(json, requestId, TIMEOUT)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertNotNull(reply.get("ok"), reply::toString);
        return reply;
    }

    /** Sends {@code json}, asserts success and returns the reply's result. */
    JsonNode ok(final String json) {
        final JsonNode reply = send(json);
        assertTrue(reply.get("ok").asBoolean(), () -> json + " -> " + reply);
        return reply.get("result");
    }

    /** Sends {@code json}, asserts it was rejected and returns the error message. */
    String error(final String json) {
        final JsonNode reply = send(json);
        assertFalse(reply.get("ok").asBoolean(), () -> json + " -> " + reply);
        return reply.get("error").asText();
    }

    /** Deletes every model, so later test classes start engines with an empty registry. */
    void deleteAllModels() {
        for (final JsonNode model : ok("{\"op\":\"list\"}").get("models")) {
            ok("{\"op\":\"delete\",\"model\":\"" + model.get("name").asText() + "\"}");
        }
    }

    List<String> requestIds() {
        return List.copyOf(requestIds);
    }

    @Override
    public void close() {
        if (requester != null) {
            requester.close();
        }
    }
}
