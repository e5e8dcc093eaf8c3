package io.plantmesh.identity.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the embedded Keycloak runs.
 *
 * @param dataDir the PlantMesh data directory: Keycloak's home with its H2 database lives in
 *     {@code <dataDir>/keycloak}, the generated administrator in {@code <dataDir>/secrets}
 * @param port HTTP port on 127.0.0.1 (0 = a free one)
 * @param cacheDir where the distribution is unpacked once (shared by installations and test runs)
 * @param distribution the tar.gz or an unpacked distribution; null for the one Maven fetched
 * @param startTimeout how long to wait for the server to answer before giving up
 * @param heap JVM heap options of the Keycloak process; null for kc.sh's default (-Xms64m -Xmx512m)
 */
public record EmbeddedKeycloakConfig(Path dataDir, int port, Path cacheDir, Path distribution, Duration startTimeout,
        String heap) {

    /** Port of {@code plantmesh up}'s Keycloak. */
    public static final int DEFAULT_PORT = 28180;
    /** Bounded wait for readiness: about 15 s on a quiet machine, much longer on a loaded 2-core one. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    public EmbeddedKeycloakConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the Keycloak port must be 0..65535, was " + port);
        }
    }

    /** Default port, cache directory, distribution and timeout. */
    public static EmbeddedKeycloakConfig defaults(Path dataDir) {
        return new EmbeddedKeycloakConfig(dataDir, DEFAULT_PORT, KeycloakDistribution.defaultCacheDir(), null,
                DEFAULT_START_TIMEOUT, null);
    }

    public EmbeddedKeycloakConfig withPort(int newPort) {
        return new EmbeddedKeycloakConfig(dataDir, newPort, cacheDir, distribution, startTimeout, heap);
    }

    public EmbeddedKeycloakConfig withDistribution(Path newDistribution) {
        return new EmbeddedKeycloakConfig(dataDir, port, cacheDir, newDistribution, startTimeout, heap);
    }

    public EmbeddedKeycloakConfig withCacheDir(Path newCacheDir) {
        return new EmbeddedKeycloakConfig(dataDir, port, newCacheDir, distribution, startTimeout, heap);
    }

    public EmbeddedKeycloakConfig withStartTimeout(Duration timeout) {
        return new EmbeddedKeycloakConfig(dataDir, port, cacheDir, distribution, timeout, heap);
    }
}
