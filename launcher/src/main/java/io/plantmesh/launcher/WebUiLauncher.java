package io.plantmesh.launcher;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.plantmesh.erp.embedded.ErpConfig;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.security.EmbeddedIdentity;
import io.plantmesh.launcher.shopfloor.RunningShopFloor;
import io.plantmesh.webui.WebUiConfig;
import io.plantmesh.webui.WebUiException;
import io.plantmesh.webui.WebUiServer;

/**
 * Serves the web UI for a running embedded footprint: the page proxies its twin API and, where the shop floor runs
 * them, the MES API and the embedded ERP's OData API. With the embedded Keycloak the page signs users in there
 * (OpenID Connect, authorization code with PKCE, public client {@code plantmesh-ui}; the page's origin is added to the
 * client's redirect URIs and web origins once the page listens) and sends their tokens to every API. Without Keycloak
 * ({@code --no-keycloak}) it uses the embedded footprint's development logins: twin API {@code ditto}/{@code ditto},
 * ERP its technical user.
 * <p>
 * With TLS ({@code --tls}, {@code --tls-cert}/{@code --tls-key}, or {@code PLANTMESH_UI_TLS_*}) the page is served
 * over HTTPS from the same certificate as the other listeners, and the proxy verifies the APIs' certificates with the
 * CAs PlantMesh's own clients trust ({@code --tls-ca}, or the development CA under {@code --tls}).
 */
public final class WebUiLauncher {

    private WebUiLauncher() {
    }

    /**
     * Starts the web UI on {@code host}:{@code port} (0: a free port). The caller closes the returned server before
     * the footprint.
     *
     * @throws LaunchException naming the port and the option that changes it, if it cannot listen
     */
    public static WebUiServer start(final RunningPlantMesh running, final String host, final int port) {
        return start(running, host, port, LaunchTls.OFF);
    }

    /**
     * Starts the web UI on {@code host}:{@code port} (0: a free port), serving HTTPS when {@code tls} has the
     * {@link LaunchTls#UI} listener, and verifying the proxied APIs with {@code tls}'s client trust. The caller closes
     * the returned server before the footprint.
     *
     * @throws LaunchException naming the port, or the TLS file, and what to do
     */
    public static WebUiServer start(final RunningPlantMesh running, final String host, final int port,
            final LaunchTls tls) {
        final LaunchTls launchTls = tls == null ? LaunchTls.OFF : tls;
        final WebUiServer server = WebUiServer.create(config(running, host, port),
                launchTls.listener(LaunchTls.UI), launchTls.clientTrust());
        try {
            final int listening = server.start();
            final Optional<EmbeddedIdentity> identity = running.identity();
            if (identity.isPresent()) {
                identity.get().addUiOrigins(PlantMeshLauncher.uiOrigins(server.servesTls() ? "https" : "http",
                        host, listening));
            }
        } catch (final WebUiException e) {
            server.close();
            throw new LaunchException(e.getMessage(), e);
        } catch (final RuntimeException e) {
            server.close();
            throw new LaunchException("The web UI could not be registered with Keycloak as a client origin: "
                    + e.getMessage() + " --no-ui runs PlantMesh without the web UI.", e);
        }
        return server;
    }

    /** The web UI's configuration for this footprint. */
    static WebUiConfig config(final RunningPlantMesh running, final String host, final int port) {
        final String clientHost = PlantMeshLauncher.clientHost(host);
        final Optional<EmbeddedIdentity> identity = running.identity();
        WebUiConfig config = WebUiConfig.defaults(running.apiBase())
                .withListen(host, port)
                .withNamespaces(List.of(DemoPlant.DEFAULT_PLANT));
        if (identity.isPresent()) {
            // users sign in with Keycloak and the page sends their tokens: no development login for the page
            config = config.withTwinLogin(null).withIdentityProvider(new WebUiConfig.IdentityProvider(
                    identity.get().keycloak().issuer(PlantMeshRealm.NAME), PlantMeshRealm.UI_CLIENT));
        } else {
            config = config.withTwinLogin(new WebUiConfig.BasicLogin(LaunchOptions.DEV_USER,
                    LaunchOptions.DEV_PASSWORD));
        }
        final Optional<RunningShopFloor> floor = running.shopFloor();
        final Optional<URI> mes = floor.flatMap(f -> f.mesBridges().stream().map(b -> b.apiUri())
                .flatMap(Optional::stream).findFirst());
        if (mes.isPresent()) {
            config = config.withMesApi(reachable(mes.get(), clientHost));
            if (identity.isEmpty() && running.access().usesTokens()) {
                // the MES API takes tokens and, in the embedded footprint, the development user (see ShopFloorLauncher)
                config = config.withMesLogin(new WebUiConfig.BasicLogin(running.access().devUser(),
                        running.access().devPassword()));
            }
        }
        final Optional<io.plantmesh.erp.embedded.EmbeddedErp> erp = floor.flatMap(RunningShopFloor::erp);
        if (erp.isPresent()) {
            final ErpConfig erpConfig = erp.get().config();
            config = config.withErpApi(reachable(erp.get().baseUri(), clientHost), identity.isPresent() ? null
                    : new WebUiConfig.BasicLogin(erpConfig.user(), erpConfig.password()));
        }
        return config;
    }

    /** The URI with a host this machine can connect to (servers bound to every interface report 0.0.0.0). */
    private static URI reachable(final URI uri, final String clientHost) {
        final String host = uri.getHost();
        final boolean wildcard = host == null || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::");
        return wildcard ? URI.create(uri.getScheme() + "://" + clientHost + ":" + uri.getPort() + uri.getRawPath())
                : uri;
    }
}
