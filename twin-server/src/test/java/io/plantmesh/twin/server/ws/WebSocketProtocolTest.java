package io.plantmesh.twin.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThingResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveAttributeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RawWebSocket;
import io.plantmesh.twin.server.support.RunningTwinServer;
import io.vertx.core.Vertx;

/** The Ditto protocol at frame level: control messages, error replies, policy-filtered events, declared acks. */
class WebSocketProtocolTest {

    private static final DittoProtocolAdapter PROTOCOL = DittoProtocolAdapter.newInstance();
    private static RunningTwinServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        if (server != null) server.close();
    }

    private static JsonObject frame(String topic, String correlationId, String path, String value) {
        String v = value == null ? "" : ",\"value\":" + value;
        return JsonObject.of("{\"topic\":\"" + topic + "\",\"headers\":{\"correlation-id\":\"" + correlationId
                + "\"},\"path\":\"" + path + "\"" + v + "}");
    }

    @Test
    void controlMessagesAreAcknowledgedAndJwtRefreshIsSilent() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            ws.send("JWT-TOKEN?jwtToken=eyJhbGciOiJIUzI1NiJ9.e30.x");
            for (String command : List.of("START-SEND-EVENTS?namespaces=a,b&filter=gt(attributes%2Fx%2C5)"
                            + "&extraFields=attributes%2Fy", "STOP-SEND-EVENTS", "START-SEND-MESSAGES?namespaces=a",
                    "STOP-SEND-MESSAGES", "START-SEND-LIVE-COMMANDS", "STOP-SEND-LIVE-COMMANDS",
                    "START-SEND-LIVE-EVENTS?filter=exists(attributes%2Fx)", "STOP-SEND-LIVE-EVENTS")) {
                ws.send(command);
                String name = command.contains("?") ? command.substring(0, command.indexOf('?')) : command;
                assertThat(ws.next()).isEqualTo(name + ":ACK");
            }
        }
    }

    @Test
    void invalidFilterIsAnsweredWithDittosErrorInsteadOfAck() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            ws.send("START-SEND-EVENTS?filter=gt(attributes%2Fx&correlation-id=filter-1");
            JsonObject error = ws.nextJson();
            assertThat(error.getValue("topic")).contains(JsonValue.of("unknown/unknown/things/twin/errors"));
            assertThat(error.getValue("status")).contains(JsonValue.of(400));
            assertThat(error.getValue("headers/correlation-id")).contains(JsonValue.of("filter-1"));
            assertThat(error.getValue("value/error")).contains(JsonValue.of("rql.expression.invalid"));
        }
    }

    @Test
    void framesThatAreNotDittoProtocolGetAnErrorAndTheSessionStaysOpen() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            ws.send("hello twin server");
            JsonObject notJson = ws.nextJson();
            assertThat(notJson.getValue("status")).contains(JsonValue.of(400));
            assertThat(notJson.getValue("value/error")).contains(JsonValue.of("json.invalid"));

            ws.send("{\"topic\":\"not/a/topic\",\"headers\":{\"correlation-id\":\"bad-1\"},\"path\":\"/\"}");
            JsonObject badTopic = ws.nextJson();
            assertThat(badTopic.getValue("status")).contains(JsonValue.of(400));
            assertThat(badTopic.getValue("headers/correlation-id")).contains(JsonValue.of("bad-1"));
            assertThat(PROTOCOL.fromAdaptable(ProtocolFactory.jsonifiableAdaptableFromJson(badTopic)))
                    .isInstanceOf(ThingErrorResponse.class);

            ws.send("{\"topic\":\"plant.ws/t\",");
            assertThat(ws.nextJson().getValue("value/error")).contains(JsonValue.of("json.invalid"));

            // still usable
            ws.send(frame("plant.ws/open-1/things/twin/commands/create", "create-1", "/",
                    "{\"attributes\":{\"a\":1}}"));
            JsonObject created = ws.nextJson();
            assertThat(created.getValue("status")).contains(JsonValue.of(201));
            assertThat(created.getValue("headers/correlation-id")).contains(JsonValue.of("create-1"));
            assertThat(PROTOCOL.fromAdaptable(ProtocolFactory.jsonifiableAdaptableFromJson(created)))
                    .isInstanceOf(CreateThingResponse.class);
        }
    }

    @Test
    void responseRequiredFalseSuppressesTheResponse() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(vertx, server, "ditto", "", null)) {
            ws.send(frame("plant.ws/quiet-1/things/twin/commands/create", "q-1", "/", "{}"));
            assertThat(ws.nextJson().getValue("status")).contains(JsonValue.of(201));
            ws.send(JsonObject.of("{\"topic\":\"plant.ws/quiet-1/things/twin/commands/modify\",\"headers\":"
                    + "{\"correlation-id\":\"q-2\",\"response-required\":false},\"path\":\"/attributes/x\",\"value\":5}"));
            ws.send(frame("plant.ws/quiet-1/things/twin/commands/retrieve", "q-3", "/attributes/x", null));
            JsonObject retrieved = ws.nextJson();
            assertThat(retrieved.getValue("headers/correlation-id")).contains(JsonValue.of("q-3"));
            assertThat(retrieved.getValue("value")).contains(JsonValue.of(5));
            assertThat(PROTOCOL.fromAdaptable(ProtocolFactory.jsonifiableAdaptableFromJson(retrieved)))
                    .isInstanceOf(RetrieveAttributeResponse.class);
        }
    }

    @Test
    void eventsReachOnlySessionsWhosePolicyGrantsReadOnTheChangedPath() throws Exception {
        String policy = "{\"entries\":{"
                + "\"OWNER\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"basic\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
                + "\"VIEWER\":{\"subjects\":{\"nginx:alice\":{\"type\":\"basic\"}},\"resources\":{"
                + "\"thing:/attributes/public\":{\"grant\":[\"READ\"],\"revoke\":[]}}}}}";
        try (RawWebSocket owner = RawWebSocket.open(vertx, server, "ditto", "", null);
                RawWebSocket alice = RawWebSocket.open(vertx, server, "alice", "", null);
                RawWebSocket bob = RawWebSocket.open(vertx, server, "bob", "", null)) {
            owner.send(frame("plant.ws/guarded-1/things/twin/commands/create", "g-1", "/",
                    "{\"_policy\":" + policy + ",\"attributes\":{\"public\":0,\"secret\":0}}"));
            assertThat(owner.nextJson().getValue("status")).contains(JsonValue.of(201));
            alice.send("START-SEND-EVENTS");
            assertThat(alice.next()).isEqualTo("START-SEND-EVENTS:ACK");
            bob.send("START-SEND-EVENTS");
            assertThat(bob.next()).isEqualTo("START-SEND-EVENTS:ACK");

            owner.send(frame("plant.ws/guarded-1/things/twin/commands/modify", "g-2", "/attributes/secret", "1"));
            assertThat(owner.nextJson().getValue("status")).contains(JsonValue.of(204));
            owner.send(frame("plant.ws/guarded-1/things/twin/commands/modify", "g-3", "/attributes/public", "2"));
            assertThat(owner.nextJson().getValue("status")).contains(JsonValue.of(204));

            JsonObject event = alice.nextJson();
            assertThat(event.getValue("topic"))
                    .contains(JsonValue.of("plant.ws/guarded-1/things/twin/events/modified"));
            assertThat(event.getValue("path")).contains(JsonValue.of("/attributes/public"));
            assertThat(event.getValue("value")).contains(JsonValue.of(2));
            assertThat(event.getValue("headers/correlation-id")).contains(JsonValue.of("g-3"));
            assertThat(alice.poll(Duration.ofMillis(300))).isNull();
            assertThat(bob.poll(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void aSecondSessionDeclaringTheSameAckLabelIsClosed() throws Exception {
        try (RawWebSocket first = RawWebSocket.open(vertx, server, "ditto", "?declared-acks=line-ack", null)) {
            first.send("START-SEND-EVENTS");
            assertThat(first.next()).isEqualTo("START-SEND-EVENTS:ACK");
            try (RawWebSocket second = RawWebSocket.open(vertx, server, "alice", "", "[\"line-ack\"]")) {
                assertThat(second.closed().get(5, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            }
            // the first session keeps its label and stays open
            first.send("STOP-SEND-EVENTS");
            assertThat(first.next()).isEqualTo("STOP-SEND-EVENTS:ACK");
        }
        // once the first session is gone, the label is free again
        try (RawWebSocket third = RawWebSocket.open(vertx, server, "alice", "?declared-acks=line-ack", null)) {
            third.send("START-SEND-MESSAGES");
            assertThat(third.next()).isEqualTo("START-SEND-MESSAGES:ACK");
        }
    }
}
