package io.plantmesh.identity.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.keycloak.admin.client.Keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.plantmesh.identity.provisioning.ApplyReport;
import io.plantmesh.identity.provisioning.KeycloakAdmin;
import io.plantmesh.identity.provisioning.RealmProvisioner;
import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.realm.UserDeclaration;
import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.identity.server.EmbeddedKeycloak;
import io.plantmesh.identity.server.EmbeddedKeycloakConfig;
import io.plantmesh.identity.server.KeycloakDistribution;
import io.plantmesh.identity.server.KeycloakStartupListener;

/**
 * One real Keycloak per test JVM for integration tests of any module: started on first use on 127.0.0.1 with a free
 * port and a temporary data directory, the {@code plantmesh} realm applied with the demo users, stopped and deleted
 * when the JVM exits. Hands out tokens: {@link #passwordToken(String)} for the demo users, {@link
 * #clientCredentialsToken(String)} for the service clients.
 *
 * <p>Use from another module: depend on {@code io.plantmesh:identity} with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>} (plus {@code io.plantmesh:identity} itself), then {@code KeycloakTestServer.shared()}.
 * The realm is shared by every test of the JVM: a test that changes it calls {@link #apply()} afterwards.
 * System property {@code plantmesh.keycloak.dist} points at another distribution (tar.gz or directory).
 */
public final class KeycloakTestServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KeycloakTestServer shared;
    private static RuntimeException failure;

    private final EmbeddedKeycloak keycloak;
    private final Path dataDir;
    private final RealmDeclaration declaration;
    private final ClientSecrets secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private KeycloakTestServer(EmbeddedKeycloak keycloak, Path dataDir, RealmDeclaration declaration,
            ClientSecrets secrets) {
        this.keycloak = keycloak;
        this.dataDir = dataDir;
        this.declaration = declaration;
        this.secrets = secrets;
    }

    /**
     * The JVM's Keycloak, started (and the realm applied) on the first call. A failed start is not tried again: later
     * calls throw the same failure.
     */
    public static synchronized KeycloakTestServer shared() {
        if (failure != null) {
            throw new IllegalStateException("the shared Keycloak failed to start earlier in this JVM: "
                    + failure.getMessage(), failure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return shared;
    }

    private static KeycloakTestServer start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("plantmesh-keycloak-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String dist = System.getProperty("plantmesh.keycloak.dist");
        EmbeddedKeycloakConfig config = EmbeddedKeycloakConfig.defaults(dataDir).withPort(0)
                .withDistribution(dist == null || dist.isBlank() ? null : Path.of(dist))
                .withCacheDir(KeycloakDistribution.defaultCacheDir());
        EmbeddedKeycloak keycloak = EmbeddedKeycloak.create(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keycloak.close();
            deleteQuietly(dataDir);
        }, "keycloak-test-server-cleanup"));
        keycloak.start(KeycloakStartupListener.silent());
        RealmDeclaration declaration = PlantMeshRealm.declaration(PlantMeshRealm.DEFAULT_UI_ORIGINS, true);
        ClientSecrets secrets = ClientSecrets.generatedIn(dataDir, declaration.serviceAccountClients().stream()
                .map(ClientDeclaration::clientId).toList());
        KeycloakTestServer server = new KeycloakTestServer(keycloak, dataDir, declaration, secrets);
        server.apply();
        return server;
    }

    /** Applies the declared realm (with demo users) again, e.g. after a test changed it; returns what changed. */
    public ApplyReport apply() {
        try (Keycloak admin = adminClient()) {
            return new RealmProvisioner(admin, keycloak.baseUrl()).apply(declaration, secrets);
        }
    }

    /** A new admin client logged in as the bootstrap administrator; close it. */
    public Keycloak adminClient() {
        return KeycloakAdmin.connect(keycloak.baseUrl(), keycloak.adminCredentials(), KeycloakAdmin.MASTER_REALM);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return keycloak.baseUrl();
    }

    /** The realm's issuer, {@code http://127.0.0.1:<port>/realms/plantmesh}: the {@code iss} of its tokens. */
    public URI issuer() {
        return keycloak.issuer(declaration.realm());
    }

    /** The realm's JWKS endpoint (signing keys). */
    public URI jwksUri() {
        return URI.create(issuer() + "/protocol/openid-connect/certs");
    }

    public URI tokenEndpoint() {
        return URI.create(issuer() + "/protocol/openid-connect/token");
    }

    /** The applied declaration (realm, roles, clients, demo users). */
    public RealmDeclaration declaration() {
        return declaration;
    }

    /** The secret of a service client. */
    public String clientSecret(String clientId) {
        return secrets.secretOf(clientId);
    }

    /** The temporary PlantMesh data directory of this Keycloak. */
    public Path dataDir() {
        return dataDir;
    }

    public EmbeddedKeycloak server() {
        return keycloak;
    }

    /** An access token of a demo user (password grant through {@code plantmesh-ui}). */
    public String passwordToken(String username) {
        UserDeclaration user = declaration.user(username).orElseThrow(() -> new IllegalArgumentException(
                "no demo user " + username + "; demo users: " + declaration.users().stream()
                        .map(UserDeclaration::username).collect(Collectors.joining(", "))));
        return accessToken(passwordGrant(user.username(), user.password()));
    }

    /** An access token of a service client (client credentials with its secret). */
    public String clientCredentialsToken(String clientId) {
        return accessToken(clientCredentialsGrant(clientId, clientSecret(clientId)));
    }

    /** The raw token response of a password grant through {@code plantmesh-ui}. */
    public HttpResponse<String> passwordGrant(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", PlantMeshRealm.UI_CLIENT);
        form.put("username", username);
        form.put("password", password);
        return post(form);
    }

    /** The raw token response of a client credentials grant. */
    public HttpResponse<String> clientCredentialsGrant(String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        return post(form);
    }

    /** The claims of a JWT (payload decoded, signature not checked). */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT: " + parts.length + " parts");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String accessToken(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
