package io.plantmesh.policies.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Policy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.identity.testing.KeycloakTestServer;
import io.plantmesh.policies.PlantRoles;
import io.plantmesh.policies.PolicyKind;
import io.plantmesh.policies.PolicyTemplates;
import io.plantmesh.policies.RoleMatrix;
import io.plantmesh.policies.RoleMatrix.Access;
import io.plantmesh.policies.RoleMatrix.Read;
import io.plantmesh.policies.RoleMatrix.Row;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * Test B of the role matrix: the same walk as the enforcer test, end to end over Ditto's HTTP API against the running
 * twin server with the template policies and one twin of each kind. For every role and row: a GET answers the whole
 * resource (R), a part of it (r) or Ditto's 404 (-); a PUT of the same value answers 204 (W) or Ditto's 403 (the role
 * may read the twin) or 404 (it may not); a message is accepted (202) or refused with 403. Policies likewise.
 * Receiving messages (READ on message resources) is covered by the enforcer test only.
 *
 * <p>Every request authenticates with a real access token of the real Keycloak ({@link KeycloakTestServer}, one per
 * test JVM, the {@code plantmesh} realm with its demo users and service accounts): the twin server trusts the realm's
 * issuer as Ditto's gateway would ({@code keycloak:<sub>}, {@code keycloak:<realm role>}).
 */
class RoleMatrixHttpIT {

    private static KeycloakTestServer keycloak;
    private static RoleCredentials credentials;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DEV_USER = "ditto";

    private static MongoServer mongo;
    private static TwinServer server;
    private static String api;
    private final RoleMatrix matrix = RoleMatrix.load();

