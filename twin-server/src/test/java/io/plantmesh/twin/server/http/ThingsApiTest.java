package io.plantmesh.twin.server.http;

import static io.plantmesh.twin.server.http.ApiClient.error;
import static io.plantmesh.twin.server.http.ApiClient.json;
import static io.plantmesh.twin.server.http.ApiClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** Things over Ditto's HTTP API v2 as the owner of the things (user ditto). */
class ThingsApiTest {

    private static final String MACHINE = "{\"attributes\":{\"serial\":\"P-7\",\"location\":{\"hall\":\"A\",\"bay\":3}},"
            + "\"features\":{\"spindle\":{\"properties\":{\"speed\":1200,\"temperature\":41.5}}}}";
    private static final String PATH_UNKNOWN = "signals.commands:path.unknown";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static RunningTwinServer server;
    private static ApiClient ditto;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        ditto = ApiClient.as(server, "ditto");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A new thing id per test, so tests do not depend on each other. */
    private static String newMachine() {
        String id = "plant.test:machine-" + COUNTER.incrementAndGet();
        assertThat(ditto.put("/api/2/things/" + id, MACHINE).statusCode()).isEqualTo(201);
        return id;
    }

    @Test
    void putCreatesThenModifiesWithRevisionEtags() {
        String path = "/api/2/things/plant.test:created";
        HttpResponse<String> created = ditto.put(path, MACHINE, "correlation-id", "create-1");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(created.headers().firstValue("correlation-id")).hasValue("create-1");
        assertThat(created.headers().firstValue("Location")).hasValue(server.httpBase() + path);
        JsonObject body = json(created);
        assertThat(body.getValue("thingId").get().asString()).isEqualTo("plant.test:created");
        assertThat(body.getValue("policyId").get().asString()).isEqualTo("plant.test:created");
        assertThat(body.getValue("attributes/serial").get().asString()).isEqualTo("P-7");

        HttpResponse<String> modified = ditto.put(path, MACHINE);
        assertThat(modified.statusCode()).isEqualTo(204);
        assertThat(modified.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        assertThat(modified.body()).isEmpty();

        HttpResponse<String> read = ditto.get(path);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(read).getValue("features/spindle/properties/speed").get().asInt()).isEqualTo(1200);
    }

    @Test
    void postCreatesThingWithGeneratedIdInNamespace() {
        HttpResponse<String> withNamespace = ditto.post("/api/2/things",
                "{\"_namespace\":\"plant.line2\",\"attributes\":{\"kind\":\"robot\"}}");
        assertThat(withNamespace.statusCode()).isEqualTo(201);
        String thingId = json(withNamespace).getValue("thingId").get().asString();
        assertThat(thingId).matches("plant\\.line2:[0-9a-f-]{36}");
        assertThat(json(withNamespace).contains("_namespace")).isFalse();
        assertThat(withNamespace.headers().firstValue("Location"))
                .hasValue(server.httpBase() + "/api/2/things/" + thingId);
        assertThat(ditto.get("/api/2/things/" + thingId + "/attributes/kind").body()).isEqualTo("\"robot\"");

        HttpResponse<String> withDefault = ditto.post("/api/2/things", "{}");
        assertThat(withDefault.statusCode()).isEqualTo(201);
        assertThat(json(withDefault).getValue("thingId").get().asString()).startsWith("plantmesh:");
    }

    @Test
    void listByIdsWithFieldsLeavesOutUnknownThings() {
        String a = newMachine();
        String b = newMachine();
        HttpResponse<String> list = ditto.get("/api/2/things?ids=" + a + "," + b + ",plant.test:missing"
                + "&fields=thingId,attributes/serial,_revision");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonArray things = value(list).asArray();
        assertThat(things.getSize()).isEqualTo(2);
        JsonObject first = things.get(0).get().asObject();
        assertThat(first).isEqualTo(JsonFactory.newObject(
                "{\"thingId\":\"" + a + "\",\"attributes\":{\"serial\":\"P-7\"},\"_revision\":1}"));

        HttpResponse<String> missingIds = ditto.get("/api/2/things");
        assertThat(missingIds.statusCode()).isEqualTo(400);
        assertThat(error(missingIds)).isEqualTo("things:things.ids.missing");
    }

