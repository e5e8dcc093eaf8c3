package io.plantmesh.twin.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.AccessTokenAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.jwt.model.ImmutableJsonWebToken;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.testing.TestIssuer;
import io.plantmesh.twin.server.support.RawWebSocket;
import io.plantmesh.twin.server.support.RunningTwinServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;

/**
 * OpenID Connect access tokens on the twin server, over HTTP and {@code /ws/2}, with keys served by a test issuer on
 * 127.0.0.1: subjects as Ditto derives them ({@code keycloak:<sub>}, {@code keycloak:<realm role>}), Ditto's errors
 * for refused tokens, token at connect and refresh during a WebSocket session, and the official Ditto Java client
 * renewing its token through the security module's token client.
 */
class TokenAuthenticationIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SECURED = "plant.test:secured";

    private static TestIssuer keycloak;
    private static TestIssuer shortLived;
    private static RunningTwinServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        keycloak = TestIssuer.start();
        shortLived = TestIssuer.start().client("plantmesh-mes-bridge", "mes-secret", "svc-mes-bridge", "planner")
                .tokenLifetime(Duration.ofSeconds(6));
        server = RunningTwinServer.start(config -> config.withOidcIssuers(List.of(
                OidcIssuer.keycloak("keycloak", keycloak.issuer()),
                OidcIssuer.keycloak("short", shortLived.issuer()))));
        vertx = Vertx.vertx();
        // a thing whose policy grants realm roles, as the policy templates do
        HttpResponse<String> created = send("PUT", "/api/2/things/" + SECURED, RunningTwinServer.basic("ditto",
                "ditto"), "{\"_policy\":{\"entries\":{"
                + "\"ADMIN\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"development user\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"message:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
                + "\"VIEWERS\":{\"subjects\":{\"keycloak:plant-viewer\":{\"type\":\"realm role\"}},"
                + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]}}},"
                + "\"PLANNERS\":{\"subjects\":{\"keycloak:planner\":{\"type\":\"realm role\"},"
                + "\"short:planner\":{\"type\":\"realm role\"}},"
                + "\"resources\":{\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}}},"
                + "\"attributes\":{\"counter\":0}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        if (server != null) {
            server.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        if (shortLived != null) {
            shortLived.close();
        }
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void whoAmIShowsTheTokensSubjectAndRealmRoles() {
        HttpResponse<String> me = get("/api/2/whoami", bearer(keycloak.token("4f1c-sub", "production-supervisor",
                "plant-viewer").sign()));

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JsonObject.of(me.body())).isEqualTo(JsonObject.of("{\"defaultSubject\":\"keycloak:4f1c-sub\","
                + "\"subjects\":[\"keycloak:4f1c-sub\",\"keycloak:production-supervisor\",\"keycloak:plant-viewer\"]}"));
    }

    @Test
    void realmRolesAreWhatPoliciesGrantTo() {
        String viewer = bearer(keycloak.token("v1", "plant-viewer").sign());
        String planner = bearer(keycloak.token("p1", "planner").sign());
        String nobody = bearer(keycloak.token("n1").sign());

        assertThat(get("/api/2/things/" + SECURED, viewer).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/api/2/things/" + SECURED + "/attributes/counter", viewer, "1").statusCode())
                .isEqualTo(403);
        assertThat(send("PUT", "/api/2/things/" + SECURED + "/attributes/counter", planner, "2").statusCode())
                .isEqualTo(204);
        assertThat(get("/api/2/things/" + SECURED, nobody).statusCode()).isEqualTo(404);
    }

    @Test
    void aThingCreatedWithATokenGetsTheTokensSubjectInItsDefaultPolicy() {
        String token = bearer(keycloak.token("creator-7", "planner").sign());
        HttpResponse<String> created = send("PUT", "/api/2/things/plant.test:own", token, "{}");
        assertThat(created.statusCode()).isEqualTo(201);

        HttpResponse<String> policy = get("/api/2/policies/plant.test:own/entries/DEFAULT/subjects", token);
        assertThat(JsonObject.of(policy.body()).getKeys()).extracting(Object::toString)
                .containsExactly("keycloak:creator-7");
    }

    @Test
    void refusedTokensGet401WithDittosGatewayErrors() {
        HttpResponse<String> expired = get("/api/2/whoami", bearer(keycloak.token("u1", "it-admin")
                .expiresAt(Instant.now().minusSeconds(120)).sign()));
        assertError(expired, 401, "gateway:authentication.failed", "The JWT could not be verified.", "expired at");

        HttpResponse<String> foreign = get("/api/2/whoami", bearer(keycloak.token("u1", "it-admin")
                .issuer("http://127.0.0.1:9/realms/elsewhere").sign()));
        assertError(foreign, 401, "gateway:jwt.issuer.notsupported", "http://127.0.0.1:9/realms/elsewhere",
                "does not trust");

        HttpResponse<String> forged = get("/api/2/whoami", bearer(keycloak.token("u1", "it-admin")
                .signedWith(TestIssuer.newRsaKey("rsa-1")).sign()));
        assertError(forged, 401, "gateway:authentication.failed", "The JWT could not be verified.",
                "does not verify");

        HttpResponse<String> unknownKey = get("/api/2/whoami", bearer(keycloak.token("u1", "it-admin")
                .signedWith(TestIssuer.newRsaKey("someone-elses")).sign()));
        assertError(unknownKey, 401, "gateway:authentication.failed", "The JWT could not be verified.",
                "someone-elses");

        HttpResponse<String> empty = get("/api/2/whoami", "Bearer ");
        assertError(empty, 401, "gateway:authentication.failed", "The JWT was missing.", "Bearer");

        HttpResponse<String> none = get("/api/2/things/" + SECURED, null);
        assertError(none, 401, "gateway:authentication.failed", "Unauthorized.", "access token");
        assertThat(none.headers().allValues("WWW-Authenticate")).anySatisfy(v -> assertThat(v).startsWith("Bearer"))
                .anySatisfy(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void aTokenThatIsNoJwtAtAllIsDittos400JwtInvalid() {
        HttpResponse<String> garbage = get("/api/2/whoami", "Bearer not-a-jwt");
        assertError(garbage, 400, "jwt:invalid", "The JSON Web Token is not valid.", "not a signed JWT");
    }

    @Test
    void basicAuthenticationStaysAvailableBesideTokens() {
        HttpResponse<String> me = get("/api/2/whoami", RunningTwinServer.basic("ditto", "ditto"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("nginx:ditto");
    }

    @Test
    void withBasicAuthenticationOffOnlyTokensAreAccepted() {
        try (RunningTwinServer production = RunningTwinServer.start(config -> config.withBasicAuthentication(false)
                .withPreAuthentication(false).withOidcIssuers(List.of(OidcIssuer.keycloak("keycloak",
                        keycloak.issuer()))))) {
            HttpResponse<String> basic = send("GET", production, "/api/2/whoami",
                    RunningTwinServer.basic("ditto", "ditto"), null);
            assertThat(basic.statusCode()).isEqualTo(401);
            assertThat(basic.headers().allValues("WWW-Authenticate")).noneMatch(v -> v.startsWith("Basic"));
            assertThat(JsonObject.of(basic.body()).getValue("description").map(JsonValue::asString).orElseThrow())
                    .contains("Bearer").doesNotContain("basic");

            HttpResponse<String> token = send("GET", production, "/api/2/whoami",
                    bearer(keycloak.token("u1", "it-admin").sign()), null);
            assertThat(token.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theFirstRequestWaitsForTheIssuersKeysAndKeepsItsBody() {
        try (RunningTwinServer fresh = RunningTwinServer.start(config -> config.withOidcIssuers(List.of(
                OidcIssuer.keycloak("keycloak", keycloak.issuer()))))) {
            String token = bearer(keycloak.token("first-1", "planner").sign());
            HttpResponse<String> created = send("PUT", fresh, "/api/2/things/plant.test:first", token,
                    "{\"attributes\":{\"body\":\"kept\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> read = send("GET", fresh, "/api/2/things/plant.test:first/attributes/body", token,
                    null);
            assertThat(read.body()).isEqualTo("\"kept\"");
        }
    }

    // ------------------------------------------------------------------ WebSocket

    @Test
    void aWebSocketAcceptsTheTokenInTheHeaderOrAsAccessTokenParameter() throws Exception {
        String token = keycloak.token("v2", "plant-viewer").sign();
        try (RawWebSocket header = RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + token));
                RawWebSocket parameter = RawWebSocket.open(vertx, server, "?access_token=" + token, Map.of())) {
            assertThat(retrieveStatus(header, "h1")).isEqualTo(200);
            assertThat(retrieveStatus(parameter, "p1")).isEqualTo(200);
        }
    }

    @Test
    void aWebSocketHandshakeWithARefusedTokenIsRefusedWith401() {
        String expired = keycloak.token("u1", "plant-viewer").expiresAt(Instant.now().minusSeconds(120)).sign();
        assertThatThrownBy(() -> RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + expired)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UpgradeRejectedException.class)
                .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
        String token = keycloak.token("u1").sign();
        assertThatThrownBy(() -> RawWebSocket.open(vertx, server, "?access_token=" + token,
                Map.of("Authorization", "Bearer " + token)))
                .cause().satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
    }

    @Test
    void aSessionEndsWhenItsTokenExpiresUnlessRefreshed() throws Exception {
        String soon = keycloak.token("u-exp", "plant-viewer").expiresIn(Duration.ofSeconds(2)).sign();
        try (RawWebSocket socket = RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + soon))) {
            assertThat(retrieveStatus(socket, "before")).isEqualTo(200);

            assertThat(socket.closed().get(15, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(lastError(socket)).isEqualTo("gateway:websocket.session.expired");
        }
    }

    @Test
    void aRefreshedTokenKeepsTheSessionAndBringsItsRoles() throws Exception {
        String first = keycloak.token("u-ref").expiresIn(Duration.ofSeconds(3)).sign();
        try (RawWebSocket socket = RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + first))) {
            assertThat(retrieveStatus(socket, "no-role")).isEqualTo(404);

            socket.send("JWT-TOKEN?jwtToken=" + keycloak.token("u-ref", "plant-viewer").sign());
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> retrieveStatus(socket, "poll") == 200);

            // the first token's expiry passes; the session lives on with the refreshed one
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> expired(first));
            assertThat(socket.closed()).isNotDone();
            assertThat(retrieveStatus(socket, "after")).isEqualTo(200);
        }
    }

    @Test
    void aRefreshedTokenOfAnotherSubjectOrAnInvalidOneClosesTheSession() throws Exception {
        String token = keycloak.token("u-a", "plant-viewer").sign();
        try (RawWebSocket socket = RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + token))) {
            socket.send("JWT-TOKEN?jwtToken=" + keycloak.token("u-b", "it-admin").sign());
            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(lastError(socket)).isEqualTo("gateway:websocket.session.closed");
        }
        try (RawWebSocket socket = RawWebSocket.open(vertx, server, "", Map.of("Authorization", "Bearer " + token))) {
            socket.send("JWT-TOKEN?jwtToken=" + keycloak.token("u-a", "plant-viewer")
                    .signedWith(TestIssuer.newRsaKey("rsa-1")).sign());
            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(lastError(socket)).isEqualTo("gateway:websocket.session.closed");
        }
    }

    @Test
    void theDittoJavaClientRenewsItsTokenAndKeepsItsSession() throws Exception {
        TokenClient tokens = TokenClient.create(TokenClientConfig.clientCredentials(shortLived.tokenEndpoint(),
                "plantmesh-mes-bridge", "mes-secret"));
        AtomicInteger disconnects = new AtomicInteger();
        int requestsBefore = shortLived.tokenRequests();
        DittoClient client = DittoClients.newInstance(MessagingProviders.webSocket(
                WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(server.wsBase())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .timeout(Duration.ofSeconds(10))
                        .reconnectEnabled(false)
                        .disconnectedListener(context -> disconnects.incrementAndGet())
                        .build(),
                AuthenticationProviders.accessToken(AccessTokenAuthenticationConfiguration.newBuilder()
                        .identifier("plantmesh-mes-bridge")
                        .accessTokenSupplier(() -> ImmutableJsonWebToken.fromToken(tokens.token().value()))
                        .expiryGracePeriod(Duration.ofSeconds(2))
                        .build())))
                .connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Thing thing = client.twin().forId(ThingId.of(SECURED)).retrieve().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(thing.getAttributes()).isPresent();

            // tokens live 6 s and are renewed 2 s before they expire: two renewals outlive the first token
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> shortLived.tokenRequests() - requestsBefore >= 3);

            client.twin().forId(ThingId.of(SECURED)).putAttribute("renewed", JsonValue.of(true))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(disconnects).hasValue(0);
        } finally {
            client.destroy();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Whether the token's {@code exp} lies more than a second in the past. */
    private static boolean expired(String token) {
        long exp = JsonObject.of(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8)).getValue("exp").map(JsonValue::asLong).orElseThrow();
        return Instant.now().getEpochSecond() > exp + 1;
    }

    /** Retrieves the secured thing over the socket and returns the response's status. */
    private static int retrieveStatus(RawWebSocket socket, String correlationId) throws InterruptedException {
        String id = correlationId + "-" + System.nanoTime();
        socket.send(JsonFactory.newObjectBuilder()
                .set("topic", "plant.test/secured/things/twin/commands/retrieve")
                .set("headers", JsonFactory.newObjectBuilder().set("correlation-id", id).build())
                .set("path", "/")
                .build());
        for (int i = 0; i < 20; i++) {
            JsonObject reply = socket.nextJson();
            boolean ours = reply.getValue(JsonPointer.of("/headers/correlation-id")).map(JsonValue::asString)
                    .filter(id::equals).isPresent();
            if (ours) {
                return reply.getValue("status").map(JsonValue::asInt).orElse(-1);
            }
        }
        throw new AssertionError("No reply to " + id);
    }

    /** The error code of the last protocol error the socket received before it closed. */
    private static String lastError(RawWebSocket socket) throws InterruptedException {
        String code = null;
        String frame;
        while ((frame = socket.poll(Duration.ofMillis(200))) != null) {
            JsonObject json = JsonObject.of(frame);
            code = json.getValue(JsonPointer.of("/value/error")).map(JsonValue::asString).orElse(code);
        }
        return code;
    }

    private static void assertError(HttpResponse<String> response, int status, String error, String messagePart,
            String descriptionPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject json = JsonObject.of(response.body());
        assertThat(json.getValue("status").map(JsonValue::asInt)).hasValue(status);
        assertThat(json.getValue("error").map(JsonValue::asString)).hasValue(error);
        assertThat(json.getValue("message").map(JsonValue::asString).orElseThrow()).contains(messagePart);
        assertThat(json.getValue("description").map(JsonValue::asString).orElseThrow()).contains(descriptionPart);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static HttpResponse<String> get(String path, String authorization) {
        return send("GET", path, authorization, null);
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body) {
        return send(method, server, path, authorization, body);
    }

    private static HttpResponse<String> send(String method, RunningTwinServer target, String path,
            String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.httpBase() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }
}
