package io.eddy.ops.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eddy.streams.api.Engine;
import io.eddy.streams.api.EngineConfig;
import io.eddy.streams.internal.json.Json;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The engine's web side: a read-only dashboard of every model ({@code /}, {@code /model?name=M}, their
 * data at {@code /api/models}) and Prometheus' {@code /metrics}. No request changes anything, so no
 * token is asked for.
 *
 * <p>The JDK's own {@code com.sun.net.httpserver} serves it: a handful of GET routes need no framework,
 * it adds no dependency, and Prometheus' exporter ships a handler for exactly this server.
 */
public final class EngineHttpServer implements AutoCloseable {
    private static final String ASSETS = "io/eddy/ops/http/assets/";
    /** Requests served at once: pages, their polls every 2 s, and scrapes. */
    private static final int HANDLER_THREADS = 32;

    static {
        // the JDK's server waits for a request's head, and for a slow reader of its answer, without end unless
        // told otherwise (seconds; read once, when the first server of the process is made)
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "10");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "60");
        }
    }
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService threads;
    private final TopicFollower follower;
    private final Engine engine;
    private final ModelBoard board;
    private final String uplotRoot;
    private boolean closed;

    private EngineHttpServer(final Engine engine, final EngineConfig config, final InetSocketAddress address)
            throws IOException {
        this.engine = engine;
        // three intervals without a report: the task stopped (or moved and has not reported yet)
        this.board = new ModelBoard(3 * config.metricsIntervalMs() + 10_000);
        this.uplotRoot = "META-INF/resources/webjars/uplot/" + webjarVersion() + "/dist/";

        final PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        registry.register(new ModelMetricsCollector(board, System::currentTimeMillis));
        registry.register(new StreamsMetricsCollector(engine::streamsMetrics));

        // bound before the follower's consumer exists, so that a port in use leaves nothing open
        this.server = HttpServer.create(address, 0);
        final Map<String, Object> client = new HashMap<>(config.clientProperties());
        client.put("bootstrap.servers", config.bootstrapServers());
        try {
            this.follower = new TopicFollower(client, board);
        } catch (final RuntimeException e) {
            server.stop(0); // bound but never started: the port is free again
            throw e;
        }
        // the JDK's server reads a request's head on these threads: a few clients that never finish one held
        // all four there were, and nobody else was answered; idle threads end after a minute
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    final Thread thread = new Thread(runnable, "eddy-http");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
        server.setExecutor(threads);
        final MetricsHandler metrics = new MetricsHandler(registry);
        server.createContext("/metrics", exchange -> {
            if (readOnlyRefused(exchange)) {
                return;
            }
            metrics.handle(exchange);
        });
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on {@code address} (port 0: any free port) and following the engine's topics.
     *
     * @param engine the engine of this process, for which models run here and Kafka Streams' metrics
     * @param config its settings: the cluster to read {@code eddy.models} and {@code eddy.metrics} from
     */
    public static EngineHttpServer start(final Engine engine, final EngineConfig config,
                                         final InetSocketAddress address) {
        try {
            final EngineHttpServer http = new EngineHttpServer(engine, config, address);
            http.follower.start();
            http.server.start();
            return http;
        } catch (final IOException e) {
            throw new UncheckedIOException("could not serve the dashboard on port " + address.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The port served, useful when started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The dashboard's address on this machine. */
    public String url() {
        return "http://localhost:" + port() + "/";
    }

    /** Answers 405 to any method but GET and HEAD, and says whether it did: everything served here is read-only. */
    private static boolean readOnlyRefused(final HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD")) {
            return false;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8",
                "The dashboard is read-only.\n".getBytes(StandardCharsets.UTF_8));
        return true;
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try {
            if (readOnlyRefused(exchange)) {
                return;
            }
            final URI uri = exchange.getRequestURI();
            final String path = uri.getPath();
            if (path.equals("/")) {
                asset(exchange, ASSETS + "index.html");
            } else if (path.equals("/model")) {
                asset(exchange, ASSETS + "model.html");
            } else if (path.equals("/api/models")) {
                final Map<String, String> query = query(uri.getRawQuery());
                final long since = parseLong(query.get("since"));
                final byte[] body = Json.bytes(board.view(query.get("name"), since, engine.runningModels(),
                        System.currentTimeMillis()));
                send(exchange, 200, "application/json", body);
            } else if (path.startsWith("/assets/uplot/") && ASSET_NAME.matcher(path.substring(14)).matches()) {
                asset(exchange, uplotRoot + path.substring(14));
            } else if (path.startsWith("/assets/") && ASSET_NAME.matcher(path.substring(8)).matches()) {
                asset(exchange, ASSETS + path.substring(8));
            } else {
                notFound(exchange);
            }
        } catch (final RuntimeException e) {
            send(exchange, 500, "text/plain; charset=utf-8", (e + "\n").getBytes(StandardCharsets.UTF_8));
        } finally {
            exchange.close();
        }
    }

    private static void asset(final HttpExchange exchange, final String resource) throws IOException {
        try (InputStream in = EngineHttpServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                notFound(exchange);
                return;
            }
            final String extension = resource.substring(resource.lastIndexOf('.') + 1);
            send(exchange, 200, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes());
        }
    }

    private static void notFound(final HttpExchange exchange) throws IOException {
        send(exchange, 404, "text/plain; charset=utf-8", "Not found.\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        final boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(final String raw) {
        final Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (final String pair : raw.split("&")) {
                final int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return query;
    }

    private static String decode(final String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static long parseLong(final String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (final NumberFormatException e) {
            return 0;
        }
    }

    /** The uPlot webjar's version, so that upgrading it in the pom needs no change here. */
    private static String webjarVersion() throws IOException {
        try (InputStream in = EngineHttpServer.class.getClassLoader().getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IOException("the uPlot webjar is not on the class path");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }

    /** Stops serving and following; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        threads.shutdownNow();
        follower.close();
    }
}
