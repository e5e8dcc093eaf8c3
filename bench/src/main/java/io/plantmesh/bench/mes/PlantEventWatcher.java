package io.plantmesh.bench.mes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A Ditto protocol subscriber ({@code /ws/2}, {@code START-SEND-EVENTS} with extra fields
 * {@code features/status/properties} and {@code features/state/properties}) that keeps, from twin events alone, each
 * work order's status and machine and each machine's state, stamps every event with its arrival time
 * ({@link System#nanoTime()}) and hands it to the registered listeners on its event loop.
 */
public final class PlantEventWatcher implements AutoCloseable {

    /** What the events said last about a work order. */
    public record OrderState(String status, String machine, long revision) {
    }

    /**
     * One twin event as it arrived.
     *
     * @param orderStatus the order's status after the event (null for a machine or another thing)
     * @param orderMachine the order's machine after the event (null if none)
     * @param machineState the machine's state after the event (null for an order or another thing)
     */
    public record PlantEvent(long arrivedNanos, String thingId, long revision, String orderStatus,
            String orderMachine, String machineState) {

        public boolean isOrder() {
            return orderStatus != null;
        }
    }

    private final String namespace;
    private final Map<String, OrderState> orders = new ConcurrentHashMap<>();
    private final Map<String, String> machineStates = new ConcurrentHashMap<>();
    private final List<Consumer<PlantEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong orderEvents = new AtomicLong();
    private final AtomicLong lastOrderEventNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unreadable = new AtomicLong();
    private HttpClient client;
    private WebSocket socket;

    public PlantEventWatcher(String namespace) {
        this.namespace = namespace;
    }

    /** Connects as ditto/ditto and waits for {@code START-SEND-EVENTS:ACK}. */
    public void start(Vertx vertx, int port) throws Exception {
        client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(1 << 22));
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
        socket.writeTextMessage("START-SEND-EVENTS?namespaces=" + namespace
                + "&extraFields=features/status/properties,features/state/properties");
        acked.get(10, TimeUnit.SECONDS);
    }

    private void onMessage(String text, long now) {
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
            return;
        }
        String topic = msg.getString("topic", "");
        if (!topic.contains("/things/twin/events/")) {
            return;
        }
        events.incrementAndGet();
        String[] parts = topic.split("/", 3);
        String thingId = parts[0] + ":" + parts[1];
        long revision = msg.getLong("revision", -1L);
        JsonObject extra = msg.getJsonObject("extra");
        JsonObject features = extra == null ? null : extra.getJsonObject("features");
        JsonObject status = properties(features, "status");
        JsonObject state = properties(features, "state");
        PlantEvent event;
        if (status != null && status.getString("status") != null) {
            OrderState before = orders.get(thingId);
            if (before != null && before.revision() >= revision) {
                return; // an older event than one already seen
            }
            OrderState after = new OrderState(status.getString("status"), status.getString("machine"), revision);
            orders.put(thingId, after);
            orderEvents.incrementAndGet();
            lastOrderEventNanos.set(now);
            event = new PlantEvent(now, thingId, revision, after.status(), after.machine(), null);
        } else if (state != null && state.getString("state") != null) {
            machineStates.put(thingId, state.getString("state"));
            event = new PlantEvent(now, thingId, revision, null, null, state.getString("state"));
        } else {
            event = new PlantEvent(now, thingId, revision, null, null, null);
        }
        for (Consumer<PlantEvent> listener : listeners) {
            listener.accept(event);
        }
    }

    private static JsonObject properties(JsonObject features, String feature) {
        if (features == null) {
            return null;
        }
        JsonObject f = features.getJsonObject(feature);
        return f == null ? null : f.getJsonObject("properties");
    }

    /** Called with every event, on the watcher's event loop (keep it short). */
    public void listen(Consumer<PlantEvent> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<PlantEvent> listener) {
        listeners.remove(listener);
    }

    /** The orders' states as the events told them so far. */
    public Map<String, OrderState> orders() {
        return Map.copyOf(orders);
    }

    public String machineState(String machine) {
        return machineStates.get(machine);
    }

    public long events() {
        return events.get();
    }

    public long orderEvents() {
        return orderEvents.get();
    }

    public long unreadable() {
        return unreadable.get();
    }

    /**
     * Waits until no order event has arrived for {@code quietMs}, at most {@code maxMs}; returns true if it got
     * quiet.
     */
    public boolean awaitQuiet(long quietMs, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (System.nanoTime() < deadline) {
            long quietFor = System.nanoTime() - lastOrderEventNanos.get();
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
