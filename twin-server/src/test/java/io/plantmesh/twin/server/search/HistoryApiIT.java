package io.plantmesh.twin.server.search;

import static io.plantmesh.twin.server.search.PlantTwins.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.store.EventRetention;
import io.plantmesh.twin.server.support.RunningTwinServer;

/**
 * Ditto's history API over SSE ({@code from-historical-revision}, {@code to-historical-revision},
 * {@code from-historical-timestamp}, {@code to-historical-timestamp}) against a twin server whose journal keeps the
 * newest 5 events of each thing, read by a plain HTTP client: the historical events are the live events of those
 * revisions, each subscriber sees only what it may read, the stream ends after the range, and history the journal no
 * longer keeps is a clear 404.
 */
class HistoryApiIT {

    /** A bound on waiting for a stream or an event, never a speed claim. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String FIELDS = "thingId,attributes,features,_revision,_modified";

    private static RunningTwinServer server;
    private static PlantTwins twins;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start(config -> config.withEventRetention(EventRetention.newest(5)));
        twins = new PlantTwins(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A machine at revision 1 with counter 0 and feature temp; alice may read it (but not attributes/secret). */
    private static void createMachine(String thingId, boolean aliceReads) {
        String alice = aliceReads ? ",\"READER\":{\"subjects\":{\"nginx:alice\":{\"type\":\"test\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]},"
                + "\"thing:/attributes/secret\":{\"grant\":[],\"revoke\":[\"READ\"]}}}" : "";
        twins.put(thingId, JsonFactory.newObject("{\"_policy\":{\"entries\":{\"OWNER\":{\"subjects\":{\"nginx:ditto\":"
                + "{\"type\":\"test\"}},\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}" + alice + "}},"
                + "\"attributes\":{\"counter\":0,\"secret\":0},\"features\":{\"temp\":{\"properties\":{\"value\":20.5}}}}"));
    }

    /** The whole response of a history request; fails if the stream does not end within {@link #WAIT}. */
    private record Stream(int status, String contentType, List<JsonValue> data, String body) {

        List<Long> revisions() {
            return data.stream().map(d -> d.asObject().getValue("_revision").orElseThrow().asLong()).toList();
        }

        JsonObject error() {
            return JsonFactory.newObject(body);
        }
    }