    @Test
    void getWithFieldsSelectsAndAddsMetadata() {
        String id = newMachine();
        HttpResponse<String> read = ditto.get("/api/2/things/" + id
                + "?fields=attributes/location/hall,features/spindle/properties/speed,_revision,_created,_modified,_policy");
        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject body = json(read);
        assertThat(body.getValue("attributes").get()).isEqualTo(JsonFactory.readFrom("{\"location\":{\"hall\":\"A\"}}"));
        assertThat(body.getValue("features/spindle/properties").get()).isEqualTo(JsonFactory.readFrom("{\"speed\":1200}"));
        assertThat(body.getValue("_revision").get().asLong()).isEqualTo(1);
        assertThat(body.getValue("_created").get().asString()).isNotBlank();
        assertThat(body.getValue("_modified").get().asString()).isNotBlank();
        assertThat(body.getValue("_policy/entries/DEFAULT/subjects/nginx:ditto").isPresent()).isTrue();
        assertThat(body.contains("thingId")).isFalse();

        HttpResponse<String> attributes = ditto.get("/api/2/things/" + id + "/attributes?fields=serial");
        assertThat(attributes.body()).isEqualTo("{\"serial\":\"P-7\"}");
    }

    @Test
    void attributeSubResourcesCreateModifyDeleteAndNotFound() {
        String base = "/api/2/things/" + newMachine();
        HttpResponse<String> created = ditto.put(base + "/attributes/maintenance/due", "\"2026-12-01\"");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("\"2026-12-01\"");
        assertThat(created.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).startsWith("\"hash:"));
        assertThat(created.headers().firstValue("Location")).hasValue(server.httpBase() + base + "/attributes/maintenance/due");

        assertThat(ditto.put(base + "/attributes/maintenance/due", "\"2027-01-15\"").statusCode()).isEqualTo(204);
        assertThat(ditto.get(base + "/attributes/maintenance").body()).isEqualTo("{\"due\":\"2027-01-15\"}");
        assertThat(ditto.get(base + "/attributes/location/bay").body()).isEqualTo("3");

        assertThat(ditto.delete(base + "/attributes/maintenance/due").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = ditto.get(base + "/attributes/maintenance/due");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(error(gone)).isEqualTo("things:attribute.notfound");
        assertThat(error(ditto.delete(base + "/attributes/nothing"))).isEqualTo("things:attribute.notfound");

        assertThat(ditto.delete(base + "/attributes").statusCode()).isEqualTo(204);
        assertThat(error(ditto.get(base + "/attributes"))).isEqualTo("things:attributes.notfound");
    }

    @Test
    void featureSubResourcesCreateModifyDeleteAndNotFound() {
        String base = "/api/2/things/" + newMachine();
        assertThat(ditto.put(base + "/features/coolant", "{\"properties\":{\"level\":80}}").statusCode()).isEqualTo(201);
        assertThat(ditto.put(base + "/features/coolant/properties/level", "75").statusCode()).isEqualTo(204);
        assertThat(ditto.put(base + "/features/coolant/desiredProperties/level", "90").statusCode()).isEqualTo(201);
        assertThat(ditto.get(base + "/features/coolant/desiredProperties").body()).isEqualTo("{\"level\":90}");
        assertThat(ditto.get(base + "/features/coolant/properties/level").body()).isEqualTo("75");
        assertThat(ditto.get(base + "/features?fields=coolant/properties").body())
                .isEqualTo("{\"coolant\":{\"properties\":{\"level\":75}}}");

        HttpResponse<String> noProperty = ditto.get(base + "/features/coolant/properties/pressure");
        assertThat(noProperty.statusCode()).isEqualTo(404);
        assertThat(error(noProperty)).isEqualTo("things:feature.property.notfound");

        HttpResponse<String> noFeature = ditto.get(base + "/features/laser");
        assertThat(noFeature.statusCode()).isEqualTo(404);
        assertThat(error(noFeature)).isEqualTo("things:feature.notfound");
        assertThat(error(ditto.put(base + "/features/laser/properties/power", "5"))).isEqualTo("things:feature.notfound");

        assertThat(ditto.delete(base + "/features/coolant").statusCode()).isEqualTo(204);
        assertThat(error(ditto.get(base + "/features/coolant/properties"))).isEqualTo("things:feature.notfound");

        HttpResponse<String> noThing = ditto.get("/api/2/things/plant.test:nothing-here/attributes");
        assertThat(noThing.statusCode()).isEqualTo(404);
        assertThat(error(noThing)).isEqualTo("things:thing.notfound");
    }

