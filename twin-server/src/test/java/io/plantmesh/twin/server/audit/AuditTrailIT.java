package io.plantmesh.twin.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.audit.AuditEntry;
import io.plantmesh.audit.AuditRecord;
import io.plantmesh.audit.AuditStore;
import io.plantmesh.audit.AuditVerifier;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.plantmesh.twin.server.support.RunningTwinServer;

/**
 * The twin server's audit trail end to end: writes and denials become records with the right fields, the API serves
 * them to it-admin only, and a restarted server continues the chain.
 */
class AuditTrailIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = "keycloak:it-admin";
    private static final String VIEWER = "keycloak:plant-viewer";
    private static final String POLICY = "{\"entries\":{"
            + "\"ADMIN\":{\"subjects\":{\"" + ADMIN + "\":{\"type\":\"role\"},\"nginx:ditto\":{\"type\":\"dev\"}},"
            + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
            + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
            + "\"message:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
            + "\"VIEWER\":{\"subjects\":{\"" + VIEWER + "\":{\"type\":\"role\"}},"
            + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]}}}}}";

    private MongoServer mongo;
    private String mongoUri;
    private TwinServer server;
    private String base;

    @BeforeEach
    void start() {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        mongoUri = "mongodb://127.0.0.1:" + address.getPort();
        startServer();
    }

    private void startServer() {
        server = TwinServer.create(TwinServerConfig.defaults(mongoUri).withPort(0)
                        .withUsers(Map.of("ditto", "ditto"), null).withPreAuthentication(true))
                .withAudit(AuditSettings.defaults().withReaders(Set.of(ADMIN, "nginx:ditto")));
        int port = server.start();
        base = "http://127.0.0.1:" + port + "/api/2";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        mongo.shutdownNow();
    }

    @Test
    void writesAndDenialsAreRecordedWithWhoWhatOutcomeCorrelationAndRevision() throws Exception {
        assertThat(send("PUT", "/policies/plant1:area", POLICY, ADMIN, "c-policy").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/things/plant1:m-1", "{\"policyId\":\"plant1:area\",\"attributes\":{\"a\":1}}",
                ADMIN, "c-create").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/things/plant1:m-1/attributes/a", "2", ADMIN, "c-modify").statusCode())
                .isEqualTo(204);
        // allowed reads are not audited; a read of something missing is no denial either
        assertThat(send("GET", "/things/plant1:m-1", null, VIEWER, "c-read").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/things/plant1:missing", null, VIEWER, "c-missing").statusCode()).isEqualTo(404);
        // denials: a viewer writes (403), a stranger reads and writes (404), a message without permission (403)
        HttpResponse<String> forbidden = send("PUT", "/things/plant1:m-1/attributes/a", "3", VIEWER, "c-viewer");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/things/plant1:m-1", null, "keycloak:stranger", "c-stranger-read").statusCode())
                .isEqualTo(404);
        assertThat(send("PATCH", "/things/plant1:m-1/attributes", "{\"a\":4}", "keycloak:stranger",
                "c-stranger-write").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/things/plant1:m-1/inbox/messages/holdJob?timeout=0", "{}", VIEWER, "c-message")
                .statusCode()).isEqualTo(403);
        assertThat(send("POST", "/things/plant1:m-1/inbox/messages/holdJob?timeout=0", "{}", ADMIN, "c-message-ok")
                .statusCode()).isEqualTo(202);
        HttpResponse<String> notCreatable = send("PUT", "/things/plant1:m-2", "{\"policyId\":\"plant1:area\"}",
                VIEWER, "c-create-denied");
        assertThat(notCreatable.statusCode()).isBetween(400, 499);
        HttpResponse<String> noCredentials = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/things/plant1:m-1"))
                .header("correlation-id", "c-anonymous").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noCredentials.statusCode()).isEqualTo(401);
        assertThat(server.auditLog().awaitWritten(Duration.ofSeconds(20))).isTrue();

        List<AuditRecord> records = records();
        assertThat(records).extracting(r -> r.entry().correlationId()).containsExactly("c-policy", "c-create",
                "c-modify", "c-viewer", "c-stranger-read", "c-stranger-write", "c-message", "c-message-ok",
                "c-create-denied", "c-anonymous");
        AuditEntry created = records.get(1).entry();
        assertThat(created.subjects()).containsExactly(ADMIN);
        assertThat(created.action()).isEqualTo("thing.create");
        assertThat(created.entity()).isEqualTo("plant1:m-1");
        assertThat(created.resource()).isEqualTo("thing:/");
        assertThat(created.outcome()).isEqualTo(AuditEntry.SUCCEEDED);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.revision()).isEqualTo(1L);
        AuditEntry modified = records.get(2).entry();
        assertThat(modified.action()).isEqualTo("thing.modify");
        assertThat(modified.resource()).isEqualTo("thing:/attributes/a");
        assertThat(modified.revision()).isEqualTo(2L);
        AuditEntry viewer = records.get(3).entry();
        assertThat(viewer.subjects()).containsExactly(VIEWER);
        assertThat(viewer.outcome()).isEqualTo(AuditEntry.DENIED);
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.error()).isEqualTo(JsonFactory.newObject(forbidden.body()).getValue("error")
                .map(JsonValue::asString).orElseThrow());
        assertThat(viewer.revision()).isNull();
        AuditEntry strangerRead = records.get(4).entry();
        assertThat(strangerRead.action()).isEqualTo("thing.retrieve");
        assertThat(strangerRead.outcome()).isEqualTo(AuditEntry.DENIED);
        assertThat(strangerRead.status()).isEqualTo(404);
        assertThat(strangerRead.error()).isEqualTo("things:thing.notfound");
        assertThat(records.get(5).entry().action()).isEqualTo("thing.merge");
        assertThat(records.get(5).entry().outcome()).isEqualTo(AuditEntry.DENIED);
        AuditEntry message = records.get(6).entry();
        assertThat(message.action()).isEqualTo("message.send");
        assertThat(message.resource()).isEqualTo("message:/inbox/messages/holdJob");
        assertThat(message.outcome()).isEqualTo(AuditEntry.DENIED);
        assertThat(message.error()).isEqualTo("messages:send.notallowed");
        assertThat(records.get(7).entry().outcome()).isEqualTo(AuditEntry.SUCCEEDED);
        AuditEntry createDenied = records.get(8).entry();
        assertThat(createDenied.outcome()).isEqualTo(AuditEntry.DENIED);
        assertThat(createDenied.status()).isEqualTo(notCreatable.statusCode());
        assertThat(createDenied.error()).isEqualTo("things:thing.notcreatable");
        AuditEntry anonymous = records.get(9).entry();
        assertThat(anonymous.action()).isEqualTo("authenticate");
        assertThat(anonymous.subjects()).isEmpty();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.outcome()).isEqualTo(AuditEntry.DENIED);
        assertThat(anonymous.resource()).isEqualTo("http:GET /api/2/things/plant1:m-1");
    }

    @Test
    void onlyItAdminAndTheDevelopmentUserMayReadTheLogOthersGetDittos403() throws Exception {
        assertThat(send("PUT", "/policies/plant1:area", POLICY, ADMIN, "c-1").statusCode()).isEqualTo(201);
        assertThat(server.auditLog().awaitWritten(Duration.ofSeconds(20))).isTrue();

        HttpResponse<String> denied = send("GET", "/plantmesh/audit", null, VIEWER + ",keycloak:planner", "c-2");
        assertThat(denied.statusCode()).isEqualTo(403);
        JsonObject error = JsonFactory.newObject(denied.body());
        assertThat(error.getValue("status").map(JsonValue::asInt)).hasValue(403);
        assertThat(error.getValue("error").map(JsonValue::asString)).hasValue("plantmesh:audit.notallowed");
        assertThat(error.getValue("message").map(JsonValue::asString).orElseThrow()).contains("IT administrators");
        assertThat(error.getValue("description")).isPresent();

        HttpResponse<String> page = send("GET", "/plantmesh/audit?from=1&size=10", null, ADMIN, "c-3");
        assertThat(page.statusCode()).isEqualTo(200);
        JsonObject body = JsonFactory.newObject(page.body());
        // the refused read is itself in the log
        assertThat(body.getValue("items").orElseThrow().asArray()).hasSize(2);
        JsonObject refusal = body.getValue("items").orElseThrow().asArray().get(1).orElseThrow().asObject();
        assertThat(refusal.getValue("action").map(JsonValue::asString)).hasValue("audit.read");
        assertThat(refusal.getValue("outcome").map(JsonValue::asString)).hasValue(AuditEntry.DENIED);
        assertThat(refusal.getValue("prev").map(JsonValue::asString)).isEqualTo(body.getValue("items").orElseThrow()
                .asArray().get(0).orElseThrow().asObject().getValue("hash").map(JsonValue::asString));
        assertThat(body.getValue("newest").map(JsonValue::asLong)).hasValue(2L);
        assertThat(body.getValue("next").orElseThrow().isNull()).isTrue();

        HttpResponse<String> dev = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/plantmesh/audit"))
                .header("Authorization", RunningTwinServer.basic("ditto", "ditto")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dev.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/plantmesh/audit?size=0", null, ADMIN, "c-4").statusCode()).isEqualTo(400);
    }

    @Test
    void aRestartedServerContinuesTheChain() throws Exception {
        assertThat(send("PUT", "/policies/plant1:area", POLICY, ADMIN, "c-1").statusCode()).isEqualTo(201);
        assertThat(server.auditLog().awaitWritten(Duration.ofSeconds(20))).isTrue();
        server.close();
        startServer();
        assertThat(send("PUT", "/things/plant1:m-1", "{\"policyId\":\"plant1:area\"}", ADMIN, "c-2").statusCode())
                .isEqualTo(201);
        assertThat(server.auditLog().awaitWritten(Duration.ofSeconds(20))).isTrue();
        List<AuditRecord> records = records();
        assertThat(records).extracting(AuditRecord::sequence).containsExactly(1L, 2L);
        assertThat(records.get(1).previousHash()).isEqualTo(records.get(0).hash());
        try (AuditStore store = AuditStore.open(mongoUri, "plantmesh")) {
            assertThat(AuditVerifier.verify(store, null).intact()).isTrue();
        }
    }

    private List<AuditRecord> records() {
        try (AuditStore store = AuditStore.open(mongoUri, "plantmesh")) {
            return new ArrayList<>(store.page(1, 1000));
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String subjects,
            String correlationId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("x-ditto-pre-authenticated", subjects)
                .header("correlation-id", correlationId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
