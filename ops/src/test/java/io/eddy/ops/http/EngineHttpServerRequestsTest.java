package io.eddy.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the dashboard's server must survive. The JDK's server reads a request (its line and headers) on the
 * handler's thread: with the four handler threads there once were and no time limit, a handful of connections
 * that sent nothing (or half a request) took every thread, and the page and /metrics answered nobody until
 * those clients went away.
 */
class EngineHttpServerRequestsTest {
    @BeforeAll
    static void quietLogging() {
        // as Main does, before the follower's Kafka client makes the first logger: tests of the command line that
        // run later in this JVM read the commands' stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }

    @TempDir
    Path stateDir;

    @Test
    void shouldStillAnswerWhileAFewClientsSendNothing() throws Exception {
        final EngineConfig config = EngineConfig.of("localhost:1", stateDir)
                .withClientProperties(Map.of("default.api.timeout.ms", 500, "request.timeout.ms", 500));
        final List<Socket> idle = new ArrayList<>();
        try (EngineHttpServer http = EngineHttpServer.start(new IdleEngine(), config,
                new InetSocketAddress("localhost", 0))) {
            for (int i = 0; i < 8; i++) {
                final Socket socket = new Socket("localhost", http.port());
                // half a request, the rest never comes (a slow or stuck client, or one holding the port on purpose)
                socket.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes());
                socket.getOutputStream().flush();
                idle.add(socket);
            }
            Thread.sleep(300);
            final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(http.url()))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        } finally {
            for (final Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** /metrics is read-only like the rest: a POST or DELETE there was answered 200. */
    @Test
    void shouldRefuseAnyMethodButGetAndHeadOnMetricsToo() throws Exception {
        final EngineConfig config = EngineConfig.of("localhost:1", stateDir)
                .withClientProperties(Map.of("default.api.timeout.ms", 500, "request.timeout.ms", 500));
        try (EngineHttpServer http = EngineHttpServer.start(new IdleEngine(), config,
                new InetSocketAddress("localhost", 0))) {
            final HttpClient client = HttpClient.newHttpClient();
            final URI metrics = URI.create(http.url() + "metrics");
            for (final String method : List.of("POST", "DELETE", "PUT")) {
                final HttpResponse<String> refused = client.send(HttpRequest.newBuilder(metrics)
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(405, refused.statusCode(), method);
                assertEquals("GET, HEAD", refused.headers().firstValue("Allow").orElse(""), method);
            }
            assertEquals(200, client.send(HttpRequest.newBuilder(metrics).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /** An engine running no model: all the server asks of it. */
    private static final class IdleEngine implements Engine {
        @Override
        public Set<String> runningModels() {
            return Set.of();
        }

        @Override
        public int ownedPartitions(final String model) {
            return 0;
        }

        @Override
        public Map<String, Map<MetricName, ? extends Metric>> streamsMetrics() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }
}
