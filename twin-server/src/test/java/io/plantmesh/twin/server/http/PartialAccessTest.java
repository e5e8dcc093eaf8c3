package io.plantmesh.twin.server.http;

import static io.plantmesh.twin.server.http.ApiClient.error;
import static io.plantmesh.twin.server.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.eclipse.ditto.json.JsonFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/**
 * A thing whose policy lets alice READ {@code thing:/attributes} except {@code thing:/attributes/secret}; bob has no
 * entry at all.
 */
class PartialAccessTest {

    private static final String THING = "/api/2/things/plant.test:partial";
    private static final String POLICY = "{\"entries\":{"
            + "\"OWNER\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"owner\"}},"
            + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
            + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
            + "\"OPERATOR\":{\"subjects\":{\"nginx:alice\":{\"type\":\"operator\"}},"
            + "\"resources\":{\"thing:/attributes\":{\"grant\":[\"READ\"],\"revoke\":[]},"
            + "\"thing:/attributes/secret\":{\"grant\":[],\"revoke\":[\"READ\"]}}}}}";

    private static RunningTwinServer server;
    private static ApiClient ditto;
    private static ApiClient alice;
    private static ApiClient bob;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        ditto = ApiClient.as(server, "ditto");
        alice = ApiClient.as(server, "alice");
        bob = ApiClient.as(server, "bob");
        assertThat(ditto.put("/api/2/policies/plant.test:partial-policy", POLICY).statusCode()).isEqualTo(201);
        assertThat(ditto.put(THING, "{\"policyId\":\"plant.test:partial-policy\","
                + "\"attributes\":{\"serial\":\"P-1\",\"secret\":\"pin-1234\"},"
                + "\"features\":{\"spindle\":{\"properties\":{\"speed\":1}}}}").statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aliceSeesThingIdAndAttributesWithoutSecret() {
        HttpResponse<String> read = alice.get(THING);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read)).isEqualTo(JsonFactory.newObject(
                "{\"thingId\":\"plant.test:partial\",\"attributes\":{\"serial\":\"P-1\"}}"));
        assertThat(alice.get(THING + "/attributes/serial").body()).isEqualTo("\"P-1\"");

        HttpResponse<String> secret = alice.get(THING + "/attributes/secret");
        assertThat(secret.statusCode()).isEqualTo(404);
        assertThat(error(secret)).isEqualTo("things:attribute.notfound");

        HttpResponse<String> feature = alice.get(THING + "/features/spindle");
        assertThat(feature.statusCode()).isEqualTo(404);
        assertThat(error(feature)).isEqualTo("things:feature.notfound");

        HttpResponse<String> list = alice.get("/api/2/things?ids=plant.test:partial");
        assertThat(list.body()).isEqualTo("[{\"thingId\":\"plant.test:partial\",\"attributes\":{\"serial\":\"P-1\"}}]");
    }

    @Test
    void aliceMayNotWriteWhatSheReads() {
        HttpResponse<String> write = alice.put(THING + "/attributes/serial", "\"P-2\"");
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(error(write)).isEqualTo("things:attribute.notmodifiable");

        HttpResponse<String> thing = alice.put(THING, "{}");
        assertThat(thing.statusCode()).isEqualTo(403);
        assertThat(error(thing)).isEqualTo("things:thing.notmodifiable");

        HttpResponse<String> merge = alice.merge(THING, "{\"attributes\":{\"serial\":\"P-3\"}}");
        assertThat(merge.statusCode()).isEqualTo(403);
        assertThat(ditto.get(THING + "/attributes/serial").body()).isEqualTo("\"P-1\"");
    }

    @Test
    void bobWithoutEntryGets404ForReadsAndWrites() {
        HttpResponse<String> read = bob.get(THING);
        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(error(read)).isEqualTo("things:thing.notfound");
        assertThat(bob.get(THING + "/attributes/serial").statusCode()).isEqualTo(404);

        HttpResponse<String> write = bob.put(THING + "/attributes/serial", "\"P-666\"");
        assertThat(write.statusCode()).isEqualTo(404);
        assertThat(error(write)).isEqualTo("things:thing.notfound");
        assertThat(bob.delete(THING).statusCode()).isEqualTo(404);
        assertThat(bob.get("/api/2/things?ids=plant.test:partial").body()).isEqualTo("[]");

        HttpResponse<String> policy = bob.get("/api/2/policies/plant.test:partial-policy");
        assertThat(policy.statusCode()).isEqualTo(404);
        assertThat(error(policy)).isEqualTo("policies:policy.notfound");
    }
}
