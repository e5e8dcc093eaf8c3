package io.plantmesh.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.UserDeclaration;
import io.plantmesh.identity.secrets.AdminCredentials;
import io.plantmesh.identity.server.KeycloakDistribution;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.demo.DemoProvisioner;
import io.plantmesh.launcher.demo.ProvisioningReport;
import io.plantmesh.launcher.security.DemoUsers;
import io.plantmesh.launcher.security.EmbeddedIdentity;
import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.launcher.shopfloor.ShopFloorLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.policies.PolicyTemplates;
import io.plantmesh.security.client.TokenClientConfig;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.tls.TlsSettings;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.plantmesh.twin.server.audit.AuditSettings;

/**
 * Starts the embedded footprint in this JVM: the embedded store (unless a MongoDB URI is given), the embedded
 * Keycloak (when enabled; it boots while the twin server starts and the demo plant is provisioned, then the
 * {@code plantmesh} realm is applied), the twin server (trusting the realm's tokens), the demo plant through the twin
 * server's HTTP API, then (unless disabled) the shop floor of the demo plant's machines: Kafka, the Hono ingress,
 * device provisioning, the simulator, edge gateways, twin ingestion, the ERP and the MES (see
 * {@link ShopFloorLauncher}), whose services authenticate with their service accounts' tokens
 * ({@link ServiceAccess}). Used by {@code plantmesh up} and by tests.
 */
