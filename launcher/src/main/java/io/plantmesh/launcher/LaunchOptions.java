package io.plantmesh.launcher;

import java.nio.file.Path;
import java.util.Objects;

import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.twin.server.audit.AuditSettings;

/**
 * What {@code plantmesh up} runs with.
 *
 * @param host address the twin server binds (the embedded store always binds 127.0.0.1)
 * @param httpPort twin server port (HTTP API, WebSocket); 0 picks a free one
 * @param dataDir data directory; the embedded store keeps its files in {@code <dataDir>/store}
 * @param storePort embedded store port; 0 picks a free one
 * @param mongoUri a real MongoDB to use instead of the embedded store; null for the embedded store
 * @param usersFile extra basic-auth users (twin server users file format); null for none
 * @param demo provision the demo plant
 * @param demoSeed seed of the demo plant's random choices (also the simulated machines' seed)
 * @param shopFloor the shop floor (Kafka, Hono ingress, simulator, edge gateways, twin ingestion); needs the demo
 * @param tls TLS of the listeners and the CAs PlantMesh's own clients trust ({@link LaunchTls#OFF}: plain text)
 * @param keycloak the embedded Keycloak with the plantmesh realm and its demo users ({@link KeycloakOptions#DISABLED}
 *     by default, so tests stay light)
 * @param audit the audit log of every twin write and every denied request ({@link AuditSettings#disabled()}: none);
 *        its readers are it-admin and the development user
 */
public record LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
        boolean demo, long demoSeed, ShopFloorOptions shopFloor, LaunchTls tls, KeycloakOptions keycloak,
        AuditSettings audit) {

    public static final String DEV_USER = "ditto";
    public static final String DEV_PASSWORD = "ditto";
    public static final long DEFAULT_DEMO_SEED = 42;

    /** The embedded footprint's audit log: kept, the newest million records. */
    public static final AuditSettings DEFAULT_AUDIT = AuditSettings.defaults().withRetention(1_000_000);

    public LaunchOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        shopFloor = shopFloor == null ? ShopFloorOptions.DISABLED : shopFloor;
        tls = tls == null ? LaunchTls.OFF : tls;
        keycloak = keycloak == null ? KeycloakOptions.DISABLED : keycloak;
        audit = audit == null ? DEFAULT_AUDIT : audit;
    }

    /** Plain text everywhere, without Keycloak, with the audit log. */
    public LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
            boolean demo, long demoSeed, ShopFloorOptions shopFloor) {
        this(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor, LaunchTls.OFF,
                KeycloakOptions.DISABLED, DEFAULT_AUDIT);
    }

    /** Without the shop floor and without Keycloak. */
    public LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
            boolean demo, long demoSeed) {
        this(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, ShopFloorOptions.DISABLED);
    }

    /**
     * 127.0.0.1, a random port, the given data directory, the demo plant with the default seed, no shop floor, no
     * Keycloak.
     */
    public static LaunchOptions forTests(Path dataDir) {
        return new LaunchOptions("127.0.0.1", 0, dataDir, 0, null, null, true, DEFAULT_DEMO_SEED);
    }

    public boolean embeddedStore() {
        return mongoUri == null || mongoUri.isBlank();
    }

    public LaunchOptions withDemo(boolean provision) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, provision, demoSeed,
                shopFloor, tls, keycloak, audit);
    }

    public LaunchOptions withShopFloor(ShopFloorOptions floor) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, floor, tls,
                keycloak, audit);
    }

    public LaunchOptions withTls(LaunchTls newTls) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor,
                newTls, keycloak, audit);
    }

    public LaunchOptions withKeycloak(KeycloakOptions options) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor,
                tls, options, audit);
    }

    public LaunchOptions withAudit(AuditSettings on) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor,
                tls, keycloak, on);
    }

    /** Whether the shop floor runs: it is enabled and the demo plant (whose machines it simulates) is there. */
    public boolean runsShopFloor() {
        return demo && shopFloor.enabled();
    }
}
