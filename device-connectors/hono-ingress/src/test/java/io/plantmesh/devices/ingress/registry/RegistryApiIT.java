package io.plantmesh.devices.ingress.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** Hono's registry management API mounted on a router, against an in-memory MongoDB. */
class RegistryApiIT {

    private static final String DEVICE = "plant1:machine-1-03";
    private static final String AUTH_ID = "plant1_machine-1-03";

    private MongoServer mongo;
    private String mongoUri;
    private Vertx vertx;
    private DeviceRegistry registry;
    private WebClient http;
    private int port;

    @BeforeEach
    void start() throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        vertx = Vertx.vertx();
        registry = DeviceRegistry.create(RegistryStore.connect(mongoUri, "hono"), PasswordHashing.withBcryptCost(4));
        Router router = Router.router(vertx);
        RegistryApi.mount(router, registry);
        HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        port = server.actualPort();
        http = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        registry.close();
        mongo.shutdownNow();
    }

    @Test
    void tenantsAreCreatedOnceReadAndUpdatedWithVersions() throws Exception {
        HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/tenants/plant1",
                new JsonObject().put("ext", new JsonObject().put("site", "Plant 1")));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("id")).isEqualTo("plant1");
        assertThat(created.getHeader("Location")).isEqualTo("/v1/tenants/plant1");
        assertThat(created.getHeader("ETag")).isNotBlank();

        HttpResponse<Buffer> again = send(HttpMethod.POST, "/v1/tenants/plant1", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.bodyAsJsonObject().getString("error")).contains("already exists");

        HttpResponse<Buffer> read = send(HttpMethod.GET, "/v1/tenants/plant1", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject().getJsonObject("ext").getString("site")).isEqualTo("Plant 1");

        HttpResponse<Buffer> stale = http.request(HttpMethod.PUT, port, "127.0.0.1", "/v1/tenants/plant1")
                .putHeader("If-Match", "not-the-version").sendJsonObject(new JsonObject().put("enabled", false))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(stale.statusCode()).isEqualTo(412);
        HttpResponse<Buffer> updated = http.request(HttpMethod.PUT, port, "127.0.0.1", "/v1/tenants/plant1")
                .putHeader("If-Match", read.getHeader("ETag")).sendJsonObject(new JsonObject().put("enabled", false))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(updated.statusCode()).isEqualTo(204);
        assertThat(updated.getHeader("ETag")).isNotEqualTo(read.getHeader("ETag"));
        assertThat(registry.tenant("plant1").orElseThrow().enabled()).isFalse();

        assertThat(send(HttpMethod.GET, "/v1/tenants/nope", null).statusCode()).isEqualTo(404);
        HttpResponse<Buffer> badId = send(HttpMethod.POST, "/v1/tenants/plant:1", null);
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.bodyAsJsonObject().getString("error")).contains("tenant ID");
    }

    @Test
    void devicesWithThingIdsAndGatewaysAreRegistered() throws Exception {
        send(HttpMethod.POST, "/v1/tenants/plant1", null);
        HttpResponse<Buffer> created = send(HttpMethod.POST, "/v1/devices/plant1/" + DEVICE, new JsonObject()
                .put("via", new JsonArray().add("plant1:gateway-1")).put("ext", new JsonObject().put("line", 1)));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("id")).isEqualTo(DEVICE);

        HttpResponse<Buffer> read = send(HttpMethod.GET, "/v1/devices/plant1/" + DEVICE, null);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject device = read.bodyAsJsonObject();
        assertThat(device.getJsonArray("via")).containsExactly("plant1:gateway-1");
        assertThat(device.getJsonObject("ext").getInteger("line")).isEqualTo(1);
        assertThat(device.getJsonObject("status").getString("created")).isNotBlank();

        assertThat(send(HttpMethod.POST, "/v1/devices/plant1/" + DEVICE, null).statusCode()).isEqualTo(409);
        assertThat(send(HttpMethod.GET, "/v1/devices/plant1/plant1:unknown", null).statusCode()).isEqualTo(404);
        HttpResponse<Buffer> noTenant = send(HttpMethod.POST, "/v1/devices/plant9/plant9:m", null);
        assertThat(noTenant.statusCode()).isEqualTo(404);
        assertThat(noTenant.bodyAsJsonObject().getString("error")).contains("tenant");
        assertThat(send(HttpMethod.POST, "/v1/devices/plant1/bad%20id", null).statusCode()).isEqualTo(400);
        assertThat(send(HttpMethod.PUT, "/v1/devices/plant1/" + DEVICE, new JsonObject().put("via", "gw"))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void plainPasswordsAreHashedAndNeverReturned() throws Exception {
        send(HttpMethod.POST, "/v1/tenants/plant1", null);
        send(HttpMethod.POST, "/v1/devices/plant1/" + DEVICE, null);
        JsonArray credentials = DeviceRegistry.passwordCredentials(AUTH_ID, "machine-secret");
        assertThat(send(HttpMethod.PUT, "/v1/credentials/plant1/" + DEVICE, credentials).statusCode())
                .isEqualTo(204);

        HttpResponse<Buffer> read = send(HttpMethod.GET, "/v1/credentials/plant1/" + DEVICE, null);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonObject credential = read.bodyAsJsonArray().getJsonObject(0);
        assertThat(credential.getString("auth-id")).isEqualTo(AUTH_ID);
        assertThat(credential.getString("type")).isEqualTo("hashed-password");
        JsonObject secret = credential.getJsonArray("secrets").getJsonObject(0);
        assertThat(secret.getString("id")).isNotBlank();
        assertThat(secret.fieldNames()).doesNotContain("pwd-plain", "pwd-hash", "salt", "hash-function");

        try (MongoClient client = MongoClients.create(mongoUri)) {
            Document stored = client.getDatabase("hono").getCollection("hono_credentials")
                    .find(Filters.eq("_id", "plant1/hashed-password/" + AUTH_ID)).first();
            assertThat(stored).isNotNull();
            assertThat(stored.toJson()).doesNotContain("machine-secret").doesNotContain("pwd-plain");
            Document storedSecret = stored.get("credential", Document.class).getList("secrets", Document.class)
                    .get(0);
            assertThat(storedSecret.getString("hash-function")).isEqualTo("bcrypt");
            assertThat(storedSecret.getString("pwd-hash")).startsWith("$2");
        }
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "machine-secret")).isPresent();
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "wrong")).isEmpty();

        // patch mode: the secret's id keeps the stored hash while metadata changes
        JsonArray patch = new JsonArray().add(credential.copy().put("secrets", new JsonArray()
                .add(new JsonObject().put("id", secret.getString("id")).put("comment", "rotated never"))));
        assertThat(send(HttpMethod.PUT, "/v1/credentials/plant1/" + DEVICE, patch).statusCode()).isEqualTo(204);
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "machine-secret")).isPresent();
    }

    @Test
    void authIdsBelongToOneDeviceAndGoAwayWithIt() throws Exception {
        send(HttpMethod.POST, "/v1/tenants/plant1", null);
        send(HttpMethod.POST, "/v1/devices/plant1/" + DEVICE, null);
        send(HttpMethod.POST, "/v1/devices/plant1/plant1:other", null);
        JsonArray credentials = DeviceRegistry.passwordCredentials(AUTH_ID, "pw");
        send(HttpMethod.PUT, "/v1/credentials/plant1/" + DEVICE, credentials);

        HttpResponse<Buffer> taken = send(HttpMethod.PUT, "/v1/credentials/plant1/plant1:other", credentials);
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(send(HttpMethod.PUT, "/v1/credentials/plant1/plant1:other",
                DeviceRegistry.passwordCredentials("plant1:colon", "pw")).statusCode()).isEqualTo(400);

        assertThat(send(HttpMethod.DELETE, "/v1/devices/plant1/" + DEVICE, null).statusCode()).isEqualTo(204);
        assertThat(send(HttpMethod.GET, "/v1/devices/plant1/" + DEVICE, null).statusCode()).isEqualTo(404);
        assertThat(send(HttpMethod.GET, "/v1/credentials/plant1/" + DEVICE, null).statusCode()).isEqualTo(404);
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "pw")).isEmpty();
        // the auth-id is free again
        assertThat(send(HttpMethod.PUT, "/v1/credentials/plant1/plant1:other", credentials).statusCode())
                .isEqualTo(204);
    }

    @Test
    void preHashedSha256PasswordsAreAccepted() throws Exception {
        registry.createTenant("plant1", new JsonObject());
        registry.createDevice("plant1", DEVICE, new JsonObject());
        byte[] salt = "pepper".getBytes();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(salt);
        String hash = java.util.Base64.getEncoder().encodeToString(sha.digest("legacy-pw".getBytes()));
        JsonArray credentials = new JsonArray().add(new JsonObject().put("type", "hashed-password")
                .put("auth-id", AUTH_ID).put("secrets", new JsonArray().add(new JsonObject()
                        .put("hash-function", "sha-256").put("pwd-hash", hash)
                        .put("salt", java.util.Base64.getEncoder().encodeToString(salt)))));
        assertThat(send(HttpMethod.PUT, "/v1/credentials/plant1/" + DEVICE, credentials).statusCode())
                .isEqualTo(204);
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "legacy-pw")).isPresent();
        assertThat(registry.verifyPassword("plant1", AUTH_ID, "other")).isEmpty();
    }

    private HttpResponse<Buffer> send(HttpMethod method, String path, Object body) throws Exception {
        var request = http.request(method, port, "127.0.0.1", path);
        Future<HttpResponse<Buffer>> response = body == null ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(
                        body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode()));
        return await(response);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
