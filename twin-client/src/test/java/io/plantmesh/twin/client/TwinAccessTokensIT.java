package io.plantmesh.twin.client;

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
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.testing.TestIssuer;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A bridge's twin access with client-credentials tokens against the embedded twin server, whose issuer is a test
 * issuer on 127.0.0.1 handing out short-lived tokens: the session keeps working after its first token expired.
 */
class TwinAccessTokensIT {

    private static final ThingId ORDER = ThingId.of("plant.test:wo-1");

    private TestIssuer issuer;
    private MongoServer mongo;
    private TwinServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        issuer = TestIssuer.start().client("plantmesh-erp-bridge", "erp-secret", "svc-erp-bridge")
                .tokenLifetime(Duration.ofSeconds(14));
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        server = TwinServer.create(TwinServerConfig.defaults("mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort())
                .withPort(0)
                .withOidcIssuers(List.of(OidcIssuer.keycloak("keycloak", issuer.issuer()))));
        port = server.start();
        String policy = "{\"entries\":{\"ADMIN\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"dev\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
                + "\"ERP\":{\"subjects\":{\"keycloak:svc-erp-bridge\":{\"type\":\"service\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}}}";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/2/things/" + ORDER))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ditto:ditto".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"_policy\":" + policy + ",\"attributes\":{\"qty\":1}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void theSessionOutlivesItsFirstToken() throws Exception {
        TokenClient tokens = TokenClient.create(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-erp-bridge", "erp-secret"));
        Instant firstExpiry = tokens.token().expiresAt();
        try (TwinAccess twins = TwinAccess.connect(URI.create("ws://127.0.0.1:" + port + "/ws/2"), tokens,
                Duration.ofSeconds(10))) {
            Thing before = twins.retrieve(ORDER).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(before.getAttributes().flatMap(a -> a.getValue("qty"))).hasValue(JsonValue.of(1));

            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Instant.now().isAfter(firstExpiry.plusSeconds(1)));

            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        twins.merge(ORDER, JsonObject.of("{\"attributes\":{\"qty\":2}}")).toCompletableFuture()
                                .get(5, TimeUnit.SECONDS);
                        return true;
                    });
            Thing after = twins.retrieve(ORDER).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(after.getAttributes().flatMap(a -> a.getValue("qty"))).hasValue(JsonValue.of(2));
            assertThat(issuer.tokenRequests()).as("renewed before expiry").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aWrongSecretIsReportedWithTheClientAndWhatToCheck() {
        TokenClient wrong = TokenClient.create(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-erp-bridge", "guess"));
        assertThatThrownBy(() -> TwinAccess.connect(URI.create("ws://127.0.0.1:" + port + "/ws/2"), wrong,
                Duration.ofSeconds(5)))
                .isInstanceOf(TwinAccessException.class)
                .hasMessageContaining("plantmesh-erp-bridge")
                .hasMessageContaining("invalid_client");
    }
}
