package io.plantmesh.bench.erp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Ditto protocol subscriber ({@code /ws/2}, {@code START-SEND-EVENTS} with extra fields
 * {@code features/status/properties}, {@code features/progress/properties} and {@code features/erp/properties}) that
 * stamps, per work order, the arrival ({@link System#nanoTime()}) of the first event showing the order's good pieces
 * fully received in the ERP (the 101 movements recorded in {@code erp.goodsMovements} add up to
 * {@code progress.good}), separately before and after its completion, and counts the documents recorded. The twin
 * server publishes an event only after its write is durable, so an arrival means the record is persisted.
 */
final class ErpEventWatcher implements AutoCloseable {

    /** What the events said last about an order. */
    record OrderRecord(long revision, String status, long good, double received, int confirmations, int movements,
            boolean finalConfirmed) {
    }

    private final String namespace;
    private final Map<String, OrderRecord> orders = new ConcurrentHashMap<>();
    /** Order -> arrival of the first event with every good piece received, while RUNNING. */
    private final Map<String, Long> receivedRunning = new ConcurrentHashMap<>();
    /** Order -> arrival of the first event with every good piece received, COMPLETED. */
    private final Map<String, Long> receivedCompleted = new ConcurrentHashMap<>();
    private final Set<String> costRecorded = ConcurrentHashMap.newKeySet();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong lastEventNanos = new AtomicLong(System.nanoTime());
    private HttpClient client;
    private WebSocket socket;

    ErpEventWatcher(String namespace) {
        this.namespace = namespace;
    }

    /** Connects as ditto/ditto and waits for {@code START-SEND-EVENTS:ACK}. */
    void start(Vertx vertx, int port) throws Exception {
        client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 22)
                .setMaxWebSocketMessageSize(1 << 24));
        String auth = "Basic " + Base64.getEncoder().encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));
        socket = client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/2")
                        .addHeader("Authorization", auth))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        socket.textMessageHandler(text -> {
            long now = System.nanoTime();
            if (text.startsWith("START-SEND-EVENTS:ACK")) {
                acked.complete(null);
            } else {
                onMessage(text, now);
            }
        });
        socket.writeTextMessage("START-SEND-EVENTS?namespaces=" + namespace + "&extraFields="
                + "features/status/properties,features/progress/properties,features/erp/properties,"
                + "features/cost/properties");
        acked.get(10, TimeUnit.SECONDS);
    }

    private void onMessage(String text, long now) {
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (RuntimeException e) {
            return;
        }
        String topic = msg.getString("topic", "");
        if (!topic.contains("/things/twin/events/")) {
            return;
        }
        events.incrementAndGet();
        lastEventNanos.set(now);
        String[] parts = topic.split("/", 3);
        String thingId = parts[0] + ":" + parts[1];
        long revision = msg.getLong("revision", -1L);
        JsonObject extra = msg.getJsonObject("extra");
        JsonObject features = extra == null ? null : extra.getJsonObject("features");
        JsonObject status = properties(features, "status");
        if (status == null || status.getString("status") == null) {
            return;
        }
        JsonObject progress = properties(features, "progress");
        JsonObject erp = properties(features, "erp");
        long good = progress == null ? 0 : progress.getLong("good", 0L);
        double received = 0;
        int movements = 0;
        int confirmations = 0;
        boolean finalConfirmed = false;
        if (erp != null) {
            JsonArray moves = erp.getJsonArray("goodsMovements", new JsonArray());
            for (int i = 0; i < moves.size(); i++) {
                JsonObject m = moves.getJsonObject(i);
                movements++;
                if ("101".equals(m.getString("movementType"))) {
                    received += m.getDouble("quantity", 0.0);
                }
            }
            JsonArray confs = erp.getJsonArray("confirmations", new JsonArray());
            confirmations = confs.size();
            for (int i = 0; i < confs.size(); i++) {
                finalConfirmed |= confs.getJsonObject(i).getBoolean("final", false);
            }
        }
        if (properties(features, "cost") != null) {
            costRecorded.add(thingId);
        }
        OrderRecord record = new OrderRecord(revision, status.getString("status"), good, received, confirmations,
                movements, finalConfirmed);
        orders.merge(thingId, record, (a, b) -> b.revision() >= a.revision() ? b : a);
        boolean allReceived = good > 0 && received >= good;
        if (allReceived) {
            boolean completed = "COMPLETED".equals(record.status());
            (completed ? receivedCompleted : receivedRunning).putIfAbsent(thingId, now);
        }
    }

    private static JsonObject properties(JsonObject features, String feature) {
        if (features == null) {
            return null;
        }
        JsonObject f = features.getJsonObject(feature);
        return f == null ? null : f.getJsonObject("properties");
    }

    /** Arrival of the first event with every good piece of the RUNNING order received, or null. */
    Long receivedWhileRunning(String order) {
        return receivedRunning.get(order);
    }

    /** Arrival of the first event with every good piece of the COMPLETED order received, or null. */
    Long receivedAfterCompletion(String order) {
        return receivedCompleted.get(order);
    }

    int receivedWhileRunningCount() {
        return receivedRunning.size();
    }

    int receivedAfterCompletionCount() {
        return receivedCompleted.size();
    }

    boolean costRecorded(String order) {
        return costRecorded.contains(order);
    }

    Map<String, OrderRecord> orders() {
        return Map.copyOf(orders);
    }

    long events() {
        return events.get();
    }

    /** Waits until no event has arrived for {@code quietMs}, at most {@code maxMs}; true if it got quiet. */
    boolean awaitQuiet(long quietMs, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (System.nanoTime() < deadline) {
            long quietFor = System.nanoTime() - lastEventNanos.get();
            if (quietFor >= TimeUnit.MILLISECONDS.toNanos(quietMs)) {
                return true;
            }
            Thread.sleep(Math.max(1, quietMs - TimeUnit.NANOSECONDS.toMillis(quietFor)));
        }
        return false;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
