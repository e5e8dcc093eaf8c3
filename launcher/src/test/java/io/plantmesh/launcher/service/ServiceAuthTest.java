package io.plantmesh.launcher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.DevelopmentCertificates;

/** How {@code plantmesh service} reads sign-in and trust settings (no network). */
class ServiceAuthTest {

    private static final String ISSUER = "http://plantmesh-keycloak/realms/plantmesh";

    @TempDir
    Path dir;

    private Path secretFile(final String content) throws IOException {
        final Path file = dir.resolve("client-secret");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void oauthTakesTheIssuerTheServicesClientAndTheSecretFromAMountedFile() throws IOException {
        final Path secret = secretFile("  s3cret-of-maintenance\n");
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER, "PLANTMESH_OAUTH_CLIENT_SECRET_FILE", secret.toString()));

        final ServiceAuth auth = ServiceAuth.from(config, ServiceRunner.defaultClient("maintenance"), true);

        assertThat(auth.tokens()).isTrue();
        assertThat(auth.issuer()).isEqualTo(URI.create(ISSUER));
        assertThat(auth.clientId()).isEqualTo(PlantMeshRealm.MAINTENANCE_CLIENT);
        assertThat(auth.clientSecret()).isEqualTo("s3cret-of-maintenance");
        assertThat(auth.trust()).isNull();
        assertThat(auth.toString()).contains("plantmesh-maintenance").doesNotContain("s3cret");

