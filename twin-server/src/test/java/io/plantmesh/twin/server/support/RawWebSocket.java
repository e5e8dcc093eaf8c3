package io.plantmesh.twin.server.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;


import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/** A plain Vert.x WebSocket to {@code /ws/2} that records every text frame it receives, for protocol-level tests. */
public final class RawWebSocket implements AutoCloseable {

    private final WebSocketClient client;
    private final WebSocket socket;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private RawWebSocket(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        try {
            socket.textMessageHandler(received::add);
            socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
        } catch (IllegalStateException alreadyClosed) {
            closed.complete(socket.closeStatusCode());
        }
    }

    public static RawWebSocket open(Vertx vertx, RunningTwinServer server, String user, String uriSuffix,
            String declaredAcksHeader) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(server.port()).setURI("/ws/2" + uriSuffix)
                .addHeader("Authorization", RunningTwinServer.basic(user, user));
        if (declaredAcksHeader != null) {
            options.addHeader("declared-acks", declaredAcksHeader);
        }
        WebSocket socket = client.connect(options).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return new RawWebSocket(client, socket);
    }

    /** A socket that authenticates with the given handshake headers (e.g. {@code Authorization: Bearer ...}). */
    public static RawWebSocket open(Vertx vertx, RunningTwinServer server, String uriSuffix,
            Map<String, String> headers) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(server.port()).setURI("/ws/2" + uriSuffix);
        headers.forEach(options::addHeader);
        try {
            WebSocket socket = client.connect(options).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            return new RawWebSocket(client, socket);
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    public void send(String text) {
        socket.writeTextMessage(text);
    }

    public void send(JsonObject json) {
        send(json.toString());
    }

    /** The next text frame; fails if none arrives within 5 seconds. */
    public String next() throws InterruptedException {
        String s = received.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("No frame arrived within 5 s");
        }
        return s;
    }

    public JsonObject nextJson() throws InterruptedException {
        return JsonObject.of(next());
    }

    /** A frame arriving within the given time, or null. */
    public String poll(Duration within) throws InterruptedException {
        return received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<Short> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
        client.close();
    }
}
