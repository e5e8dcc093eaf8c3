package io.plantmesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * Load driver for the embedded twin server: persisted feature-property updates per second over WebSocket (Ditto
 * protocol) and over HTTP, and the latency from a write to its event reaching a WebSocket subscriber, at a fixed rate.
 * Runs the durable embedded store and the twin server in this JVM on 127.0.0.1 (so driver and server share the
 * machine's cores), and writes a Markdown report.
 *
 * <p>Usage: {@code java -jar bench/target/plantmesh-bench.jar [seconds-per-phase] [report-file]}
 */
public final class TwinServerBenchmark {

    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));
    private static final int THINGS = 100;

    private final Vertx vertx = Vertx.vertx();
    private final int port;

    private TwinServerBenchmark(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path report = Path.of(args.length > 1 ? args[1] : "bench/results/twin-server.md");
        String phases = args.length > 2 ? args[2] : "ws,http,latency";
        Path dataDir = Files.createTempDirectory("plantmesh-bench");
        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            store.start();
            TwinServerConfig config = TwinServerConfig.defaults(store.connectionString()).withPort(0);
            try (TwinServer server = TwinServer.create(config)) {
                int port = server.start();
                TwinServerBenchmark bench = new TwinServerBenchmark(port);
                try {
                    bench.run(seconds, report, phases);
                } finally {
                    bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            deleteRecursively(dataDir);
        }
        System.exit(0);
    }

    private void run(int seconds, Path report, String phases) throws Exception {
        progress("provisioning " + THINGS + " twins");
        provision();
        List<String> rows = new ArrayList<>();

        progress("warm-up (5 s over WebSocket)");
        wsThroughput(4, 64, Duration.ofSeconds(5));

        int[][] wsShapes = {{1, 64}, {8, 64}, {8, 256}};
        List<double[]> wsResults = new ArrayList<>();
        for (int[] shape : phases.contains("ws") ? wsShapes : new int[0][]) {
            progress("WebSocket: " + shape[0] + " connections x " + shape[1] + " in flight, " + seconds + " s");
            double rate = wsThroughput(shape[0], shape[1], Duration.ofSeconds(seconds));
            wsResults.add(new double[] {shape[0], shape[1], rate});
            progress(String.format("  %.0f persisted updates/s", rate));
        }
        int[][] httpShapes = {{8, 8}, {32, 32}};
        List<double[]> httpResults = new ArrayList<>();
        for (int[] shape : phases.contains("http") ? httpShapes : new int[0][]) {
            progress("HTTP: " + shape[0] + " connections, " + shape[1] + " in flight, " + seconds + " s");
            double rate = httpThroughput(shape[0], shape[1], Duration.ofSeconds(seconds));
            httpResults.add(new double[] {shape[0], shape[1], rate});
            progress(String.format("  %.0f persisted updates/s", rate));
        }
        int[] rates = phases.contains("latency") ? new int[] {1000, 3000} : new int[0];
        List<long[]> latencyResults = new ArrayList<>();
        for (int rate : rates) {
            progress("event latency at " + rate + " updates/s for " + seconds + " s");
            long[] l = eventLatency(rate, Duration.ofSeconds(seconds));
            latencyResults.add(l);
            progress(String.format("  p50 %.2f ms, p99 %.2f ms, max %.2f ms, received %d of %d", l[1] / 1e6, l[2] / 1e6,
                    l[3] / 1e6, l[4], l[5]));
        }
        writeReport(report, seconds, wsResults, httpResults, rates, latencyResults);
        progress("report written to " + report);
    }

    // ------------------------------------------------------------------ provisioning

    private void provision() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setMaxPoolSize(8));
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < THINGS; i++) {
            JsonObject thing = new JsonObject()
                    .put("attributes", new JsonObject().put("line", "line-" + (i % 5)))
                    .put("features", new JsonObject().put("telemetry", new JsonObject()
                            .put("properties", new JsonObject().put("temperature", 20.0).put("seq", 0))));
            all.add(request(client, HttpMethod.PUT, "/api/2/things/bench:m-" + i, thing.encode()));
        }
        for (CompletableFuture<Integer> f : all) {
            int status = f.get(30, TimeUnit.SECONDS);
            if (status != 201 && status != 204) {
                throw new IllegalStateException("provisioning failed with HTTP " + status);
            }
        }
        client.close();
    }

    private static CompletableFuture<Integer> request(HttpClient client, HttpMethod method, String uri, String body) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        client.request(new RequestOptions().setMethod(method).setURI(uri).putHeader("Authorization", AUTH)
                        .putHeader("Content-Type", "application/json"))
                .compose(req -> req.send(Buffer.buffer(body)))
                .onSuccess(resp -> resp.body().onComplete(b -> result.complete(resp.statusCode())))
                .onFailure(result::completeExceptionally);
        return result;
    }

    // ------------------------------------------------------------------ WebSocket throughput

    private double wsThroughput(int connections, int window, Duration duration) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        List<WebSocket> sockets = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 20));
        for (int c = 0; c < connections; c++) {
            WebSocket ws = connect(client);
            sockets.add(ws);
            CompletableFuture<Void> finished = new CompletableFuture<>();
            done.add(finished);
            int connection = c;
            AtomicLong seq = new AtomicLong();
            AtomicLong inFlight = new AtomicLong();
            ws.textMessageHandler(text -> {
                JsonObject msg = new JsonObject(text);
                int status = msg.getInteger("status", 0);
                if (status == 204 || status == 201) ok.incrementAndGet(); else failed.incrementAndGet();
                inFlight.decrementAndGet();
                if (System.nanoTime() < deadline) {
                    inFlight.incrementAndGet();
                    ws.writeTextMessage(modifyCommand(connection, seq.incrementAndGet()));
                } else if (inFlight.get() == 0) {
                    finished.complete(null);
                }
            });
            for (int i = 0; i < window; i++) {
                inFlight.incrementAndGet();
                ws.writeTextMessage(modifyCommand(connection, seq.incrementAndGet()));
            }
        }
        long start = System.nanoTime();
        for (CompletableFuture<Void> f : done) {
            f.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (WebSocket ws : sockets) ws.close();
        client.close();
        if (failed.get() > 0) progress("  (" + failed.get() + " commands failed)");
        return ok.get() / elapsed;
    }

    private WebSocket connect(HttpClient client) throws Exception {
        return client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/2")
                        .addHeader("Authorization", AUTH))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String modifyCommand(int connection, long seq) {
        int thing = (int) ((connection * 7919L + seq) % THINGS);
        return new JsonObject()
                .put("topic", "bench/m-" + thing + "/things/twin/commands/modify")
                .put("headers", new JsonObject().put("correlation-id", connection + "-" + seq))
                .put("path", "/features/telemetry/properties/seq")
                .put("value", seq)
                .encode();
    }

    // ------------------------------------------------------------------ HTTP throughput

    private double httpThroughput(int connections, int window, Duration duration) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setMaxPoolSize(connections).setKeepAlive(true));
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        AtomicLong inFlight = new AtomicLong();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            long n = seq.incrementAndGet();
            int thing = (int) (n % THINGS);
            inFlight.incrementAndGet();
            request(client, HttpMethod.PUT, "/api/2/things/bench:m-" + thing + "/features/telemetry/properties/seq",
                    Long.toString(n)).whenComplete((status, e) -> {
                        if (e == null && status == 204) ok.incrementAndGet(); else failed.incrementAndGet();
                        long left = inFlight.decrementAndGet();
                        if (System.nanoTime() < deadline) next[0].run();
                        else if (left == 0) finished.complete(null);
                    });
        };
        long start = System.nanoTime();
        for (int i = 0; i < window; i++) next[0].run();
        finished.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        client.close();
        if (failed.get() > 0) progress("  (" + failed.get() + " requests failed)");
        return ok.get() / elapsed;
    }

    // ------------------------------------------------------------------ event latency

    /** Returns {count, p50, p99, max, received, sent} in nanoseconds. */
    private long[] eventLatency(int ratePerSecond, Duration duration) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 20));
        WebSocket subscriber = connect(client);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        subscriber.textMessageHandler(text -> {
            if (text.startsWith("START-SEND-EVENTS:ACK")) {
                acked.complete(null);
                return;
            }
            long now = System.nanoTime();
            JsonObject msg = new JsonObject(text);
            String correlation = msg.getJsonObject("headers", new JsonObject()).getString("correlation-id");
            Long t0 = correlation == null ? null : sentAt.remove(correlation);
            if (t0 != null && msg.getString("topic", "").contains("/things/twin/events/")) {
                latencies.add(now - t0);
            }
        });
        subscriber.writeTextMessage("START-SEND-EVENTS");
        acked.get(10, TimeUnit.SECONDS);
        WebSocket writer = connect(client);
        writer.textMessageHandler(text -> { });
        long total = ratePerSecond * duration.toSeconds();
        long periodNanos = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime();
        CompletableFuture<Void> sentAll = new CompletableFuture<>();
        AtomicLong sent = new AtomicLong();
        // a 1 ms timer sends whatever the schedule says is due, so the rate holds without a busy loop
        long timer = vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (System.nanoTime() - start) / periodNanos + 1);
            while (sent.get() < due) {
                long n = sent.incrementAndGet();
                String correlation = "lat-" + n;
                sentAt.put(correlation, System.nanoTime());
                int thing = (int) (n % THINGS);
                writer.writeTextMessage(new JsonObject()
                        .put("topic", "bench/m-" + thing + "/things/twin/commands/modify")
                        .put("headers", new JsonObject().put("correlation-id", correlation)
                                .put("response-required", false))
                        .put("path", "/features/telemetry/properties/temperature")
                        .put("value", 20.0 + (n % 100) / 10.0)
                        .encode());
            }
            if (sent.get() >= total) {
                sentAll.complete(null);
            }
        });
        sentAll.get(duration.toSeconds() + 30, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (latencies.size() < total && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        subscriber.close();
        writer.close();
        client.close();
        long[] sorted;
        synchronized (latencies) {
            sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (sorted.length == 0) {
            return new long[] {0, 0, 0, 0, 0, total};
        }
        return new long[] {sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1],
                sorted.length, total};
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // ------------------------------------------------------------------ report

    private static void writeReport(Path report, int seconds, List<double[]> ws, List<double[]> http, int[] rates,
            List<long[]> latency) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Twin server benchmark\n\n");
        md.append("Generated by `bench/run-twin-server.sh` (").append(TwinServerBenchmark.class.getName())
                .append(") on ").append(Instant.now()).append(".\n\n");
        md.append("## Machine\n\n");
        md.append("- CPU: ").append(MachineDescription.cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores available to the JVM\n");
        md.append("- Memory: ").append(MachineDescription.totalMemoryGiB()).append(" GiB; JVM max heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB\n");
        md.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        md.append("- Set-up: the durable embedded store (in-memory backend, write-ahead journal with group commit and "
                + "fsync) and the twin server run in the same JVM as the load driver, all on 127.0.0.1; driver and "
                + "server share the cores. ").append(THINGS).append(" twins; each update modifies one feature property "
                + "and is counted only when its response (204) says it is persisted; every update also appends an "
                + "event to the journal.\n");
        md.append("- Each phase runs ").append(seconds).append(" s after a 5 s warm-up.\n\n");
        md.append("## Persisted updates per second\n\n| transport | connections | in flight | updates/s |\n|---|---|---|---|\n");
        for (double[] r : ws) {
            md.append(String.format("| WebSocket (Ditto protocol) | %.0f | %.0f per connection | %.0f |%n", r[0], r[1], r[2]));
        }
        for (double[] r : http) {
            md.append(String.format("| HTTP PUT | %.0f | %.0f in total | %.0f |%n", r[0], r[1], r[2]));
        }
        md.append("\n## Latency from a write to its event at a WebSocket subscriber\n\n");
        md.append("Writes over WebSocket at a fixed rate; the subscriber sent `START-SEND-EVENTS`. Latency = event "
                + "received minus command sent (same JVM clock).\n\n");
        md.append("| rate (updates/s) | events received / sent | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        for (int i = 0; i < rates.length; i++) {
            long[] l = latency.get(i);
            md.append(String.format("| %d | %d / %d | %.2f | %.2f | %.2f |%n", rates[i], l[4], l[5], l[1] / 1e6,
                    l[2] / 1e6, l[3] / 1e6));
        }
        md.append("\nTargets of issue #2 (for reference, not what was measured): 5,000 persisted updates/s over "
                + "WebSocket; event latency p99 under 50 ms at 1,000 updates/s.\n");
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString());
    }


    private static void progress(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