        final ServiceAccess access = auth.access();
        assertThat(access.usesTokens()).isTrue();
        assertThat(access.verifier()).isPresent();
        final TokenClient tokens = access.tokenClient(PlantMeshRealm.MAINTENANCE_CLIENT).orElseThrow();
        assertThat(tokens.config().clientId()).isEqualTo(PlantMeshRealm.MAINTENANCE_CLIENT);
        assertThat(tokens.config().clientSecret()).isEqualTo("s3cret-of-maintenance");
        assertThat(tokens.config().tokenEndpoint()).isEqualTo(URI.create(ISSUER + "/protocol/openid-connect/token"));
        assertThatThrownBy(() -> access.tokenClient(PlantMeshRealm.MES_BRIDGE_CLIENT))
                .hasMessageContaining(PlantMeshRealm.MES_BRIDGE_CLIENT).hasMessageContaining("oauth.client.secret.file");
    }

    @Test
    void eachServiceSignsInAsItsClientOfTheRealmAsCode() {
        assertThat(ServiceRunner.defaultClient("twin-ingestion")).isEqualTo(PlantMeshRealm.TWIN_INGESTION_CLIENT);
        assertThat(ServiceRunner.defaultClient("mes-bridge")).isEqualTo(PlantMeshRealm.MES_BRIDGE_CLIENT);
        assertThat(ServiceRunner.defaultClient("mes-api")).isEqualTo(PlantMeshRealm.MES_BRIDGE_CLIENT);
        assertThat(ServiceRunner.defaultClient("erp-bridge")).isEqualTo(PlantMeshRealm.ERP_BRIDGE_CLIENT);
        assertThat(ServiceRunner.defaultClient("maintenance")).isEqualTo(PlantMeshRealm.MAINTENANCE_CLIENT);
        assertThat(ServiceRunner.defaultClient("provision")).isEqualTo(PlantMeshRealm.PROVISIONING_CLIENT);
        assertThat(ServiceRunner.defaultClient("erp-modules")).isNull();
        assertThat(ServiceRunner.defaultClient("web-ui")).isNull();
        assertThat(ServiceRunner.SERVICES).contains("maintenance", "web-ui");
    }

    @Test
    void theClientIdCanBeChangedAndTheSecretCanComeFromTheEnvironment() {
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER, "PLANTMESH_OAUTH_CLIENT_ID", "plant2-ingestion",
                "PLANTMESH_OAUTH_CLIENT_SECRET", "from-env"));

        final ServiceAuth auth = ServiceAuth.from(config, PlantMeshRealm.TWIN_INGESTION_CLIENT, true);

        assertThat(auth.clientId()).isEqualTo("plant2-ingestion");
        assertThat(auth.clientSecret()).isEqualTo("from-env");
        assertThat(auth.identity()).contains("plant2-ingestion").contains(ISSUER);
    }

    @Test
    void servicesThatOnlyVerifyTokensNeedNoClient() {
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER));

        final ServiceAuth auth = ServiceAuth.from(config, null, false);

        assertThat(auth.clientId()).isNull();
        assertThat(auth.access().verifier()).isPresent();
        assertThat(auth.access().verifier().orElseThrow().issuers().get(0).issuer()).isEqualTo(URI.create(ISSUER));
    }

    @Test
    void whatIsMissingOrWrongIsNamedWithWhatToSet() throws IOException {
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth")),
                PlantMeshRealm.MAINTENANCE_CLIENT, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("oauth.issuer")
                .hasMessageContaining("PLANTMESH_OAUTH_ISSUER");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER)), PlantMeshRealm.MAINTENANCE_CLIENT, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("plantmesh-maintenance")
                .hasMessageContaining("oauth.client.secret.file").hasMessageContaining("PLANTMESH_OAUTH_CLIENT_SECRET");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER, "PLANTMESH_OAUTH_CLIENT_SECRET_FILE",
                dir.resolve("absent").toString())), PlantMeshRealm.MAINTENANCE_CLIENT, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("absent")
                .hasMessageContaining("security.oauthClientsSecret");
        final Path empty = secretFile("\n");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "oauth",
                "PLANTMESH_OAUTH_ISSUER", ISSUER, "PLANTMESH_OAUTH_CLIENT_SECRET_FILE", empty.toString())),
                PlantMeshRealm.MAINTENANCE_CLIENT, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_AUTH", "jwt")),
                null, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("'jwt'").hasMessageContaining("oauth");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of()), null, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("PLANTMESH_DITTO_PASSWORD");
    }

    @Test
    void basicIsTheDefaultWithDittosUser() {
        final ServiceAuth auth = ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_PASSWORD", "pw")),
                PlantMeshRealm.MES_BRIDGE_CLIENT, true);

        assertThat(auth.tokens()).isFalse();
        assertThat(auth.dittoUser()).isEqualTo("ditto");
        assertThat(auth.dittoPassword()).isEqualTo("pw");
        assertThat(auth.access().usesTokens()).isFalse();
        assertThat(auth.access().tokenClient(PlantMeshRealm.MES_BRIDGE_CLIENT)).isEmpty();
    }

    @Test
    void aCaFileIsTrustedAndABadOneIsNamed() throws IOException {
        final Path certs = dir.resolve("certs");
        DevelopmentCertificates.ensure(certs, List.of("localhost"), 1, false);
        final Path ca = certs.resolve(DevelopmentCertificates.CA_CERTIFICATE);
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_PASSWORD", "pw",
                "PLANTMESH_TLS_CA_FILE", ca.toString()));

        assertThat(ServiceAuth.from(config, null, true).trust().certificates()).hasSize(1);

        final Path notPem = secretFile("not a certificate");
        assertThatThrownBy(() -> ServiceAuth.from(ServiceConfig.load(null, Map.of("PLANTMESH_DITTO_PASSWORD", "pw",
                "PLANTMESH_TLS_CA_FILE", notPem.toString())), null, true))
                .isInstanceOf(ServiceException.class).hasMessageContaining("tls.ca.file")
                .hasMessageContaining(notPem.toString());
    }

    @Test
    void listenerTlsNeedsBothFilesAndMaintenanceTunablesKeepTheirNames() {
        assertThat(ServiceRunner.listenerTls(ServiceConfig.load(null, Map.of()))).isNull();
        assertThatThrownBy(() -> ServiceRunner.listenerTls(ServiceConfig.load(null,
                Map.of("PLANTMESH_TLS_CERT_FILE", "/etc/plantmesh/tls/tls.crt"))))
                .isInstanceOf(ServiceException.class).hasMessageContaining("tls.key.file");

        final Path file = dir.resolve("maintenance.properties");
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_MAINTENANCE_HORIZON", "PT8H",
                "PLANTMESH_MAINTENANCE_WINDOW", "PT1H"));
        assertThat(file).doesNotExist();
        assertThat(ServiceRunner.maintenanceTunables(config)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "PLANTMESH_MAINTENANCE_HORIZON", "PT8H", "PLANTMESH_MAINTENANCE_WINDOW", "PT1H"));
    }
}