    private static Stream history(String user, String path, String... params) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpBase() + path + query(params)))
                .header("Authorization", RunningTwinServer.basic(user, user))
                .header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the history stream " + path + query(params) + " did not end within " + WAIT, e);
        }
        List<JsonValue> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:")) {
                data.add(JsonFactory.readFrom(line.substring(5)));
            }
        }
        return new Stream(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), data,
                response.body());
    }

    private static List<JsonValue> live(SseClient sse, int events) throws InterruptedException {
        List<JsonValue> received = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String data = sse.next(WAIT);
            assertThat(data).as("live event %d of %d within %s", i + 1, events, WAIT).isNotNull();
            received.add(JsonFactory.readFrom(data));
        }
        return received;
    }

    @Test
    void theHistoryOfRevisionsIsWhatWasSentLiveThenTheStreamEnds() throws Exception {
        String thing = "plant.h:machine-1";
        createMachine(thing, false);
        List<JsonValue> sentLive;
        try (SseClient sse = SseClient.open(HTTP, server, "ditto", "/api/2/things/" + thing
                + query("fields", FIELDS))) {
            twins.put(thing, "/attributes/counter", JsonValue.of(1));                  // revision 2
            twins.put(thing, "/features/temp/properties/value", JsonValue.of(21.5));  // revision 3
            twins.put(thing, "/attributes/counter", JsonValue.of(2));                  // revision 4
            sentLive = live(sse, 3);
        }

        Stream fromTwo = history("ditto", "/api/2/things/" + thing, "from-historical-revision", "2", "fields", FIELDS);
        assertThat(fromTwo.status()).isEqualTo(200);
        assertThat(fromTwo.contentType()).startsWith("text/event-stream");
        assertThat(fromTwo.data()).containsExactlyElementsOf(sentLive);

        Stream twoToThree = history("ditto", "/api/2/things/" + thing, "from-historical-revision", "2",
                "to-historical-revision", "3", "fields", FIELDS);
        assertThat(twoToThree.data()).containsExactlyElementsOf(sentLive.subList(0, 2));

        // 0: from the oldest kept event, here the creation (the whole thing); negative: back from the current one
        Stream all = history("ditto", "/api/2/things/" + thing, "from-historical-revision", "0", "fields", FIELDS);
        assertThat(all.revisions()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.data().get(0).asObject().getValue("attributes/counter")).contains(JsonValue.of(0));
        assertThat(all.data().get(0).asObject().getValue("features/temp/properties/value"))
                .contains(JsonValue.of(20.5));
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-revision", "-1", "fields", FIELDS)
                .revisions()).containsExactly(3L, 4L);

        // without fields, each change as the live stream shows it: the changed part only
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-revision", "4").data())
                .containsExactly(JsonFactory.readFrom("{\"thingId\":\"" + thing + "\",\"attributes\":{\"counter\":2}}"));
    }

    @Test
    void aTimeRangeHoldsTheEventsStrictlyBetweenItsBounds() throws Exception {
        String thing = "plant.h:machine-2";
        createMachine(thing, false);
        for (int i = 1; i <= 3; i++) {
            twins.put(thing, "/attributes/counter", JsonValue.of(i));                  // revisions 2, 3, 4
        }
        List<Instant> modified = history("ditto", "/api/2/things/" + thing, "from-historical-revision", "0",
                "fields", "_revision,_modified").data().stream()
                .map(d -> Instant.parse(d.asObject().getValue("_modified").orElseThrow().asString())).toList();
        assertThat(modified).hasSize(4);

        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-timestamp", modified.get(1).toString(),
                "fields", FIELDS).revisions()).containsExactly(3L, 4L);
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-timestamp", modified.get(1).toString(),
                "to-historical-timestamp", modified.get(3).toString(), "fields", FIELDS).revisions())
                .containsExactly(3L);
        // from before the thing existed: all of it (the journal still holds its first revision)
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-timestamp",
                modified.get(0).minusSeconds(3600).toString(), "fields", FIELDS).revisions())
                .containsExactly(1L, 2L, 3L, 4L);
        // after the newest event: an empty stream that ends
        Stream none = history("ditto", "/api/2/things/" + thing, "from-historical-timestamp",
                modified.get(3).toString());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.data()).isEmpty();
    }

    @Test
    void aSubscriberSeesOnlyWhatItMayReadAsInTheLiveStream() throws Exception {
        String thing = "plant.h:machine-3";
        createMachine(thing, true);
        List<JsonValue> aliceLive;
        try (SseClient sse = SseClient.open(HTTP, server, "alice", "/api/2/things/" + thing
                + query("fields", FIELDS))) {
            twins.put(thing, "/attributes/counter", JsonValue.of(1));                  // revision 2
            twins.put(thing, "/attributes/secret", JsonValue.of(42));                  // 3: revoked for alice
            twins.put(thing, "/features/temp/properties/value", JsonValue.of(22.5));  // revision 4
            aliceLive = live(sse, 2);
            assertThat(sse.next(Duration.ofMillis(300))).isNull();
        }

        Stream alice = history("alice", "/api/2/things/" + thing, "from-historical-revision", "0", "fields", FIELDS);
        // the creation (the whole thing, secret included) and the secret's change are not hers to see
        assertThat(alice.revisions()).containsExactly(2L, 4L);
        assertThat(alice.data()).containsExactlyElementsOf(aliceLive);
        assertThat(alice.body()).doesNotContain("secret");
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-revision", "0", "fields", FIELDS)
                .revisions()).containsExactly(1L, 2L, 3L, 4L);

        // a thing alice may not read at all looks missing, as for GET
        String hidden = "plant.h:machine-4";
        createMachine(hidden, false);
        Stream denied = history("alice", "/api/2/things/" + hidden, "from-historical-revision", "0");
        assertThat(denied.status()).isEqualTo(404);
        assertThat(denied.error().getValue("error")).contains(JsonValue.of("things:thing.notfound"));
        assertThat(twins.get("alice", "/api/2/things/" + hidden).statusCode()).isEqualTo(404);
    }

    @Test
    void historyTheJournalNoLongerKeepsIsA404NamingTheRetention() throws Exception {
        String thing = "plant.h:machine-5";
        createMachine(thing, false);
        for (int i = 1; i <= 8; i++) {
            twins.put(thing, "/attributes/counter", JsonValue.of(i));                  // revisions 2..9
        }
        // the journal keeps the newest 5: revisions 5..9
        Stream tooOld = history("ditto", "/api/2/things/" + thing, "from-historical-revision", "2");
        assertThat(tooOld.status()).isEqualTo(404);
        JsonObject error = tooOld.error();
        assertThat(error.getValue("error")).contains(JsonValue.of("things:thing.history.notfound"));
        assertThat(error.getValue("message").orElseThrow().asString())
                .contains("from revision 2 is no longer kept").contains("revision 5 of");
        assertThat(error.getValue("description").orElseThrow().asString())
                .contains("the newest 5 events of each thing (eventRetention)").contains("eventRetentionAge");

        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-revision", "0", "fields", FIELDS)
                .revisions()).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-timestamp",
                Instant.now().minusSeconds(3600).toString()).status()).isEqualTo(404);
    }

    @Test
    void fieldsFilterAndAPathApplyAsToLiveEvents() throws Exception {
        String thing = "plant.h:machine-6";
        createMachine(thing, false);
        for (int i = 1; i <= 3; i++) {
            twins.put(thing, "/attributes/counter", JsonValue.of(i));
        }
        assertThat(history("ditto", "/api/2/things/" + thing + "/attributes/counter", "from-historical-revision", "0")
                .data()).containsExactly(JsonValue.of(0), JsonValue.of(1), JsonValue.of(2), JsonValue.of(3));
        assertThat(history("ditto", "/api/2/things/" + thing, "from-historical-revision", "0",
                "filter", "gt(attributes/counter,1)", "fields", "attributes/counter,_revision").data())
                .containsExactly(JsonFactory.readFrom("{\"attributes\":{\"counter\":2},\"_revision\":3}"),
                        JsonFactory.readFrom("{\"attributes\":{\"counter\":3},\"_revision\":4}"));
        // the thing's id in ids= works as well as in the path, as in Ditto
        assertThat(history("ditto", "/api/2/things", "ids", thing, "from-historical-revision", "3",
                "fields", "_revision").revisions()).containsExactly(3L, 4L);
    }

    @Test
    void whatCannotBeServedIsAnErrorBeforeTheStreamStarts() throws Exception {
        Stream invalid = history("ditto", "/api/2/things/plant.h:machine-1", "from-historical-revision", "latest");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.error().getValue("error")).contains(JsonValue.of("plantmesh:history.parameter.invalid"));
        assertThat(invalid.error().getValue("message").orElseThrow().asString())
                .isEqualTo("from-historical-revision must be a revision number, was 'latest'.");

        Stream noThing = history("ditto", "/api/2/things", "from-historical-revision", "0");
        assertThat(noThing.status()).isEqualTo(400);
        assertThat(noThing.error().getValue("message").orElseThrow().asString()).contains("one thing");

        Stream missing = history("ditto", "/api/2/things/plant.h:no-such-machine", "from-historical-revision", "0");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error().getValue("error")).contains(JsonValue.of("things:thing.notfound"));
    }
}
