package io.plantmesh.launcher.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.keycloak.admin.client.Keycloak;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.identity.provisioning.ApplyReport;
import io.plantmesh.identity.provisioning.KeycloakAdmin;
import io.plantmesh.identity.provisioning.RealmProvisioner;
import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.identity.server.EmbeddedKeycloak;
import io.plantmesh.identity.server.EmbeddedKeycloakConfig;
import io.plantmesh.identity.server.KeycloakDistribution;
import io.plantmesh.identity.server.KeycloakStartupListener;

/**
 * The embedded footprint's identity: the embedded Keycloak, then the {@code plantmesh} realm applied with the demo
 * users and this installation's generated client secrets. Started in two steps so that the launcher can start the
 * twin server while Keycloak boots.
 */
public final class EmbeddedIdentity implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedIdentity.class);

    private final EmbeddedKeycloak keycloak;
    private final Path dataDir;
    private RealmDeclaration realm;
    private ClientSecrets secrets;
    private List<String> uiOrigins = List.of();

    private EmbeddedIdentity(EmbeddedKeycloak keycloak, Path dataDir) {
        this.keycloak = keycloak;
        this.dataDir = dataDir;
    }

    /**
     * Starts the Keycloak process (first run: unpacks and builds the distribution) without waiting for it.
     *
     * @param progress one-line status updates ("unpacking Keycloak ...: 40%")
     * @throws io.plantmesh.identity.server.KeycloakStartException saying what was wrong and what to do
     */
    public static EmbeddedIdentity launch(EmbeddedKeycloakConfig config, Consumer<String> progress) {
        EmbeddedKeycloak keycloak = EmbeddedKeycloak.create(config);
        try {
            keycloak.launch(listener(progress));
        } catch (RuntimeException e) {
            keycloak.close();
            throw e;
        }
        return new EmbeddedIdentity(keycloak, config.dataDir());
    }

    /**
     * Waits until Keycloak answers, then applies the realm (demo users included) for a web UI at {@code uiOrigins}.
     *
     * @throws io.plantmesh.identity.server.KeycloakStartException or
     *     {@link io.plantmesh.identity.provisioning.ProvisioningException} saying what was wrong
     */
    public ApplyReport awaitAndApply(List<String> uiOrigins, Consumer<String> progress) {
        keycloak.awaitReady(listener(progress));
        return apply(uiOrigins);
    }

    /**
     * Lets a web UI at further origins sign users in: adds them to the redirect URIs and web origins of
     * {@code plantmesh-ui} beside those applied before (after {@link #awaitAndApply}). Applies only what changed.
     *
     * @throws io.plantmesh.identity.provisioning.ProvisioningException saying what was wrong
     */
    public synchronized ApplyReport addUiOrigins(List<String> origins) {
        if (realm == null) {
            throw new IllegalStateException("addUiOrigins needs the realm applied first (awaitAndApply)");
        }
        Set<String> all = new LinkedHashSet<>(uiOrigins);
        all.addAll(origins);
        return apply(List.copyOf(all));
    }

    private synchronized ApplyReport apply(List<String> origins) {
        RealmDeclaration declared = PlantMeshRealm.declaration(origins, true);
        ClientSecrets clientSecrets = ClientSecrets.generatedIn(dataDir, declared.serviceAccountClients().stream()
                .map(ClientDeclaration::clientId).toList());
        try (Keycloak admin = KeycloakAdmin.connect(keycloak.baseUrl(), keycloak.adminCredentials(),
                KeycloakAdmin.MASTER_REALM)) {
            ApplyReport report = new RealmProvisioner(admin, keycloak.baseUrl()).apply(declared, clientSecrets);
            realm = declared;
            secrets = clientSecrets;
            uiOrigins = List.copyOf(origins);
            LOG.info("Keycloak {} (web UI origins {})", report.summary(), String.join(", ", origins));
            report.changes().forEach(change -> LOG.debug("  {}", change));
            return report;
        }
    }

    public EmbeddedKeycloak keycloak() {
        return keycloak;
    }

    /** The applied realm (after {@link #awaitAndApply}). */
    public synchronized RealmDeclaration realm() {
        return realm;
    }

    /** The service clients' secrets of this installation (after {@link #awaitAndApply}). */
    public synchronized ClientSecrets secrets() {
        return secrets;
    }

    @Override
    public void close() {
        keycloak.close();
    }

    private static KeycloakStartupListener listener(Consumer<String> progress) {
        return new KeycloakStartupListener() {
            @Override
            public void unpacking(long doneBytes, long totalBytes) {
                progress.accept("unpacking Keycloak " + KeycloakDistribution.version() + " (first run only): "
                        + (doneBytes * 100 / Math.max(1, totalBytes)) + "%");
            }

            @Override
            public void building() {
                progress.accept("building Keycloak " + KeycloakDistribution.version() + " (first run only) ...");
            }

            @Override
            public void waiting(Duration elapsed) {
                progress.accept("starting Keycloak: " + elapsed.toSeconds() + " s");
            }
        };
    }
}
