package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.security.EmbeddedIdentity;
import picocli.CommandLine;

/**
 * {@code plantmesh up} with the real embedded Keycloak (the only launcher test that starts one): the realm is applied
 * with the demo users, the console lists the issuer and the demo users, a demo user logs in, and {@code plantmesh
 * security apply} against the running Keycloak reports "no changes"; stopping stops Keycloak.
 */
class SecurityApplyIT {

    @TempDir
    Path dataDir;

    @Test
    void upRunsKeycloakWithTheRealmAndSecurityApplyThenChangesNothing() throws Exception {
        Map<String, String> services = new LinkedHashMap<>();
        LaunchListener listener = new LaunchListener() {
            @Override
            public void serviceUp(String service, String address, String note) {
                services.merge(service, address, (a, b) -> a + "; " + b);
            }
        };
        LaunchOptions options = LaunchOptions.forTests(dataDir).withDemo(false)
                .withKeycloak(KeycloakOptions.forTests());
        URI keycloakUrl;
        try (RunningPlantMesh running = PlantMeshLauncher.start(options, listener)) {
            EmbeddedIdentity identity = running.identity().orElseThrow();
            keycloakUrl = identity.keycloak().baseUrl();
            assertThat(services.get("Keycloak")).isEqualTo(keycloakUrl.toString());
            assertThat(services.get("issuer")).isEqualTo(keycloakUrl + "/realms/plantmesh");
            assertThat(services.get("demo user")).contains("viewer / viewer", "supervisor / supervisor",
                    "planner / planner", "finance / finance", "admin / admin");

            HttpResponse<String> login = passwordGrant(keycloakUrl, "supervisor", "supervisor");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("\"access_token\"");

            int port = running.httpPort();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine command = PlantMeshCommand.commandLine();
            command.setOut(new PrintWriter(out, true));
            command.setErr(new PrintWriter(err, true));
            int exit = command.execute("security", "apply", "--keycloak-url", keycloakUrl.toString(), "--data-dir",
                    dataDir.toString(), "--demo-users", "--ui-origin",
                    String.join(",", List.of("http://127.0.0.1:" + port, "http://localhost:" + port)));

            assertThat(err.toString()).isEmpty();
            assertThat(exit).isZero();
            assertThat(out.toString()).contains("Applying realm plantmesh to " + keycloakUrl + " as plantmesh-admin")
                    .contains("no changes: realm plantmesh is as declared (10 roles, 6 clients, 5 users)");

            HttpResponse<String> service = clientCredentials(keycloakUrl, PlantMeshRealm.MES_BRIDGE_CLIENT,
                    identity.secrets().secretOf(PlantMeshRealm.MES_BRIDGE_CLIENT));
            assertThat(service.statusCode()).isEqualTo(200);
        }
        assertThat(listens(keycloakUrl)).as("Keycloak stopped with PlantMesh").isFalse();
    }

    private static boolean listens(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> passwordGrant(URI keycloak, String user, String password) throws Exception {
        return token(keycloak, Map.of("grant_type", "password", "client_id", PlantMeshRealm.UI_CLIENT,
                "username", user, "password", password));
    }

    private static HttpResponse<String> clientCredentials(URI keycloak, String clientId, String secret)
            throws Exception {
        return token(keycloak, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret",
                secret));
    }

    private static HttpResponse<String> token(URI keycloak, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/realms/plantmesh/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
