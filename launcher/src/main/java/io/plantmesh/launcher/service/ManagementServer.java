package io.plantmesh.launcher.service;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The management endpoint every service process serves (Kubernetes probes, Prometheus): {@code /health/live} (200
 * while the process runs), {@code /health/ready} (200 once the service has started, 503 before and after) and
 * {@code /metrics} (Prometheus text format: the service's counters as {@code plantmesh_<service>_<counter>}).
 */
final class ManagementServer implements AutoCloseable {

    private final HttpServer server;
    private final String service;
    private volatile boolean ready;
    private volatile Supplier<Map<String, Long>> metrics = Map::of;

    private ManagementServer(final HttpServer server, final String service) {
        this.server = server;
        this.service = service;
    }

    /** Starts on {@code host:port} (0 = a free port). */
    static ManagementServer start(final String host, final int port, final String service) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new ServiceException("The management endpoint could not listen on " + host + ":" + port + ": "
                    + e.getMessage() + ". Choose another port with management.port (PLANTMESH_MANAGEMENT_PORT), or -1"
                    + " for none.", e);
        }
        final ManagementServer management = new ManagementServer(server, service);
        server.createContext("/health/live", exchange -> management.respond(exchange, 200, "{\"status\":\"UP\"}",
                "application/json"));
        server.createContext("/health/ready", exchange -> management.respond(exchange, management.ready ? 200 : 503,
                management.ready ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}", "application/json"));
        server.createContext("/metrics", exchange -> management.respond(exchange, 200, management.prometheus(),
                "text/plain; version=0.0.4; charset=utf-8"));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "management-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return management;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void ready(final boolean isReady) {
        this.ready = isReady;
    }

    void metrics(final Supplier<Map<String, Long>> source) {
        this.metrics = source;
    }

    String prometheus() {
        final StringBuilder text = new StringBuilder();
        final String prefix = "plantmesh_" + sanitize(service) + "_";
        text.append("# TYPE ").append(prefix).append("up gauge\n").append(prefix).append("up ")
                .append(ready ? 1 : 0).append('\n');
        final Map<String, Long> values;
        try {
            values = new TreeMap<>(metrics.get());
        } catch (RuntimeException e) {
            return text.toString();
        }
        values.forEach((name, value) -> text.append(prefix).append(sanitize(name)).append(' ').append(value)
                .append('\n'));
        return text.toString();
    }

    private static String sanitize(final String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private void respond(final HttpExchange exchange, final int status, final String body, final String type)
            throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