public final class PlantMeshLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(PlantMeshLauncher.class);

    /** The embedded footprint's development subject (the basic-auth user ditto/ditto), treated like it-admin. */
    static final String DEV_SUBJECT = PolicyTemplates.DEVELOPMENT_SUBJECT;

    /** Where the embedded store keeps its files, under the data directory. */
    public static final String STORE_DIRECTORY = "store";

    private PlantMeshLauncher() {
    }

    /**
     * Starts everything and returns when the demo plant is provisioned. On failure everything started so far is
     * stopped again.
     *
     * @throws LaunchException saying what was wrong and what to do
     */
    public static RunningPlantMesh start(LaunchOptions options, LaunchListener listener) {
        return start(options, listener, ShopFloorLauncher.Tuning.NONE);
    }

    /**
     * Like {@link #start(LaunchOptions, LaunchListener)}, with the shop floor's services adjusted before they start
     * (the scenario's baseline and probes).
     */
    public static RunningPlantMesh start(LaunchOptions options, LaunchListener listener,
            ShopFloorLauncher.Tuning tuning) {
        checkUsersFile(options.usersFile());
        options.tls().check();
        EmbeddedMongoServer store = null;
        String storeUrl;
        if (options.embeddedStore()) {
            Path storeDir = options.dataDir().resolve(STORE_DIRECTORY);
            store = EmbeddedMongoServer.create(new EmbeddedStoreConfig(storeDir, "127.0.0.1", options.storePort(),
                    EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true));
            try {
                store.start();
            } catch (RuntimeException e) {
                closeQuietly(store);
                throw StartupErrors.store(options, storeDir, e);
            }
            storeUrl = store.connectionString();
            listener.serviceUp("store", storeUrl, "embedded, data in " + storeDir.toAbsolutePath().normalize());
        } else {
            storeUrl = options.mongoUri();
            listener.serviceUp("store", StartupErrors.redacted(storeUrl), "MongoDB given by --mongo-uri");
        }

        EmbeddedIdentity identity = null;
        if (options.keycloak().enabled()) {
            try {
                identity = EmbeddedIdentity.launch(options.keycloak().config(options.dataDir()),
                        listener::keycloakProgress);
            } catch (RuntimeException e) {
                closeQuietly(store);
                throw new LaunchException(e.getMessage(), e);
            }
        }

        TwinServerConfig twinConfig = TwinServerConfig.defaults(storeUrl)
                .withHost(options.host())
                .withPort(options.httpPort())
                .withUsers(Map.of(LaunchOptions.DEV_USER, LaunchOptions.DEV_PASSWORD), options.usersFile())
                .withTls(options.tls().listener(TlsSettings.TWIN));
        if (identity != null) {
            // the issuer is known once Keycloak's process is launched; its keys are fetched on the first token
            twinConfig = twinConfig.withOidcIssuers(List.of(ServiceAccess.issuerOf(issuer(identity))));
        }
        TwinServer twinServer = TwinServer.create(twinConfig)
                .withAudit(options.audit().withReaders(Set.of(AuditSettings.IT_ADMIN, DEV_SUBJECT)));
        int port;
        try {
            port = twinServer.start();
        } catch (RuntimeException e) {
            closeQuietly(twinServer);
            closeQuietly(identity);
            closeQuietly(store);
            throw StartupErrors.twinServer(options, e);
        }
        RunningPlantMesh running = new RunningPlantMesh(store, twinServer, storeUrl, port,
                clientHost(options.host()), options.tls().listener(TlsSettings.TWIN) != null, identity);
        listener.serviceUp("twin API", running.apiBase().toString(), "Ditto HTTP API v2");
        listener.serviceUp("WebSocket", running.webSocket().toString(), "Ditto protocol");
        listener.serviceUp("dev user", LaunchOptions.DEV_USER + " / " + LaunchOptions.DEV_PASSWORD,
                "subject nginx:ditto, may read and write the whole demo plant (embedded footprint only"
                        + (identity == null ? "" : "; services and people use Keycloak tokens") + ")");
        if (options.audit().enabled()) {
            listener.serviceUp("audit", running.apiBase() + "/plantmesh/audit", "every write and denial, hash-chained"
                    + " in MongoDB; readable by it-admin and the dev user; check: plantmesh audit verify");
        }

        if (!options.demo()) {
            identityUp(options, listener, running, identity, port);
            if (options.shopFloor().enabled()) {
                LOG.info("No shop floor: its machines are those of the demo plant, which --no-demo leaves out");
            }
            return running;
        }
        DemoPlant plant = DemoPlant.generate(DemoPlant.DEFAULT_PLANT, options.demoSeed(), Instant.now());
        try {
            ProvisioningReport report = new DemoProvisioner(running.apiBase(), LaunchOptions.DEV_USER,
                    LaunchOptions.DEV_PASSWORD, options.tls().clientTrust())
                    .provision(plant, listener::provisioningProgress);
            running.provisioned(report);
        } catch (RuntimeException e) {
            running.close();
            throw new LaunchException(e.getMessage(), e);
        } catch (Error e) {
            running.close();
            throw e;
        }
        identityUp(options, listener, running, identity, port);
        if (options.runsShopFloor()) {
            startShopFloor(options, listener, running, storeUrl, port, plant, tuning);
        }
        return running;
    }

    /**
     * Waits for Keycloak, applies the realm, lists Keycloak, the issuer and the demo users with what each may do, and
     * sets how the services authenticate (tokens of the service accounts, or the development user without Keycloak).
     */
    private static void identityUp(LaunchOptions options, LaunchListener listener, RunningPlantMesh running,
            EmbeddedIdentity identity, int port) {
        if (identity == null) {
            running.access(ServiceAccess.development(LaunchOptions.DEV_USER, LaunchOptions.DEV_PASSWORD));
            listener.serviceUp("Keycloak", "OFF", "--no-keycloak: DEVELOPMENT ONLY, no OpenID Connect tokens: the"
                    + " services use the dev user, the MES API is open, the ERP takes its Basic user");
            return;
        }
        try {
            identity.awaitAndApply(uiOrigins(options.host(), port), listener::keycloakProgress);
        } catch (RuntimeException e) {
            running.close();
            throw new LaunchException(e.getMessage(), e);
        }
        String base = identity.keycloak().baseUrl().toString();
        listener.serviceUp("Keycloak", base, "embedded Keycloak " + KeycloakDistribution.version() + ", data in "
                + identity.keycloak().directory() + "; admin console " + base + "/admin, administrator in "
                + AdminCredentials.fileIn(options.dataDir()).toAbsolutePath().normalize());
        listener.serviceUp("issuer", issuer(identity).toString(),
                "OpenID Connect; public client plantmesh-ui; Ditto subjects keycloak:<sub>, keycloak:<realm role>;"
                        + " service secrets in " + identity.secrets().file().toAbsolutePath().normalize());
        for (UserDeclaration user : identity.realm().users()) {
            listener.serviceUp("demo user", user.username() + " / " + user.password(),
                    DemoUsers.mayDo(user, identity.realm()));
        }
        URI issuer = issuer(identity);
        listener.serviceUp("token", TokenClientConfig.keycloakTokenEndpoint(issuer).toString(), "a demo user's access"
                + " token: curl -d grant_type=password -d client_id=" + PlantMeshRealm.UI_CLIENT + " -d username=viewer"
                + " -d password=viewer <this URL>, then send access_token as Authorization: Bearer");
        running.access(ServiceAccess.tokens(issuer, identity.secrets(), LaunchOptions.DEV_USER,
                LaunchOptions.DEV_PASSWORD));
    }

    /** The realm's issuer, {@code http://127.0.0.1:<port>/realms/plantmesh}: known once Keycloak is launched. */
    private static URI issuer(EmbeddedIdentity identity) {
        return identity.keycloak().issuer(PlantMeshRealm.NAME);
    }

    /** The web UI is served with the twin API: its origin (and localhost's) may receive authorization codes. */
    static List<String> uiOrigins(String bindHost, int port) {
        return uiOrigins("http", bindHost, port);
    }

    /** The page's origins with this scheme ({@code https} when the web UI serves TLS). */
    static List<String> uiOrigins(String scheme, String bindHost, int port) {
        String host = clientHost(bindHost);
        String origin = scheme + "://" + host + ":" + port;
        return host.equals("127.0.0.1") ? List.of(origin, scheme + "://localhost:" + port) : List.of(origin);
    }

    private static void startShopFloor(LaunchOptions options, LaunchListener listener, RunningPlantMesh running,
            String storeUrl, int port, DemoPlant plant, ShopFloorLauncher.Tuning tuning) {
        ShopFloorOptions floorOptions = options.shopFloor();
        ShopFloorPlan plan = ShopFloorPlan.of(plant.plant(), plant.machines(), floorOptions.machineFilter());
        ShopFloorLauncher.Surroundings at = new ShopFloorLauncher.Surroundings(options.dataDir(), options.host(),
                clientHost(options.host()), storeUrl, port, running.access(), options.demoSeed(), options.tls());
        ShopFloorLauncher.Listener floorListener = new ShopFloorLauncher.Listener() {
            @Override
            public void serviceUp(String service, String address, String note) {
                listener.serviceUp(service, address, note);
            }

            @Override
            public void deviceProgress(int done, int total) {
                listener.deviceProgress(done, total);
            }
        };
        try {
            running.shopFloorStarted(ShopFloorLauncher.start(floorOptions, at, plan, plant.workOrders(),
                    plant.materials(), floorListener, tuning));
        } catch (RuntimeException e) {
            running.close();
            throw e instanceof LaunchException launch ? launch : new LaunchException(e.getMessage(), e);
        } catch (Error e) {
            // e.g. a class missing from a broken build: stop Keycloak's process and the rest before giving up
            running.close();
            throw e;
        }
    }

    private static void checkUsersFile(Path usersFile) {
        if (usersFile != null && !Files.isReadable(usersFile)) {
            throw new LaunchException("The users file " + usersFile.toAbsolutePath().normalize() + " (--users-file or"
                    + " PLANTMESH_USERS_FILE) does not exist or cannot be read. Create it with one 'name:password' or"
                    + " 'name:sha256:<hex>' per line, or leave the option out to have only the dev user ditto/ditto.",
                    null);
        }
    }

    /** A host name clients can connect to: the loopback address when the server binds every interface. */
    static String clientHost(String bindHost) {
        return switch (bindHost) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the start failure is what the user needs to see
        }
    }
}