    @Test
    void deleteThingThenNotFound() {
        String path = "/api/2/things/" + newMachine();
        assertThat(ditto.delete(path).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = ditto.get(path);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(error(gone)).isEqualTo("things:thing.notfound");
        assertThat(json(gone).getValue("status").get().asInt()).isEqualTo(404);
        assertThat(json(gone).getValue("message").isPresent()).isTrue();
        assertThat(ditto.delete(path).statusCode()).isEqualTo(404);
    }

    @Test
    void patchMergesWithNullDeletesAndNeedsMergePatchContentType() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> merged = ditto.merge(path,
                "{\"attributes\":{\"serial\":null,\"location\":{\"bay\":4}},\"features\":{\"spindle\":{\"properties\":{\"speed\":900}}}}");
        assertThat(merged.statusCode()).isEqualTo(204);
        JsonObject thing = json(ditto.get(path));
        assertThat(thing.getValue("attributes").get())
                .isEqualTo(JsonFactory.readFrom("{\"location\":{\"hall\":\"A\",\"bay\":4}}"));
        assertThat(thing.getValue("features/spindle/properties/speed").get().asInt()).isEqualTo(900);
        assertThat(thing.getValue("features/spindle/properties/temperature").get().asDouble()).isEqualTo(41.5);

        assertThat(ditto.merge(path + "/features/spindle/properties", "{\"temperature\":null,\"vibration\":0.2}")
                .statusCode()).isEqualTo(204);
        assertThat(json(ditto.get(path + "/features/spindle/properties")))
                .isEqualTo(JsonFactory.newObject("{\"speed\":900,\"vibration\":0.2}"));

        HttpResponse<String> wrongType = ditto.patch(path, "{\"attributes\":{\"x\":1}}");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(error(wrongType)).isEqualTo("mediatype.unsupported");
        assertThat(ditto.get(path + "/attributes/x").statusCode()).isEqualTo(404);
    }

    @Test
    void conditionalHeadersOnEtags() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> mismatch = ditto.put(path + "/attributes/serial", "\"P-8\"", "If-Match", "\"rev:99\"");
        assertThat(mismatch.statusCode()).isEqualTo(412);
        assertThat(error(mismatch)).isEqualTo("things:precondition.failed");
        assertThat(mismatch.headers().firstValue("ETag")).hasValueSatisfying(t -> assertThat(t).startsWith("\"hash:"));

        HttpResponse<String> thingMismatch = ditto.put(path, MACHINE, "If-Match", "\"rev:99\"");
        assertThat(thingMismatch.statusCode()).isEqualTo(412);
        assertThat(thingMismatch.headers().firstValue("ETag")).hasValue("\"rev:1\"");
        assertThat(ditto.put(path, MACHINE, "If-Match", "\"rev:1\"").statusCode()).isEqualTo(204);

        HttpResponse<String> mustNotExist = ditto.put(path, MACHINE, "If-None-Match", "*");
        assertThat(mustNotExist.statusCode()).isEqualTo(412);

