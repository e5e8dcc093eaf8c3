package io.plantmesh.launcher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.testing.TestIssuer;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.DevelopmentCertificates;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.plantmesh.webui.WebUiServer;

/**
 * {@code plantmesh service maintenance} as a Kubernetes pod runs it, against a twin server that takes tokens only
 * (basic authentication off) from a test issuer and serves {@code wss} with a development CA: the service reads its
 * issuer, client and secret file and the CA file from its settings, gets tokens of client
 * {@code plantmesh-maintenance} and follows the machine twins its role may read; a wrong secret stops it with a
 * message naming the client. The web UI on the same settings tells its page the issuer and hands it no password.
 * {@code plantmesh service provision} as the chart's Job runs it with {@code security.mode=oauth}: tokens of client
 * {@code plantmesh-provisioning} (role {@code svc-provisioning}) create the demo plant's policies and twins on the
 * tokens-only server (a plant of their own), again idempotently; a client whose role may not write policies is refused with a message naming
 * the provisioning client. (Hono's registry is a stand-in on 127.0.0.1 that stores what it is sent.)
 */
class ServiceOnTokensIT {

    private static final String SECRET = "maintenance-secret-of-this-test";
    private static final String MACHINE_POLICY = "plant1:it-machines";
    private static final String PROVISIONING_SECRET = "provisioning-secret-of-this-test";

    @TempDir
    Path dir;

    private TestIssuer issuer;
    private EmbeddedMongoServer store;
    private TwinServer twins;
    private int port;
    private HttpClient http;
    private ServiceRunner.Running running;
    private String machineId;

    @BeforeEach
    void start() throws Exception {
        issuer = TestIssuer.start().client(PlantMeshRealm.MAINTENANCE_CLIENT, SECRET, PlantMeshRealm.SVC_MAINTENANCE);
        store = EmbeddedMongoServer.create(new EmbeddedStoreConfig(dir.resolve("store"),
                "127.0.0.1", 0, EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true));
        store.start();
        final Path certs = dir.resolve("certs");
        DevelopmentCertificates.ensure(certs, List.of("127.0.0.1", "localhost"), 1, false);
        twins = TwinServer.create(TwinServerConfig.defaults(store.connectionString())
                .withPort(0)
                .withBasicAuthentication(false)
                .withOidcIssuers(List.of(OidcIssuer.keycloak("keycloak", issuer.issuer())))
                .withTls(DevelopmentCertificates.listenerTls(certs)));
        port = twins.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(ClientTrust.fromPemFile(certs.resolve(DevelopmentCertificates.CA_CERTIFICATE))
                        .sslContext()).build();

        final String policy = "{\"entries\":{"
                + "\"ADMIN\":{\"subjects\":{\"keycloak:it-admin\":{\"type\":\"role\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
                + "\"MAINTENANCE\":{\"subjects\":{\"keycloak:svc-maintenance\":{\"type\":\"role\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}}}";
        assertThat(send("PUT", "/api/2/policies/" + MACHINE_POLICY, policy, admin()).statusCode()).isEqualTo(201);
        final MachineTwin machine = DemoPlant.generate("plant1", 42, Instant.now()).machines().get(0);
        machineId = machine.id().toString();
        final JsonObject thing = machine.toThing().toJson().setValue("policyId", MACHINE_POLICY);
        final HttpResponse<String> created = send("PUT", "/api/2/things/" + machineId, thing.toString(), admin());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.service().close();
        }
        if (twins != null) {
            twins.close();
        }
        if (store != null) {
            store.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void theMaintenanceServiceFollowsTheMachinesWithItsClientsTokensOverWss() throws Exception {
        // the twin server takes tokens only
        final HttpResponse<String> basic = send("GET", "/api/2/things/" + machineId, null, "Basic "
                + Base64.getEncoder().encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8)));
        assertThat(basic.statusCode()).isEqualTo(401);

        running = ServiceRunner.start("maintenance", config(SECRET));

