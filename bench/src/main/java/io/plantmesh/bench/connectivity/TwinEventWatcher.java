package io.plantmesh.bench.connectivity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A Ditto protocol WebSocket subscriber ({@code /ws/2}, {@code START-SEND-EVENTS}) that matches each twin event of a
 * machine to the device's published messages: the event's {@code features/telemetry/properties/seq} covers every
 * message of that device up to it.
 */
public final class TwinEventWatcher implements AutoCloseable {

    private static final List<String> SEQ_POINTER = List.of("features", "telemetry", "properties", "seq");

    private final Map<String, SimulatedDevice> devices;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong eventsWithSeq = new AtomicLong();
    private HttpClient client;
    private WebSocket socket;

    public TwinEventWatcher(Map<String, SimulatedDevice> devices) {
        this.devices = devices;
    }

    /** Connects as ditto/ditto and waits for {@code START-SEND-EVENTS:ACK}. */
    public void start(Vertx vertx, int port) throws Exception {
        client = vertx.createHttpClient(new HttpClientOptions().setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(1 << 22));
        String auth = "Basic " + Base64.getEncoder().encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));
        socket = client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/2")
                        .addHeader("Authorization", auth))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture<Void> acked = new java.util.concurrent.CompletableFuture<>();
        socket.textMessageHandler(text -> {
            if (text.startsWith("START-SEND-EVENTS:ACK")) {
                acked.complete(null);
            } else {
                onMessage(text, System.nanoTime());
            }
        });
        socket.writeTextMessage("START-SEND-EVENTS");
        acked.get(10, TimeUnit.SECONDS);
    }

    private void onMessage(String text, long now) {
        JsonObject msg = new JsonObject(text);
        String topic = msg.getString("topic", "");
        if (!topic.contains("/things/twin/events/")) {
            return;
        }
        events.incrementAndGet();
        String[] parts = topic.split("/", 3);
        SimulatedDevice device = devices.get(parts[0] + ":" + parts[1]);
        long seq = seqOf(msg.getString("path", "/"), msg.getValue("value"));
        if (device != null && seq > 0) {
            eventsWithSeq.incrementAndGet();
            device.cover(seq, now);
        }
    }

    /** The value of features/telemetry/properties/seq in an event with this path and value, or -1. */
    static long seqOf(String path, Object value) {
        List<String> segments = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.size() > SEQ_POINTER.size() || !SEQ_POINTER.subList(0, segments.size()).equals(segments)) {
            return -1;
        }
        Object current = value;
        for (String key : SEQ_POINTER.subList(segments.size(), SEQ_POINTER.size())) {
            if (!(current instanceof JsonObject object)) {
                return -1;
            }
            current = object.getValue(key);
        }
        return current instanceof Number n ? n.longValue() : -1;
    }

    public long events() {
        return events.get();
    }

    public long eventsWithSeq() {
        return eventsWithSeq.get();
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