        HttpResponse<String> unchanged = ditto.get(path, "If-None-Match", "\"rev:2\"");
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue("\"rev:2\"");
        assertThat(ditto.get(path, "If-None-Match", "\"rev:1\"").statusCode()).isEqualTo(200);
    }

    @Test
    void conditionParameter() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> met = ditto.put(path + "/attributes/serial?condition=eq(attributes/serial,%22P-7%22)",
                "\"P-9\"");
        assertThat(met.statusCode()).isEqualTo(204);
        HttpResponse<String> notMet = ditto.put(path + "/attributes/serial?condition=eq(attributes/serial,%22P-7%22)",
                "\"P-10\"");
        assertThat(notMet.statusCode()).isEqualTo(412);
        assertThat(error(notMet)).isEqualTo("things:condition.failed");
        assertThat(ditto.get(path + "/attributes/serial").body()).isEqualTo("\"P-9\"");
        assertThat(ditto.put(path + "/attributes/serial", "\"P-11\"", "condition", "gt(attributes/location/bay,2)")
                .statusCode()).isEqualTo(204);
    }

    @Test
    void responseRequiredFalseAnswers202AfterPersisting() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> accepted = ditto.put(path + "/attributes/shift?response-required=false", "\"night\"");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
        assertThat(ditto.get(path + "/attributes/shift").body()).isEqualTo("\"night\"");

        HttpResponse<String> zeroTimeout = ditto.put(path + "/attributes/shift", "\"day\"", "timeout", "0s");
        assertThat(zeroTimeout.statusCode()).isEqualTo(202);
        assertThat(ditto.get(path + "/attributes/shift").body()).isEqualTo("\"day\"");
    }

    @Test
    void twinPersistedAckIsAnsweredLikeTheCommand() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> persisted = ditto.put(path + "/attributes/a?requested-acks=twin-persisted", "1");
        assertThat(persisted.statusCode()).isEqualTo(201);
        assertThat(persisted.body()).isEqualTo("1");
    }

    @Test
    void requestedAcksAsJsonArrayHeader() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> persisted = ditto.put(path + "/attributes/b", "2", "requested-acks", "[\"twin-persisted\"]");
        assertThat(persisted.statusCode()).isEqualTo(201);
        HttpResponse<String> none = ditto.put(path + "/attributes/b", "3", "requested-acks", "[]");
        assertThat(none.statusCode()).isEqualTo(202);
        assertThat(ditto.get(path + "/attributes/b").body()).isEqualTo("3");
    }

    @Test
    void customAckWithoutSubscriberTimesOut() {
        String path = "/api/2/things/" + newMachine();
        HttpResponse<String> r = ditto.put(path + "/attributes/a?requested-acks=twin-persisted,mes:booked&timeout=1s",
                "1");
        assertThat(r.statusCode()).isEqualTo(408);
        JsonObject body = json(r);
        assertThat(body.getValue("twin-persisted/status").get().asInt()).isEqualTo(201);
        assertThat(body.getValue("mes:booked/status").get().asInt()).isEqualTo(408);
        assertThat(body.getValue("mes:booked/payload/error").get().asString()).isEqualTo("acknowledgement:request.timeout");
        assertThat(ditto.get(path + "/attributes/a").body()).isEqualTo("1");
    }

    @Test
    void invalidRequestsAreDittoErrors() {
        HttpResponse<String> badId = ditto.get("/api/2/things/no-namespace");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(error(badId)).isEqualTo("things:id.invalid");
        assertThat(error(ditto.put("/api/2/things/no-namespace", "{}"))).isEqualTo("things:id.invalid");

        HttpResponse<String> badJson = ditto.put("/api/2/things/plant.test:bad-json", "{\"attributes\":");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(error(badJson)).isEqualTo("json.invalid");

        HttpResponse<String> empty = ditto.put("/api/2/things/plant.test:empty", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(error(empty)).isEqualTo("json.invalid");

        HttpResponse<String> badTimeout = ditto.get("/api/2/things/plant.test:x?timeout=soon");
        assertThat(badTimeout.statusCode()).isEqualTo(400);
        assertThat(json(badTimeout).getValue("status").get().asInt()).isEqualTo(400);
        assertThat(error(badTimeout)).isEqualTo("timeout.invalid");
        HttpResponse<String> tooLong = ditto.put("/api/2/things/plant.test:x", "{}", "timeout", "90s");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(error(tooLong)).isEqualTo("gateway:timeout.invalid");
        assertThat(ditto.get("/api/2/things/plant.test:x").statusCode()).isEqualTo(404);

        HttpResponse<String> badFields = ditto.get("/api/2/things/plant.test:x?fields=attributes(a");
        assertThat(badFields.statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = ditto.get("/api/2/things/plant.test:x/colour");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).isEqualTo(PATH_UNKNOWN);

        HttpResponse<String> post = ditto.post("/api/2/things/plant.test:x", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(error(post)).isEqualTo("gateway:method.notallowed");
        assertThat(post.headers().firstValue("Allow")).hasValue("DELETE, GET, PATCH, PUT");
        assertThat(ditto.delete("/api/2/things/plant.test:x/policyId").statusCode()).isEqualTo(405);
        assertThat(ditto.delete("/api/2/things").statusCode()).isEqualTo(405);
    }

    @Test
    void oversizedBodiesAre413WithDittosCode() {
        String path = "/api/2/things/" + newMachine();
        String justOverLimit = "\"" + "x".repeat(101 * 1024) + "\"";
        HttpResponse<String> engineCheck = ditto.put(path + "/attributes/blob", justOverLimit);
        assertThat(engineCheck.statusCode()).isEqualTo(413);
        assertThat(error(engineCheck)).isEqualTo("things:thing.toolarge");

        String farOverLimit = "\"" + "x".repeat(300 * 1024) + "\"";
        HttpResponse<String> bodyHandlerCheck = ditto.put(path + "/attributes/blob", farOverLimit);
        assertThat(bodyHandlerCheck.statusCode()).isEqualTo(413);
        assertThat(error(bodyHandlerCheck)).isEqualTo("things:thing.toolarge");
        assertThat(ditto.get(path + "/attributes/blob").statusCode()).isEqualTo(404);
    }
}
