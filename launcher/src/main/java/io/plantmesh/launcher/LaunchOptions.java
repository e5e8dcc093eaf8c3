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
 * @param audit the audit log of every twin write and every denied request ({@link AuditSettings#disabled()}: none);
 *        its readers are it-admin and the development user
 */
public record LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
        boolean demo, long demoSeed, ShopFloorOptions shopFloor, AuditSettings audit) {

    /** The embedded footprint's audit log: kept, the newest million records. */
    public static final AuditSettings DEFAULT_AUDIT = AuditSettings.defaults().withRetention(1_000_000);

    public static final String DEV_USER = "ditto";
    public static final String DEV_PASSWORD = "ditto";
    public static final long DEFAULT_DEMO_SEED = 42;

    public LaunchOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        shopFloor = shopFloor == null ? ShopFloorOptions.DISABLED : shopFloor;
        audit = audit == null ? DEFAULT_AUDIT : audit;
    }

    /** With the audit log. */
    public LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
            boolean demo, long demoSeed, ShopFloorOptions shopFloor) {
        this(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor, DEFAULT_AUDIT);
    }

    /** Without the shop floor. */
    public LaunchOptions(String host, int httpPort, Path dataDir, int storePort, String mongoUri, Path usersFile,
            boolean demo, long demoSeed) {
        this(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, ShopFloorOptions.DISABLED);
    }

    /** 127.0.0.1, a random port, the given data directory, the demo plant with the default seed, no shop floor. */
    public static LaunchOptions forTests(Path dataDir) {
        return new LaunchOptions("127.0.0.1", 0, dataDir, 0, null, null, true, DEFAULT_DEMO_SEED);
    }

    public boolean embeddedStore() {
        return mongoUri == null || mongoUri.isBlank();
    }

    public LaunchOptions withDemo(boolean provision) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, provision, demoSeed,
                shopFloor, audit);
    }

    public LaunchOptions withShopFloor(ShopFloorOptions floor) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, floor, audit);
    }

    public LaunchOptions withAudit(AuditSettings on) {
        return new LaunchOptions(host, httpPort, dataDir, storePort, mongoUri, usersFile, demo, demoSeed, shopFloor, on);
    }

    /** Whether the shop floor runs: it is enabled and the demo plant (whose machines it simulates) is there. */
    public boolean runsShopFloor() {
        return demo && shopFloor.enabled();
    }
}
