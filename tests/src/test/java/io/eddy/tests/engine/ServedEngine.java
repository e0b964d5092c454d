package io.eddy.tests.engine;

import io.eddy.ops.http.EngineHttpServer;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.tests.support.SharedBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;

/**
 * An engine on the shared broker, reporting metrics every 300 ms and serving its dashboard and
 * {@code /metrics} on a free port, with an admin client and an event producer: what the HTTP tests
 * share. Closing it deletes the models it made and stops everything.
 */
final class ServedEngine implements AutoCloseable {
    final String bootstrap;
    final Engine engine;
    final EngineHttpServer http;
    final AdminClientForTests admin;
    final Events events;

    private ServedEngine(final String bootstrap, final Engine engine, final EngineHttpServer http,
                         final AdminClientForTests admin, final Events events) {
        this.bootstrap = bootstrap;
        this.engine = engine;
        this.http = http;
        this.admin = admin;
        this.events = events;
    }

    /** @param name names the engine's state folder; @param seed seeds its events */
    static ServedEngine start(final String name, final long seed) throws IOException {
        final String bootstrap = SharedBroker.bootstrapServers();
        final EngineConfig config = EngineConfig.of(bootstrap, Files.createTempDirectory(name))
                .withMetricsIntervalMs(300);
        final Engine engine = Engine.start(config);
        final EngineHttpServer http = EngineHttpServer.start(engine, config, new InetSocketAddress("localhost", 0));
        return new ServedEngine(bootstrap, engine, http, new AdminClientForTests(bootstrap),
                new Events(bootstrap, seed));
    }

    @Override
    public void close() {
        admin.deleteAllModels();
        events.close();
        admin.close();
        http.close();
        engine.close();
    }
}
