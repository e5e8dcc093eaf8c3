package io.plantmesh.twin.server.client;

import static io.plantmesh.twin.server.client.DittoClients24.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** Live messages between two Ditto Java clients 2.4 through the twin server, with responses and refusals. */
class DittoClientLiveMessagesTest {

    private static final ThingId THING = ThingId.of("plant.live:robot-1");

    private static RunningTwinServer server;
    private static DittoClient receiver;
    private static DittoClient sender;
    private static DittoClient bob;

    @BeforeAll
    static void start() throws Exception {
        server = RunningTwinServer.start();
        receiver = DittoClients24.connect(server, "ditto", "ditto");
        sender = DittoClients24.connect(server, "ditto", "ditto");
        bob = DittoClients24.connect(server, "bob", "bob");
        await(sender.twin().create(THING));
        receiver.live().registerForMessage("ping", "ping", String.class, message -> message.reply()
                .httpStatus(HttpStatus.IM_A_TEAPOT)
                .payload("pong:" + message.getPayload().orElse(""))
                .contentType("text/plain")
                .send());
        receiver.live().forId(THING).forFeature("arm").registerForMessage("arm", "calibrate", JsonObject.class,
                message -> message.reply().httpStatus(HttpStatus.OK)
                        .payload(JsonObject.of("{\"calibrated\":true}")).contentType("application/json").send());
        receiver.live().startConsumption().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) receiver.destroy();
        if (sender != null) sender.destroy();
        if (bob != null) bob.destroy();
        if (server != null) server.close();
    }

    @Test
    void messageReachesTheSubscriberAndItsResponseComesBack() throws Exception {
        CompletableFuture<Message<String>> response = new CompletableFuture<>();
        sender.live().message().to(THING).subject("ping").payload("hello").contentType("text/plain")
                .send(String.class, (m, e) -> {
                    if (e != null) response.completeExceptionally(e); else response.complete(m);
                });
        Message<String> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.getPayload()).contains("pong:hello");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.IM_A_TEAPOT);
    }

    @Test
    void featureMessageWithJsonPayload() throws Exception {
        CompletableFuture<Message<JsonObject>> response = new CompletableFuture<>();
        sender.live().forId(THING).forFeature("arm").message().to().subject("calibrate")
                .payload(JsonObject.of("{\"axis\":3}")).contentType("application/json")
                .send(JsonObject.class, (m, e) -> {
                    if (e != null) response.completeExceptionally(e); else response.complete(m);
                });
        Message<JsonObject> answer = response.get(5, TimeUnit.SECONDS);
        assertThat(answer.getPayload()).contains(JsonObject.of("{\"calibrated\":true}"));
        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
        assertThat(answer.getFeatureId()).contains("arm");
    }

    @Test
    void unansweredMessageTimesOutWithDittosError() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        sender.live().message().to(THING).subject("nobody-listens").timeout(Duration.ofSeconds(1)).payload("x")
                .send(String.class, (m, e) -> failure.complete(e));
        await().atMost(Duration.ofSeconds(5)).until(failure::isDone);
        assertThat(failure.join()).isInstanceOfSatisfying(DittoRuntimeException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("messages:message.timeout");
            assertThat(e.getHttpStatus().getCode()).isEqualTo(408);
        });
    }

    @Test
    void senderWithoutWritePermissionIsRefused() {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        bob.live().message().to(THING).subject("ping").payload("x")
                .send(String.class, (m, e) -> failure.complete(e));
        await().atMost(Duration.ofSeconds(5)).until(failure::isDone);
        assertThat(failure.join()).isInstanceOfSatisfying(DittoRuntimeException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("messages:send.notallowed");
            assertThat(e.getHttpStatus().getCode()).isEqualTo(403);
        });
    }
}
