package io.plantmesh.webui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.TlsConfigurationException;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.webui.assets.WebJarAssets;
import io.plantmesh.webui.proxy.ApiProxy;
import io.plantmesh.webui.proxy.ProxiedApi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web UI's server: the page (static HTML, CSS and JavaScript modules from the classpath folder
 * {@value #APP_FOLDER}), its browser libraries ({@code /webjars/...}), its {@code config.json}, the plant's Thing
 * Models ({@code /models/<kind>}), and a same-origin proxy to the twin API ({@code /api/2}), the MES API
 * ({@code /api/mes/v1}) and the ERP's OData services ({@code /sap/opu/odata/sap}).
 * <p>
 * With {@link ListenerTls} it serves HTTPS from the PEM certificate and key; with {@link ClientTrust} it verifies the
 * APIs it proxies ({@code https} bases) with those CAs only, else with the JVM's default trust store.
 * <p>
 * {@link #create} returns a server that is not listening; its caller must {@link #close()} it, also after a failed
 * {@link #start()}. It runs on a Vert.x instance of its own.
 */
public final class WebUiServer implements AutoCloseable {

    /** Classpath folder of the page's files. */
    public static final String APP_FOLDER = "plantmesh-web-ui";

    private static final Logger LOG = LoggerFactory.getLogger(WebUiServer.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    /** Upstream connections per API: every open event stream holds one. */
    private static final int UPSTREAM_CONNECTIONS = 64;

    private final WebUiConfig config;
    private final ListenerTls listenerTls;
    private final ClientTrust upstreamTrust;
    private final Vertx vertx;
    private final HttpClient upstreamClient;
    private final Map<String, Buffer> models;
    private final List<ApiProxy> proxies = new ArrayList<>();
    private HttpServer server;
    private URI uri;

    private WebUiServer(final WebUiConfig config, final ListenerTls listenerTls, final ClientTrust upstreamTrust) {
        this.config = Objects.requireNonNull(config, "config");
        this.listenerTls = listenerTls;
        this.upstreamTrust = upstreamTrust;
        this.models = readModels();
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        final HttpClientOptions clientOptions = new HttpClientOptions()
                .setKeepAlive(true)
                .setIdleTimeout(0)
                .setDecompressionSupported(false)
                // https bases: the certificate must name the host the base names
                .setVerifyHost(true);
        if (upstreamTrust != null) {
            clientOptions.setTrustOptions(upstreamTrust.vertxTrustOptions());
        }
        this.upstreamClient = vertx.createHttpClient(clientOptions,
                new PoolOptions().setHttp1MaxSize(UPSTREAM_CONNECTIONS));
        proxies.add(new ApiProxy(ProxiedApi.TWIN, config.twinApi(), upstreamClient));
        if (config.mesApi() != null) {
            proxies.add(new ApiProxy(ProxiedApi.MES, config.mesApi(), upstreamClient));
        }
        if (config.erpApi() != null) {
            proxies.add(new ApiProxy(ProxiedApi.ERP, config.erpApi(), upstreamClient));
        }
    }

    /** A plain-HTTP server for this configuration, trusting the JVM's default CAs upstream; not listening yet. */
    public static WebUiServer create(final WebUiConfig config) {
        return new WebUiServer(config, null, null);
    }

    /**
     * A server for this configuration; not listening yet.
     *
     * @param listenerTls the certificate and key its own listener serves HTTPS with; null for plain HTTP
     * @param upstreamTrust the CAs the proxied APIs' certificates are verified with (e.g. a private CA's
     *     {@code ca.pem}); null for the JVM's default trust store
     */
    public static WebUiServer create(final WebUiConfig config, final ListenerTls listenerTls,
            final ClientTrust upstreamTrust) {
        return new WebUiServer(config, listenerTls, upstreamTrust);
    }

    public WebUiConfig config() {
        return config;
    }

    /**
     * Listens on the configured host and port and logs the page's URL. Blocks until it listens; call it off any
     * event loop.
     *
     * @return the port it listens on
     * @throws WebUiException naming host and port if it cannot listen
     */
    public synchronized int start() {
        if (server != null) {
            return server.actualPort();
        }
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("WebUiServer.start blocks until the server listens; call it off the"
                    + " event loop");
        }
        final HttpServerOptions options = new HttpServerOptions();
        if (listenerTls != null) {
            try {
                listenerTls.applyTo(options, "the web UI");
            } catch (final TlsConfigurationException e) {
                throw new WebUiException("The web UI cannot serve HTTPS: " + e.getMessage(), e);
            }
        }
        final HttpServer created = vertx.createHttpServer(options).requestHandler(router());
        try {
            server = created.listen(config.port(), config.host()).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            created.close();
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new WebUiException("The web UI could not listen on " + config.host() + ":" + config.port() + ": "
                    + cause.getMessage() + ". Free the port or choose another (plantmesh up --ui-port PORT, 0 for a"
                    + " free one).", cause);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            created.close();
            throw new WebUiException("Interrupted while starting the web UI on " + config.host() + ":"
                    + config.port(), e);
        }
        uri = URI.create(ListenerTls.scheme("http", listenerTls) + "://" + clientHost(config.host()) + ":"
                + server.actualPort() + "/");
        LOG.info("Web UI     {}   (twin API -> {}, MES API -> {}, ERP -> {}; upstream TLS trusts {})", uri,
                config.twinApi(), config.mesApi() == null ? "none" : config.mesApi(), config.erpApi() == null ? "none"
                        : config.erpApi(), upstreamTrust == null ? "the JVM's default CAs" : upstreamTrust);
        return server.actualPort();
    }

    /** Whether the listener serves HTTPS. */
    public boolean servesTls() {
        return listenerTls != null;
    }

    /** {@code http://host:port/} ({@code https} with TLS) once started (a loopback host when it binds every interface), else null. */
    public synchronized URI uri() {
        return uri;
    }

    private Router router() {
        final Router router = Router.router(vertx);
        router.route().handler(WebUiServer::securityHeaders);
        router.get("/config.json").handler(rc -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(BrowserConfig.of(config).encodePrettily()));
        router.get("/models/:kind").handler(this::model);
        WebJarAssets.mount(router);
        for (final ProxiedApi api : ProxiedApi.values()) {
            final ApiProxy proxy = proxies.stream().filter(p -> p.api() == api).findFirst().orElse(null);
            router.route(api.browserBase() + "/*").handler(proxy != null ? proxy : rc -> notConfigured(rc, api));
        }
        router.get("/*").handler(StaticHandler.create(APP_FOLDER)
                .setIndexPage("index.html")
                .setMaxAgeSeconds(0)
                .setDirectoryListing(false)
                .setIncludeHidden(false));
        return router;
    }

    private void model(final RoutingContext rc) {
        final Buffer model = models.get(rc.pathParam("kind"));
        if (model == null) {
            rc.fail(404);
            return;
        }
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/ld+json").end(model);
    }

    private static void notConfigured(final RoutingContext rc, final ProxiedApi api) {
        rc.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", 503).put("error", "webui:api.notconfigured")
                        .put("message", "The web UI was started without a " + api.title() + ".")
                        .put("description", "Run PlantMesh with it (./plantmesh up starts the MES and the ERP"
                                + " unless --no-mes or --no-erp is given) and reload the page.")
                        .encode());
    }

    private static void securityHeaders(final RoutingContext rc) {
        rc.response().putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        rc.next();
    }

    private static Map<String, Buffer> readModels() {
        final Map<String, Buffer> byKind = new HashMap<>();
        for (final TwinKind kind : TwinKind.values()) {
            final String resource = PlantDefinitions.modelResource(kind);
            try (InputStream in = PlantDefinitions.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the Thing Model " + resource + " is not on the classpath;"
                            + " rebuild twin-models");
                }
                byKind.put(kind.modelName(), Buffer.buffer(in.readAllBytes()));
            } catch (final IOException e) {
                throw new UncheckedIOException("reading the Thing Model " + resource, e);
            }
        }
        return Map.copyOf(byKind);
    }

    private static String clientHost(final String bindHost) {
        return switch (bindHost) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
        };
    }

    /** Stops the server and its Vert.x instance; idempotent. */
    @Override
    public synchronized void close() {
        final URI was = uri;
        server = null;
        uri = null;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        } catch (final RuntimeException e) {
            LOG.warn("Stopping the web UI failed: {}", e.toString());
        }
        if (was != null) {
            LOG.info("Web UI {} stopped", was);
        }
    }
}
