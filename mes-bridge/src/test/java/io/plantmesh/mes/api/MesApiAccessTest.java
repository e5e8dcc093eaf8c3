package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.testing.TestIssuer;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Vertx;

/**
 * The MES API's token and role checks (docs/security.md, "Tokens"), over a stand-in of the twins and a test issuer
 * serving its keys on 127.0.0.1.
 */
class MesApiAccessTest {

    private static final String ORDER = "/api/mes/v1/work-orders/plant1:wo-000042";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final FakeTwins twins = new FakeTwins(OrderActionTest.released());
    private TestIssuer issuer;
    private Vertx vertx;
    private MesApi api;
    private String base;

    @BeforeEach
    void start() {
        issuer = TestIssuer.start();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        issuer.close();
    }

    private void startApi(MesApiAccess access) {
        api = MesApi.create(vertx, twins, new MesApiConfig(null, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"),
                ZoneOffset.UTC), access), () -> Map.of("reconciliations", 1L));
        int port = api.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + port;
    }

    private void startWithTokens() {
        startApi(MesApiAccess.tokens(AccessTokenVerifier.create(List.of(OidcIssuer.keycloak("keycloak",
                issuer.issuer())))));
    }

    @Test
    void withoutAnIssuerTheApiStaysOpen() {
        startApi(MesApiAccess.open());
        assertThat(send("GET", ORDER, null, null).statusCode()).isEqualTo(200);
        assertThat(send("POST", ORDER + "/hold", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void withAnIssuerARequestWithoutTokenIs401ButHealthAndOpenApiArePublic() {
        startWithTokens();
        HttpResponse<String> anonymous = send("GET", ORDER, null, null);
        assertError(anonymous, 401, "mes:authentication.failed");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
        assertThat(JsonObject.of(anonymous.body()).getValue("description").map(JsonValue::asString).orElseThrow())
                .contains(issuer.issuer().toString());
        assertThat(send("GET", "/api/mes/v1/health", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/mes/v1/openapi.yaml", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/mes/v1/metrics", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerReadsButMayNotChangeOrders() {
        startWithTokens();
        String viewer = issuer.token("viewer-id", "plant-viewer").claim("preferred_username", "viewer").sign();

        assertThat(send("GET", ORDER, viewer, null).statusCode()).isEqualTo(200);
        HttpResponse<String> hold = send("POST", ORDER + "/hold", viewer, null);
        assertError(hold, 403, "mes:permission.denied");
        assertThat(JsonObject.of(hold.body()).getValue("message").map(JsonValue::asString).orElseThrow())
                .contains("viewer").contains("production-supervisor").contains("[plant-viewer]");
        assertError(send("POST", "/api/mes/v1/work-orders", viewer, "{}"), 403, "mes:permission.denied");
        assertThat(twins.merges).isEmpty();
    }

    @Test
    void supervisorsPlannersAdminsAndTheMesBridgeChangeOrders() {
        startWithTokens();
        for (String role : List.of("production-supervisor", "planner", "it-admin", "svc-mes-bridge")) {
            String token = issuer.token("u-" + role, role).sign();
            twins.reset();
            HttpResponse<String> hold = send("POST", ORDER + "/hold", token, "{\"reason\":\"" + role + "\"}");
            assertThat(hold.statusCode()).as(role + ": " + hold.body()).isEqualTo(200);
            // a create reaches the API's own validation, not the role check
            HttpResponse<String> create = send("POST", "/api/mes/v1/work-orders", token, "{}");
            assertThat(create.statusCode()).as(role).isEqualTo(400);
        }
    }

    @Test
    void servicesAndDevicesWithoutAnMesRoleAreRefused() {
        startWithTokens();
        assertError(send("GET", ORDER, issuer.token("s1", "svc-erp-bridge").sign(), null), 403,
                "mes:permission.denied");
        assertError(send("POST", ORDER + "/hold", issuer.token("g1", "device-gateway").sign(), null), 403,
                "mes:permission.denied");
        assertError(send("POST", ORDER + "/hold", issuer.token("f1", "erp-finance", "plant-viewer").sign(), null),
                403, "mes:permission.denied");
    }

    @Test
    void expiredForeignAndForgedTokensAre401() {
        startWithTokens();
        assertError(send("GET", ORDER, issuer.token("u", "it-admin").expiresAt(Instant.now().minusSeconds(300))
                .sign(), null), 401, "mes:authentication.failed");
        assertError(send("GET", ORDER, issuer.token("u", "it-admin").issuer("http://127.0.0.1:7/realms/x").sign(),
                null), 401, "mes:authentication.failed");
        assertError(send("GET", ORDER, issuer.token("u", "it-admin").signedWith(TestIssuer.newRsaKey("rsa-1"))
                .sign(), null), 401, "mes:authentication.failed");
        assertError(send("GET", ORDER, "not-a-jwt", null), 401, "mes:authentication.failed");
    }

    @Test
    void theDevelopmentLoginIsAcceptedBesideTokensAndNothingElseBasicIs() {
        startApi(MesApiAccess.tokens(AccessTokenVerifier.create(List.of(OidcIssuer.keycloak("keycloak",
                issuer.issuer())))).withDevelopmentLogin("ditto", "ditto"));

        assertThat(sendBasic("POST", ORDER + "/hold", "ditto:ditto").statusCode()).isEqualTo(200);
        assertError(sendBasic("GET", ORDER, "ditto:wrong"), 401, "mes:authentication.failed");
        assertError(sendBasic("GET", ORDER, "alice:ditto"), 401, "mes:authentication.failed");
        assertError(send("POST", ORDER + "/hold", issuer.token("v", "plant-viewer").sign(), null), 403,
                "mes:permission.denied");
    }

    private HttpResponse<String> sendBasic(String method, String path, String userAndPassword) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        userAndPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    @Test
    void anUnreachableIssuerIs503() {
        startWithTokens();
        issuer.available(false);
        assertError(send("GET", ORDER, issuer.token("u", "it-admin").sign(), null), 503,
                "mes:authentication.unavailable");
    }

    @Test
    void theRuleTableByMethodAndPath() {
        assertThat(MesApiAccess.allowedRoles(io.vertx.core.http.HttpMethod.GET, "/api/mes/v1/health")).isNull();
        assertThat(MesApiAccess.allowedRoles(io.vertx.core.http.HttpMethod.GET, "/api/mes/v1/lines/plant1:line-1/"
                + "schedule")).isEqualTo(MesApiAccess.READERS);
        assertThat(MesApiAccess.allowedRoles(io.vertx.core.http.HttpMethod.POST, "/api/mes/v1/work-orders/x/cancel"))
                .isEqualTo(MesApiAccess.ORDER_WRITERS);
        assertThat(MesApiAccess.ORDER_WRITERS).doesNotContain("plant-viewer", "erp-finance");
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject json = JsonObject.of(response.body());
        assertThat(json.getValue("status").map(JsonValue::asInt)).hasValue(status);
        assertThat(json.getValue("error").map(JsonValue::asString)).hasValue(error);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    /** One work order at revision 7 that accepts every conditional merge. */
    private static final class FakeTwins implements ApiTwins {

        private final WorkOrderTwin order;
        private long revision = 7;
        final List<JsonObject> merges = new ArrayList<>();

        FakeTwins(WorkOrderTwin order) {
            this.order = order;
        }

        synchronized void reset() {
            revision = 7;
            merges.clear();
        }

        @Override
        public synchronized CompletionStage<Optional<Thing>> retrieve(ThingId id) {
            return CompletableFuture.completedFuture(id.equals(order.id())
                    ? Optional.of(order.toThing().toBuilder().setRevision(revision).build()) : Optional.empty());
        }

        @Override
        public synchronized CompletionStage<Void> mergeIfRevision(ThingId id, JsonObject patch, long expected) {
            merges.add(patch);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Thing> create(JsonObject thing) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not used"));
        }

        @Override
        public List<Thing> search(List<String> namespaces, String filter) {
            return List.of();
        }

        @Override
        public String endpoint() {
            return "fake twins";
        }
    }
}
