package io.plantmesh.identity.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.UserDeclaration;
import io.plantmesh.identity.secrets.AdminCredentials;
import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.identity.testing.KeycloakTestServer;

/** Tokens from the real Keycloak carry exactly the declared roles. */
class TokenIT {

    /** What Keycloak adds to every user through the realm's default role. */
    private static final List<String> DEFAULT_ROLES = List.of("default-roles-plantmesh", "offline_access",
            "uma_authorization");

    private final KeycloakTestServer keycloak = KeycloakTestServer.shared();

    @Test
    void eachDemoUserGetsExactlyItsRolePlusTheDefaultRoles() {
        for (UserDeclaration user : keycloak.declaration().users()) {
            JsonNode claims = KeycloakTestServer.claims(keycloak.passwordToken(user.username()));

            List<String> expected = new ArrayList<>(user.realmRoles());
            expected.addAll(DEFAULT_ROLES);
            assertThat(roles(claims)).as(user.username()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(claims.get("iss").asText()).isEqualTo(keycloak.issuer().toString());
            assertThat(claims.get("preferred_username").asText()).isEqualTo(user.username());
            assertThat(claims.get("azp").asText()).isEqualTo(PlantMeshRealm.UI_CLIENT);
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
        }
    }

    @Test
    void eachServiceClientGetsExactlyItsRole() {
        for (ClientDeclaration client : keycloak.declaration().serviceAccountClients()) {
            JsonNode claims = KeycloakTestServer.claims(keycloak.clientCredentialsToken(client.clientId()));

            assertThat(roles(claims)).as(client.clientId())
                    .containsExactlyInAnyOrderElementsOf(client.serviceAccountRoles());
            assertThat(claims.get("azp").asText()).isEqualTo(client.clientId());
            assertThat(claims.get("sub").asText()).isNotBlank();
        }
    }

    @Test
    void aWrongSecretOrPasswordIsRefused() {
        HttpResponse<String> wrongSecret = keycloak.clientCredentialsGrant(PlantMeshRealm.MES_BRIDGE_CLIENT,
                keycloak.clientSecret(PlantMeshRealm.ERP_BRIDGE_CLIENT));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("Invalid client credentials");

        HttpResponse<String> wrongPassword = keycloak.passwordGrant("supervisor", "viewer");
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("invalid_grant");

        HttpResponse<String> publicClientCredentials = keycloak.clientCredentialsGrant(PlantMeshRealm.UI_CLIENT,
                "anything");
        assertThat(publicClientCredentials.statusCode()).isIn(400, 401);
    }

    @Test
    void secretsAndKeycloakDataLiveUnderTheDataDirectory() throws Exception {
        Path dataDir = keycloak.dataDir();
        for (Path secret : List.of(ClientSecrets.fileIn(dataDir), AdminCredentials.fileIn(dataDir))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        }
        assertThat(dataDir.resolve("keycloak/server/data/h2")).isDirectory();
        assertThat(dataDir.resolve("keycloak/keycloak.log")).isRegularFile();
        assertThat(dataDir.resolve("keycloak/keycloak.pid")).isRegularFile();
        assertThat(keycloak.baseUrl().getHost()).isEqualTo("127.0.0.1");
    }

    private static List<String> roles(JsonNode claims) {
        List<String> roles = new ArrayList<>();
        claims.at("/realm_access/roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }
}