        assertThat(running.summary()).contains("client 'plantmesh-maintenance'", "wss://127.0.0.1:" + port);
        assertThat(issuer.tokenRequests()).as("tokens of the service's client").isGreaterThanOrEqualTo(1);
        // a machine changes: the service sees it through the change stream its token may read
        final String patch = "{\"features\":{\"telemetry\":{\"properties\":{\"temperature\":61.5,"
                + "\"vibration\":2.5}}}}";
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            final HttpResponse<String> merged = send("PATCH", "/api/2/things/" + machineId, patch, admin());
            assertThat(merged.statusCode()).as(merged.body()).isIn(200, 204);
            assertThat(running.metrics().get()).containsKey("maintenance_samples_total");
            assertThat(running.metrics().get().get("maintenance_samples_total")).isGreaterThanOrEqualTo(1L);
        });
    }

    @Test
    void aWrongSecretStopsTheStartNamingTheClient() throws Exception {
        assertThatThrownBy(() -> {
            running = ServiceRunner.start("maintenance", config("not-the-secret"));
        }).hasMessageContaining(PlantMeshRealm.MAINTENANCE_CLIENT);
    }

    @Test
    void theWebUiTellsThePageTheIssuerAndHandsItNoPassword() throws Exception {
        final Path file = dir.resolve("web-ui.properties");
        Files.writeString(file, String.join("\n",
                "plant.tenants=plant1",
                "ditto.url=https://127.0.0.1:" + port,
                "ditto.auth=oauth",
                "oauth.issuer=" + issuer.issuer(),
                "http.host=127.0.0.1",
                "http.port=0",
                "mes.url=https://127.0.0.1:9/api/mes/v1",
                ""));
        running = ServiceRunner.start("web-ui", ServiceConfig.load(file, Map.of()));
        assertThat(running.summary()).contains("no shared login", "identity provider " + issuer.issuer());
        final String base = ((WebUiServer) running.service()).uri().toString().replaceAll("/+$", "");

        final HttpResponse<String> config = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/config.json")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(config.statusCode()).isEqualTo(200);
        final JsonObject json = JsonObject.of(config.body());
        assertThat(json.getValue("identityProvider/enabled").map(v -> v.asBoolean())).hasValue(true);
        assertThat(json.getValue("identityProvider/issuer").map(v -> v.asString()))
                .hasValue(issuer.issuer().toString());
        assertThat(json.getValue("identityProvider/clientId").map(v -> v.asString()))
                .hasValue(PlantMeshRealm.UI_CLIENT);
        assertThat(json.getValue("auth/logins").map(v -> v.asObject().isEmpty())).hasValue(true);
        assertThat(config.body()).doesNotContain("password");
    }

    @Test
    void provisioningWritesThePoliciesAndTwinsWithItsClientsTokens() throws Exception {
        issuer.client(PlantMeshRealm.PROVISIONING_CLIENT, PROVISIONING_SECRET, PlantMeshRealm.SVC_PROVISIONING);
        final HttpServer registry = standInRegistry();
        try {
            final int before = issuer.tokenRequests();
            running = ServiceRunner.start("provision", provisionConfig(PROVISIONING_SECRET, null,
                    registry.getAddress().getPort()));
            assertThat(running.summary()).contains("4 policies created").contains("devices");
            assertThat(issuer.tokenRequests()).as("tokens of plantmesh-provisioning").isGreaterThan(before);

            final HttpResponse<String> policy = send("GET", "/api/2/policies/plant2:orders", null, admin());
            assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
            assertThat(JsonObject.of(policy.body()).getValue("entries/SVC-PROVISIONING/subjects")
                    .map(v -> v.asObject().contains("keycloak:svc-provisioning"))).hasValue(true);
            assertThat(JsonObject.of(policy.body()).contains("DEVELOPMENT"))
                    .as("no development-user entry (nginx:ditto) in policies provisioned on tokens").isFalse();
            final DemoPlant plant = DemoPlant.generate("plant2", 42, Instant.now());
            final String line = plant.lines().get(0).id().toString();
            final HttpResponse<String> twin = send("GET", "/api/2/things/" + line, null, admin());
            assertThat(twin.statusCode()).as(twin.body()).isEqualTo(200);
            assertThat(JsonObject.of(twin.body()).getValue("policyId").map(v -> v.asString()))
                    .hasValue("plant2:shopfloor");

            // a second run (the Job after every upgrade) finds everything and changes nothing
            final ServiceRunner.Running again = ServiceRunner.start("provision", provisionConfig(PROVISIONING_SECRET,
                    null, registry.getAddress().getPort()));
            assertThat(again.summary()).contains("already provisioned");
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void aClientWhoseRoleMayNotWritePoliciesIsRefusedNamingTheProvisioningClient() throws Exception {
        final HttpServer registry = standInRegistry();
        try {
            assertThatThrownBy(() -> ServiceRunner.start("provision", provisionConfig(SECRET,
                    PlantMeshRealm.MAINTENANCE_CLIENT, registry.getAddress().getPort())))
                    .hasMessageContaining("403")
                    .hasMessageContaining(PlantMeshRealm.PROVISIONING_CLIENT)
                    .hasMessageContaining("svc-provisioning");
        } finally {
            registry.stop(0);
        }
    }

    /** provision.properties as the chart renders it with security.mode=oauth. */
    private ServiceConfig provisionConfig(final String secret, final String clientId, final int registryPort)
            throws Exception {
        final Path secretFile = dir.resolve("provisioning-client-secret");
        Files.writeString(secretFile, secret + "\n");
        final Path file = dir.resolve("provision.properties");
        Files.writeString(file, String.join("\n",
                // plant1 has a machine of this test's own policy, which provisioning may not see
                "plant.tenants=plant2",
                "plant.demo.tenants=plant2",
                "ditto.url=https://127.0.0.1:" + port,
                "ditto.auth=oauth",
                "oauth.issuer=" + issuer.issuer(),
                "oauth.client.secret.file=" + secretFile,
                clientId == null ? "" : "oauth.client.id=" + clientId,
                "tls.ca.file=" + dir.resolve("certs").resolve(DevelopmentCertificates.CA_CERTIFICATE),
                "registry.url=http://127.0.0.1:" + registryPort + "/v1",
                ""));
        return ServiceConfig.load(file, Map.of("PLANTMESH_DEVICE_PASSWORD", "device-password-of-this-test"));
    }

    /**
     * Hono's registry management API as far as provisioning uses it: what was POSTed or PUT exists afterwards (GET
     * 200 with the body), anything else is 404.
     */
    private static HttpServer standInRegistry() throws Exception {
        final Map<String, String> stored = new ConcurrentHashMap<>();
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", exchange -> {
            final String path = exchange.getRequestURI().getPath();
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final int status;
            String answer = "";
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    answer = stored.getOrDefault(path, "");
                    status = stored.containsKey(path) ? 200 : 404;
                }
                case "POST" -> {
                    stored.put(path, body);
                    status = 201;
                }
                case "PUT" -> {
                    stored.put(path, body);
                    status = 204;
                }
                default -> status = 405;
            }
            final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0 && status != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The settings as the chart renders them: a properties file, the secret as a mounted file, the CA file. */
    private ServiceConfig config(final String secret) throws Exception {
        final Path secretFile = dir.resolve("oauth-client-secret");
        Files.writeString(secretFile, secret + "\n");
        final Path file = dir.resolve("maintenance.properties");
        Files.writeString(file, String.join("\n",
                "plant.tenants=plant1",
                "ditto.endpoint=wss://127.0.0.1:" + port + "/ws/2",
                "ditto.auth=oauth",
                "oauth.issuer=" + issuer.issuer(),
                "oauth.client.secret.file=" + secretFile,
                "tls.ca.file=" + dir.resolve("certs").resolve(DevelopmentCertificates.CA_CERTIFICATE),
                "maintenance.mes.api=none",
                "maintenance.database=plantmesh_maintenance_it",
                ""));
        return ServiceConfig.load(file, Map.of("PLANTMESH_MONGO_URI", store.connectionString()));
    }

    private String admin() {
        return "Bearer " + issuer.token("it-admin-user", PlantMeshRealm.IT_ADMIN).sign();
    }

    private HttpResponse<String> send(final String method, final String path, final String body,
            final String authorization) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "PATCH".equals(method) ? "application/merge-patch+json"
                    : "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