    @BeforeAll
    static void startTwinServerWithThePlantsPolicies() throws Exception {
        keycloak = KeycloakTestServer.shared();
        credentials = new KeycloakRoleTokens(keycloak);
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        server = TwinServer.create(TwinServerConfig.defaults("mongodb://127.0.0.1:" + address.getPort())
                .withPort(0)
                .withUsers(Map.of(DEV_USER, DEV_USER), null)
                .withOidcIssuers(List.of(OidcIssuer.keycloak(PlantRoles.ISSUER, keycloak.issuer()))));
        int port = server.start();
        api = "http://127.0.0.1:" + port + "/api/2";
        PolicyTemplates templates = PolicyTemplates.withDevelopmentSubjects(List.of(PolicyTemplates.DEVELOPMENT_SUBJECT));
        for (Policy policy : templates.all(PlantTwinSamples.PLANT)) {
            HttpResponse<String> created = send("PUT", "/policies/" + policy.getEntityId().orElseThrow(),
                    policy.toJson().toString(), admin());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        for (TwinKind kind : TwinKind.values()) {
            HttpResponse<String> created = send("PUT", "/things/" + PlantTwinSamples.id(kind),
                    PlantTwinSamples.of(kind).toString(), admin());
            assertThat(created.statusCode()).as(kind + ": " + created.body()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void everyRoleGetsWhatTheMatrixSaysOverHttp() throws Exception {
        List<String> differences = new ArrayList<>();
        int checks = 0;
        for (Row row : matrix.rows()) {
            for (String role : matrix.roles()) {
                checks += walk(row, role, row.of(role), b -> credentials.authenticate(b, role), differences);
            }
        }
        assertThat(differences).as("with " + credentials.describe()).isEmpty();
        assertThat(checks).isGreaterThan(matrix.rows().size() * matrix.roles().size());
    }

    @Test
    void theDevelopmentUserMayDoWhatItAdminMay() throws Exception {
        List<String> differences = new ArrayList<>();
        String basic = "Basic " + Base64.getEncoder().encodeToString((DEV_USER + ":" + DEV_USER)
                .getBytes(StandardCharsets.UTF_8));
        for (Row row : matrix.rows()) {
            walk(row, "nginx:ditto", row.of(PlantRoles.IT_ADMIN), b -> b.header("Authorization", basic), differences);
        }
        assertThat(differences).isEmpty();
    }

    /**
     * Tokens the twin server must refuse, with real tokens of the real Keycloak: none, a tampered signature, one of
     * another realm (issuer). Each is Ditto's 401 in Ditto's error JSON; the refusals of every kind (expired, wrong
     * audience, HS256, ...) are walked with a test issuer in the twin server's TokenAuthenticationIT.
     */
    @Test
    void refusedRealTokensGetDittos401() throws Exception {
        String url = "/things/" + PlantTwinSamples.id(TwinKind.MACHINE);
        String viewer = keycloak.passwordToken("viewer");
        assertThat(send("GET", url, null, b -> b.header("Authorization", "Bearer " + viewer)).statusCode())
                .isEqualTo(200);

        assertDittoError(send("GET", url, null, b -> { }), 401, "gateway:authentication.failed");
        String[] parts = viewer.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A")
                + parts[2].substring(1);
        assertDittoError(send("GET", url, null, b -> b.header("Authorization", "Bearer " + tampered)), 401,
                "gateway:authentication.failed");
        String otherRealm = masterRealmToken();
        assertDittoError(send("GET", url, null, b -> b.header("Authorization", "Bearer " + otherRealm)), 401,
                "gateway:jwt.issuer.notsupported");
    }

    /** A token of Keycloak's master realm (its administrator): a real token of an issuer the twins do not trust. */
    private static String masterRealmToken() throws Exception {
        var admin = keycloak.server().adminCredentials();
        String form = "grant_type=password&client_id=admin-cli&username="
                + URLEncoder.encode(admin.username(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.baseUrl()
                + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonFactory.newObject(response.body()).getValue("access_token").orElseThrow().asString();
    }

    private static void assertDittoError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject json = JsonFactory.newObject(response.body());
        assertThat(json.getValue("status").map(JsonValue::asInt)).hasValue(status);
        assertThat(json.getValue("error").map(JsonValue::asString)).hasValue(error);
        assertThat(json.getValue("message")).isPresent();
        assertThat(response.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.contains("Bearer"));
    }

    /** Checks one cell; returns how many requests it checked. */
    private int walk(Row row, String who, Access expected, Consumer<HttpRequest.Builder> credentials,
            List<String> differences) throws Exception {
        String twinId = PlantTwinSamples.id(row.twin());
        String cell = row.twin().modelName() + " " + row.resource() + " as " + who + " (table: " + expected.cell()
                + "): ";
        switch (row.resourceType()) {
            case "thing" -> {
                String url = "/things/" + twinId + (row.resourcePath().equals("/") ? "" : row.resourcePath());
                HttpResponse<String> reference = send("GET", url, null, admin());
                checkRead(send("GET", url, null, credentials), reference, expected.read(), cell, differences);
                boolean readsTwin = matrix.row(row.twin(), "thing:/").orElseThrow().of(whoseColumn(who)).read()
                        != Read.NONE;
                checkWrite(send("PUT", url, reference.body(), credentials), expected.write(), readsTwin, cell,
                        differences);
                return 2;
            }
            case "policy" -> {
                String url = "/policies/" + PolicyKind.of(row.twin()).id(PlantTwinSamples.PLANT);
                HttpResponse<String> reference = send("GET", url, null, admin());
                checkRead(send("GET", url, null, credentials), reference, expected.read(), cell, differences);
                checkWrite(send("PUT", url, reference.body(), credentials), expected.write(),
                        expected.read() != Read.NONE, cell, differences);
                return 2;
            }
            case "message" -> {
                if (row.resourcePath().equals("/")) {
                    return 0; // not a message one can send; its children are rows of their own
                }
                HttpResponse<String> sent = send("POST", "/things/" + twinId + row.resourcePath() + "?timeout=0",
                        "{}", credentials);
                int wanted = expected.write() ? 202 : 403;
                if (sent.statusCode() != wanted) {
                    differences.add(cell + "sending answered " + sent.statusCode() + ", expected " + wanted + " "
                            + sent.body());
                }
                return 1;
            }
            default -> throw new IllegalStateException("unknown resource type in " + row);
        }
    }

    private static void checkRead(HttpResponse<String> got, HttpResponse<String> reference, Read expected,
            String cell, List<String> differences) {
        switch (expected) {
            case ALL -> {
                if (got.statusCode() != 200 || !JsonFactory.readFrom(got.body()).equals(
                        JsonFactory.readFrom(reference.body()))) {
                    differences.add(cell + "GET answered " + got.statusCode() + " " + got.body()
                            + ", expected all of " + reference.body());
                }
            }
            case PART -> {
                if (got.statusCode() != 200 || JsonFactory.readFrom(got.body()).equals(
                        JsonFactory.readFrom(reference.body()))) {
                    differences.add(cell + "GET answered " + got.statusCode() + " " + got.body()
                            + ", expected a part of " + reference.body());
                }
            }
            case NONE -> {
                boolean dittos404 = got.statusCode() == 404 && error(got).endsWith(".notfound");
                if (!dittos404) {
                    differences.add(cell + "GET answered " + got.statusCode() + " " + got.body()
                            + ", expected Ditto's 404 ...notfound");
                }
            }
            default -> throw new IllegalStateException(expected.toString());
        }
    }

    private static void checkWrite(HttpResponse<String> got, boolean allowed, boolean mayReadEntity, String cell,
            List<String> differences) {
        if (allowed) {
            if (got.statusCode() != 204) {
                differences.add(cell + "PUT answered " + got.statusCode() + " " + got.body() + ", expected 204");
            }
            return;
        }
        // Ditto: a write the requester may not make is 403 if it may see the entity, else 404 (not revealed)
        boolean expectedRefusal = mayReadEntity
                ? got.statusCode() == 403 && error(got).endsWith(".notmodifiable")
                : got.statusCode() == 404 && error(got).endsWith(".notfound");
        if (!expectedRefusal) {
            differences.add(cell + "PUT answered " + got.statusCode() + " " + got.body() + ", expected Ditto's "
                    + (mayReadEntity ? "403 ...notmodifiable" : "404 ...notfound"));
        }
    }

    /** The development user is checked against the it-admin column. */
    private static String whoseColumn(String who) {
        return who.startsWith("nginx:") ? PlantRoles.IT_ADMIN : who;
    }

    private static String error(HttpResponse<String> response) {
        try {
            JsonObject json = JsonFactory.newObject(response.body());
            return json.getValue("error").map(JsonValue::asString).orElse("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Consumer<HttpRequest.Builder> admin() {
        return b -> credentials.authenticate(b, PlantRoles.IT_ADMIN);
    }

    private static HttpResponse<String> send(String method, String path, String body,
            Consumer<HttpRequest.Builder> credentials) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        credentials.accept(b);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
