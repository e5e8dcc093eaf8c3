package io.plantmesh.twin.server.search;

import static io.plantmesh.twin.server.search.PlantTwins.machine;
import static io.plantmesh.twin.server.search.PlantTwins.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.events.TwinEventBus;
import io.plantmesh.twin.server.support.RunningTwinServer;

/** Ditto's SSE on {@code /api/2/things}, against {@link PlantTwins}. */
class ServerSentEventsTest {

    private static final Duration SECOND = Duration.ofSeconds(5); // upper bound on waiting for an expected event
    private static final Duration QUIET = Duration.ofMillis(300);

    private static RunningTwinServer server;
    private static PlantTwins twins;
    /** Event bus listeners of the server itself, before any SSE client connects. */
    private static int serverListeners;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        twins = new PlantTwins(server);
        twins.createAll();
        serverListeners = server.server().context().events().listenerCount();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SseClient open(String user, String path, String... params) throws Exception {
        SseClient client = SseClient.open(twins.http(), server, user, path + query(params));
        assertThat(client.response().statusCode()).isEqualTo(200);
        assertThat(client.response().headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/event-stream");
        return client;
    }

    @Test
    void aChangeArrivesAsData() throws Exception {
        try (SseClient sse = open("ditto", "/api/2/things", "ids", machine(1))) {
            HttpResponse<String> put = twins.httpPut("ditto", "/api/2/things/" + machine(1) + "/attributes/counter",
                    "1001");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
            String data = sse.next(Duration.ofSeconds(5)); // a bound on the wait, not a speed claim
            assertThat(data).as("no event within 5 s").isNotNull();
            assertThat(JsonFactory.newObject(data)).isEqualTo(JsonFactory.newObject(
                    "{\"thingId\":\"" + machine(1) + "\",\"attributes\":{\"counter\":1001}}"));
        }
    }

    @Test
    void filterNamespacesAndFieldsAreHonoured() throws Exception {
        try (SseClient sse = open("ditto", "/api/2/things", "namespaces", "plant.a",
                "filter", "gt(attributes/counter,500)", "fields", "thingId,attributes/counter,_revision")) {
            twins.put(machine(2), "/attributes/counter", JsonValue.of(5));          // filtered out
            twins.put("plant.b:press-1", "/attributes/counter", JsonValue.of(900)); // other namespace
            twins.put(machine(2), "/attributes/name", JsonValue.of("renamed"));     // no counter in the change
            twins.put(machine(2), "/attributes/counter", JsonValue.of(600));
            JsonObject event = JsonFactory.newObject(sse.next(SECOND));
            assertThat(event.getValue("thingId")).contains(JsonValue.of(machine(2)));
            assertThat(event.getValue("attributes")).contains(JsonFactory.newObject("{\"counter\":600}"));
            assertThat(event.getValue("_revision").orElseThrow().isNumber()).isTrue();
            assertThat(event.getKeys()).hasSize(3);
            assertThat(sse.next(QUIET)).isNull();
        }
    }

    @Test
    void extraFieldsAreMergedIntoTheChangeAndUsableInTheFilter() throws Exception {
        try (SseClient sse = open("ditto", "/api/2/things", "extraFields", "attributes/line",
                "filter", "eq(attributes/line,\"L1\")")) {
            twins.put(machine(3), "/attributes/counter", JsonValue.of(33));   // line L2
            twins.put(machine(4), "/attributes/counter", JsonValue.of(44));   // line L1
            assertThat(JsonFactory.newObject(sse.next(SECOND))).isEqualTo(JsonFactory.newObject(
                    "{\"thingId\":\"" + machine(4) + "\",\"attributes\":{\"counter\":44,\"line\":\"L1\"}}"));
            assertThat(sse.next(QUIET)).isNull();
        }
    }

    @Test
    void aliceGetsNoEventsOfWhatSheMayNotRead() throws Exception {
        try (SseClient sse = open("alice", "/api/2/things")) {
            twins.put(machine(10), "/attributes/counter", JsonValue.of(1010));  // alice may not read machine-10
            twins.put(machine(5), "/attributes/secret", JsonValue.of(-5));      // revoked for alice
            twins.put(machine(5), "/attributes/counter", JsonValue.of(55));
            assertThat(JsonFactory.newObject(sse.next(SECOND))).isEqualTo(JsonFactory.newObject(
                    "{\"thingId\":\"" + machine(5) + "\",\"attributes\":{\"counter\":55}}"));
            assertThat(sse.next(QUIET)).isNull();
        }
    }

    @Test
    void aPathStreamSendsTheValueAtThePath() throws Exception {
        try (SseClient sse = open("ditto", "/api/2/things/" + machine(6) + "/attributes/counter")) {
            twins.put(machine(7), "/attributes/counter", JsonValue.of(77));     // other thing
            twins.put(machine(6), "/attributes/name", JsonValue.of("six"));     // other path
            twins.put(machine(6), "/attributes/counter", JsonValue.of(66));
            assertThat(sse.next(SECOND)).isEqualTo("66");
            assertThat(sse.next(QUIET)).isNull();
        }
        try (SseClient sse = open("ditto", "/api/2/things/" + machine(6))) {
            twins.put(machine(6), "/features/temp/properties/value", JsonValue.of(6.6));
            assertThat(JsonFactory.newObject(sse.next(SECOND))).isEqualTo(JsonFactory.newObject("{\"thingId\":\""
                    + machine(6) + "\",\"features\":{\"temp\":{\"properties\":{\"value\":6.6}}}}"));
        }
    }

    @Test
    void theSubscriptionEndsWhenTheClientGoesAway() throws Exception {
        TwinEventBus events = server.server().context().events();
        // streams of earlier tests may still be closing
        await().atMost(Duration.ofSeconds(5)).until(() -> events.listenerCount() == serverListeners);
        SseClient sse = open("ditto", "/api/2/things");
        assertThat(events.listenerCount()).isEqualTo(serverListeners + 1);
        sse.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.listenerCount() == serverListeners);
    }

    @Test
    void anInvalidFilterIsA400BeforeTheStreamStarts() throws Exception {
        HttpResponse<String> response = twins.http().send(HttpRequest.newBuilder(URI.create(server.httpBase()
                        + "/api/2/things" + query("filter", "eq(attributes/x")))
                .header("Authorization", RunningTwinServer.basic("ditto", "ditto"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JsonFactory.newObject(response.body()).getValue("error"))
                .contains(JsonValue.of("rql.expression.invalid"));
    }

    @Test
    void requestsWithoutEventStreamAcceptAreLeftToTheHttpApi() {
        HttpResponse<String> response = twins.get("ditto", "/api/2/things", "ids", machine(1));
        assertThat(response.headers().firstValue("Content-Type").orElse("")).doesNotContain("event-stream");
        assertThat(ServerSentEvents.acceptsEventStream("text/html, text/event-stream;q=0.9")).isTrue();
        assertThat(ServerSentEvents.acceptsEventStream("*/*")).isFalse();
        assertThat(ServerSentEvents.acceptsEventStream(null)).isFalse();
    }
}
