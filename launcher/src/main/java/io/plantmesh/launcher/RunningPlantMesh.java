package io.plantmesh.launcher;

import java.net.URI;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.launcher.demo.ProvisioningReport;
import io.plantmesh.launcher.security.EmbeddedIdentity;
import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.launcher.shopfloor.RunningShopFloor;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.twin.server.TwinServer;

/**
 * A running embedded footprint. {@link #close()} stops the shop floor (in reverse order of its start), the twin
 * server, Keycloak, then the store; it is idempotent.
 */
public final class RunningPlantMesh implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningPlantMesh.class);

    private final EmbeddedMongoServer store;
    private final TwinServer twinServer;
    private final String storeUrl;
    private final int httpPort;
    private final String clientHost;
    private final boolean tls;
    private final EmbeddedIdentity identity;
    private ProvisioningReport provisioning = ProvisioningReport.SKIPPED;
    private ServiceAccess access = ServiceAccess.development(LaunchOptions.DEV_USER, LaunchOptions.DEV_PASSWORD);
    private RunningShopFloor shopFloor;
    private boolean closed;

    RunningPlantMesh(EmbeddedMongoServer store, TwinServer twinServer, String storeUrl, int httpPort,
            String clientHost, boolean tls, EmbeddedIdentity identity) {
        this.store = store;
        this.twinServer = twinServer;
        this.storeUrl = storeUrl;
        this.httpPort = httpPort;
        this.clientHost = clientHost;
        this.tls = tls;
        this.identity = identity;
    }

    /** The embedded Keycloak with the applied realm, unless it was switched off (--no-keycloak, tests). */
    public Optional<EmbeddedIdentity> identity() {
        return Optional.ofNullable(identity);
    }

    /**
     * How this footprint's services authenticate and its APIs check callers: tokens of the embedded Keycloak's issuer,
     * or (without Keycloak) the development user.
     */
    public synchronized ServiceAccess access() {
        return access;
    }

    synchronized void access(ServiceAccess value) {
        this.access = value;
    }

    /** The twin server's bound port. */
    public int httpPort() {
        return httpPort;
    }

    /** The store's connection string (the embedded one, or the given --mongo-uri). */
    public String storeUrl() {
        return storeUrl;
    }

    /** {@code http://host:port/api/2} ({@code https} with TLS), with a host clients can connect to. */
    public URI apiBase() {
        return URI.create((tls ? "https" : "http") + "://" + clientHost + ":" + httpPort + "/api/2");
    }

    /** {@code ws://host:port/ws/2} ({@code wss} with TLS). */
    public URI webSocket() {
        return URI.create((tls ? "wss" : "ws") + "://" + clientHost + ":" + httpPort + "/ws/2");
    }

    /** What provisioning the demo plant did ({@link ProvisioningReport#SKIPPED} with --no-demo). */
    public synchronized ProvisioningReport provisioning() {
        return provisioning;
    }

    synchronized void provisioned(ProvisioningReport report) {
        this.provisioning = report;
    }

    /** The shop floor, unless it was switched off (--no-devices, --no-demo). */
    public synchronized Optional<RunningShopFloor> shopFloor() {
        return Optional.ofNullable(shopFloor);
    }

    synchronized void shopFloorStarted(RunningShopFloor floor) {
        this.shopFloor = floor;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shopFloor != null) {
            shopFloor.close();
        }
        try {
            twinServer.close();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the twin server failed: {}", e.toString());
        }
        if (identity != null) {
            try {
                identity.close();
            } catch (RuntimeException e) {
                LOG.warn("Stopping Keycloak failed: {}", e.toString());
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warn("Stopping the embedded store failed: {}", e.toString());
            }
        }
        LOG.info("stopped");
    }
}
