package io.plantmesh.twin.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RawWebSocket;
import io.plantmesh.twin.server.support.RunningTwinServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** {@code POST /api/2/things/{id}[/features/{f}]/(inbox|outbox)/messages/{subject}} against WebSocket receivers. */
class MessagesApiTest {

    private static RunningTwinServer server;
    private static Vertx vertx;
    private static WebClient http;

    @BeforeAll
    static void start() throws Exception {
        server = RunningTwinServer.start();
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
        HttpResponse<Buffer> created = http.put(server.port(), "127.0.0.1", "/api/2/things/plant.msg:press-1")
                .putHeader("Authorization", RunningTwinServer.basic("ditto", "ditto"))
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{}")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (server != null) server.close();
    }

    private static HttpResponse<Buffer> post(String user, String path, String contentType, Buffer body)
            throws Exception {
        return http.post(server.port(), "127.0.0.1", path)
                .putHeader("Authorization", RunningTwinServer.basic(user, user))
                .putHeader("Content-Type", contentType)
                .sendBuffer(body).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void inboxMessageIsAnsweredWithTheReceiversResponse() throws Exception {
        try (RawWebSocket receiver = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            receiver.send("START-SEND-MESSAGES?namespaces=plant.msg");
            assertThat(receiver.next()).isEqualTo("START-SEND-MESSAGES:ACK");
            var pending = vertx.executeBlocking(() -> post("ditto",
                    "/api/2/things/plant.msg:press-1/inbox/messages/status?timeout=5", "text/plain",
                    Buffer.buffer("are you there?")), false);

            JsonObject message = receiver.nextJson();
            assertThat(message.getValue("topic")).contains(JsonValue.of("plant.msg/press-1/things/live/messages/status"));
            assertThat(message.getValue("path")).contains(JsonValue.of("/inbox/messages/status"));
            assertThat(message.getValue("value")).contains(JsonValue.of("are you there?"));
            assertThat(message.getValue("headers/content-type")).contains(JsonValue.of("text/plain"));
            String correlationId = message.getValue("headers/correlation-id").orElseThrow().asString();
            receiver.send(JsonObject.of("{\"topic\":\"plant.msg/press-1/things/live/messages/status\","
                    + "\"headers\":{\"correlation-id\":\"" + correlationId + "\",\"content-type\":\"text/plain\"},"
                    + "\"path\":\"/inbox/messages/status\",\"value\":\"running\",\"status\":200}"));

            HttpResponse<Buffer> response = pending.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsString()).isEqualTo("running");
            assertThat(response.getHeader("Content-Type")).isEqualTo("text/plain");
            assertThat(response.getHeader("correlation-id")).isEqualTo(correlationId);
        }
    }

    @Test
    void featureOutboxMessageWithTimeoutZeroIsAcceptedAtOnce() throws Exception {
        try (RawWebSocket receiver = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            receiver.send("START-SEND-MESSAGES");
            assertThat(receiver.next()).isEqualTo("START-SEND-MESSAGES:ACK");
            HttpResponse<Buffer> response = post("ditto",
                    "/api/2/things/plant.msg:press-1/features/arm/outbox/messages/alarm?timeout=0",
                    "application/json", Buffer.buffer("{\"code\":17}"));
            assertThat(response.statusCode()).isEqualTo(202);
            JsonObject message = receiver.nextJson();
            assertThat(message.getValue("path")).contains(JsonValue.of("/features/arm/outbox/messages/alarm"));
            assertThat(message.getValue("value")).contains(JsonObject.of("{\"code\":17}"));
        }
    }

    @Test
    void unansweredMessageTimesOutWith408() throws Exception {
        HttpResponse<Buffer> response = post("ditto",
                "/api/2/things/plant.msg:press-1/inbox/messages/nobody?timeout=1", "text/plain", Buffer.buffer("x"));
        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("messages:message.timeout");
    }

    @Test
    void refusalsAreDittoErrors() throws Exception {
        HttpResponse<Buffer> forbidden = post("bob", "/api/2/things/plant.msg:press-1/inbox/messages/x?timeout=0",
                "text/plain", Buffer.buffer("x"));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.bodyAsJsonObject().getString("error")).isEqualTo("messages:send.notallowed");

        HttpResponse<Buffer> missing = post("ditto", "/api/2/things/plant.msg:absent/inbox/messages/x",
                "text/plain", Buffer.buffer("x"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("things:thing.notfound");

        HttpResponse<Buffer> tooLong = post("ditto", "/api/2/things/plant.msg:press-1/inbox/messages/x?timeout=61",
                "text/plain", Buffer.buffer("x"));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.bodyAsJsonObject().getString("error")).isEqualTo("timeout.invalid");

        HttpResponse<Buffer> tooLarge = post("ditto", "/api/2/things/plant.msg:press-1/inbox/messages/x",
                "application/octet-stream", Buffer.buffer(new byte[300 * 1024]));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.bodyAsJsonObject().getString("error")).isEqualTo("messages:payload.toolarge");
    }
}
