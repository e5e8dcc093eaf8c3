package io.plantmesh.launcher;

import java.nio.file.Path;

import io.plantmesh.identity.server.EmbeddedKeycloakConfig;
import io.plantmesh.identity.server.KeycloakDistribution;

/**
 * Whether and how {@code plantmesh up} runs the embedded Keycloak.
 *
 * @param enabled false only for development ({@code --no-keycloak}): no tokens can be issued then
 * @param port HTTP port on 127.0.0.1 (0 = a free one)
 * @param distribution the keycloak-quarkus-dist tar.gz or an unpacked distribution; null for the one Maven fetched
 * @param cacheDir where the distribution is unpacked once
 */
public record KeycloakOptions(boolean enabled, int port, Path distribution, Path cacheDir) {

    /** No Keycloak (tests that do not need one, and --no-keycloak). */
    public static final KeycloakOptions DISABLED = new KeycloakOptions(false, 0, null, null);

    public KeycloakOptions {
        cacheDir = cacheDir == null ? KeycloakDistribution.defaultCacheDir() : cacheDir;
    }

    /** Keycloak on port 28180 from the distribution Maven fetched. */
    public static KeycloakOptions defaults() {
        return new KeycloakOptions(true, EmbeddedKeycloakConfig.DEFAULT_PORT, null, null);
    }

    /** Keycloak on a free port: for the few tests that need the real one. */
    public static KeycloakOptions forTests() {
        return new KeycloakOptions(true, 0, null, null);
    }

    EmbeddedKeycloakConfig config(Path dataDir) {
        return EmbeddedKeycloakConfig.defaults(dataDir).withPort(port).withDistribution(distribution)
                .withCacheDir(cacheDir);
    }
}
