package io.plantmesh.twin.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.audit.AuditLog;
import io.plantmesh.audit.AuditStore;
import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcHttp;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.oidc.VerifierSettings;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.ServerCredentials;
import io.plantmesh.twin.model.validation.ThingModelValidator;
import io.plantmesh.twin.server.audit.AuditApi;
import io.plantmesh.twin.server.audit.AuditHook;
import io.plantmesh.twin.server.audit.AuditSettings;
import io.plantmesh.twin.server.audit.TwinAudit;
import io.plantmesh.twin.server.auth.Authentication;
import io.plantmesh.twin.server.auth.Authenticator;
import io.plantmesh.twin.server.auth.AuthenticatorChain;
import io.plantmesh.twin.server.auth.BasicAuthenticator;
import io.plantmesh.twin.server.auth.JwtAuthenticator;
import io.plantmesh.twin.server.auth.PreAuthenticatedAuthenticator;
import io.plantmesh.twin.server.auth.RequestCredentials;
import io.plantmesh.twin.server.engine.ModelCheck;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.TwinEventBus;
import io.plantmesh.twin.server.history.ThingHistory;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.http.ThingsApi;
import io.plantmesh.twin.server.live.LiveSignalRouter;
import io.plantmesh.twin.server.live.MessagesApi;
import io.plantmesh.twin.server.search.SearchApi;
import io.plantmesh.twin.server.search.ServerSentEvents;
import io.plantmesh.twin.server.search.ThingSearch;
import io.plantmesh.twin.server.store.MongoTwinStore;
import io.plantmesh.twin.server.ws.WebSocketEndpoint;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The embedded, Eclipse Ditto compatible twin server: HTTP API v2 under {@code /api/2}, the Ditto protocol over
 * WebSocket at {@code /ws/2}, SSE, search, policies, live messages; twins persisted in MongoDB.
 */
public final class TwinServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinServer.class);

    private final TwinServerConfig config;
    private Vertx vertx;
    private MongoTwinStore store;
    private TwinEngine engine;
    private HttpServer http;
    private TwinServerContext context;
    private AuditSettings auditSettings = AuditSettings.defaults();
    private AuditLog auditLog;
    private AuditHook audit = AuditHook.NONE;

    private TwinServer(TwinServerConfig config) {
        this.config = config;
    }

    /** How to audit (default: {@link AuditSettings#defaults()}); call before {@link #start()}. */
    public TwinServer withAudit(AuditSettings settings) {
        this.auditSettings = settings;
        return this;
    }

    /** Returns an unstarted server; the caller must close it, including after a failed start. */
    public static TwinServer create(TwinServerConfig config) {
        return new TwinServer(config);
    }

    /**
     * Checks the TLS files (if any), connects to MongoDB, loads the twins, binds the port; returns the bound port.
     *
     * @throws io.plantmesh.tls.TlsConfigurationException naming a TLS file that is missing or does not fit
     */
    public int start() {
        ServerCredentials tls = config.tls() == null ? null : config.tls().load("the twin API");
        store = MongoTwinStore.open(config.mongoUri(), config.database(), config.eventRetention());
        TwinEventBus events = new TwinEventBus();
        ThingModelValidator validator = ThingModelValidator.plantModels();
        ModelCheck modelCheck = thing -> validator.validate(thing).stream()
                .map(v -> v.path() + ": " + v.message()).toList();
        engine = TwinEngine.start(store, events, modelCheck,
                new TwinEngine.Limits(config.maxThingBytes(), config.maxPolicyBytes()));
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        AuthenticatorChain auth = new AuthenticatorChain(authenticators());
        ThingSearch search = new ThingSearch(engine);
        LiveSignalRouter live = new LiveSignalRouter(engine);
        context = new TwinServerContext(vertx, config, engine, events, auth, search, live);
        TwinAudit twinAudit = null;
        if (auditSettings.enabled()) {
            auditLog = AuditLog.start(AuditStore.open(config.mongoUri(), config.database()),
                    auditSettings.queueCapacity(), auditSettings.retention());
            twinAudit = new TwinAudit(auditLog, engine);
            audit = twinAudit;
            engine.auditWith(twinAudit);
            live.auditWith(twinAudit);
        }

        Router router = Router.router(vertx);
        router.route("/api/2/*").handler(rc -> authenticate(rc, auth, false, audit));
        router.route("/ws/2").handler(rc -> authenticate(rc, auth, true, audit));
        WebSocketEndpoint.mount(router, context);
        // before the HTTP API: it passes on requests that are not SSE
        ServerSentEvents.mount(router, context, new ThingHistory(store));
        SearchApi.mount(router, context);
        MessagesApi.mount(router, context);
        if (twinAudit != null) {
            AuditApi.mount(router, vertx, twinAudit, auditSettings.readers());
        }
        ThingsApi.mount(router, context, live.httpAcknowledgements()); // last: it answers unknown /api/2 paths with 404

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketFrameSize(1024 * 1024)
                .setMaxWebSocketMessageSize(1024 * 1024)
                .setCompressionSupported(false);
        if (tls != null) {
            tls.applyTo(options);
            tls.warnIfNotCovering(config.host(), "the twin API");
        }
        try {
            http = vertx.createHttpServer(options).requestHandler(router).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The twin server could not listen on " + config.host() + ":" + config.port()
                    + " (" + rootMessage(e) + "). Is another process using the port? Choose another with --http-port.",
                    e);
        }
        LOG.info("Twin server (Ditto API v2) listening on {}://{}:{}/api/2 and {}://{}:{}/ws/2 ({})",
                ListenerTls.scheme("http", config.tls()), config.host(), http.actualPort(),
                ListenerTls.scheme("ws", config.tls()), config.host(), http.actualPort(), credentialsSummary());
        return http.actualPort();
    }

    private List<Authenticator> authenticators() {
        List<Authenticator> list = new ArrayList<>();
        if (config.basicAuthentication()) {
            Map<String, String> users = new LinkedHashMap<>(config.users() == null ? Map.of() : config.users());
            if (config.usersFile() != null) {
                BasicAuthenticator fromFile = BasicAuthenticator.fromFile(config.usersFile());
                list.add(fromFile);
            }
            if (!users.isEmpty()) {
                list.add(BasicAuthenticator.of(users));
            }
        }
        if (config.preAuthentication()) {
            list.add(new PreAuthenticatedAuthenticator());
        }
        if (!config.oidcIssuers().isEmpty()) {
            VerifierSettings settings = config.tokenVerification();
            list.add(new JwtAuthenticator(AccessTokenVerifier.create(config.oidcIssuers(), settings,
                    OidcHttp.withDefaults(settings.httpTimeout()), Clock.systemUTC())));
        }
        return list;
    }

    /**
     * Authenticates the request and stores the result for the routes. Usually complete at once; when an issuer's keys
     * must be fetched first, the request is paused meanwhile so that its body is not lost before the body handler.
     * A refusal is recorded in the audit log.
     */
    private static void authenticate(RoutingContext rc, AuthenticatorChain auth, boolean webSocket, AuditHook audit) {
        HttpServerRequest request = rc.request();
        RequestCredentials credentials = new RequestCredentials(request::getHeader,
                webSocket ? request::getParam : name -> null);
        CompletableFuture<Authentication> result = auth.authenticate(credentials).toCompletableFuture();
        if (result.isDone()) {
            proceed(rc, auth, result, audit);
            return;
        }
        Context context = Vertx.currentContext();
        boolean paused = !request.isEnded();
        if (paused) {
            request.pause();
        }
        result.whenComplete((a, e) -> context.runOnContext(v -> {
            if (paused) {
                request.resume(); // delivers buffered body data asynchronously, after the next handler is installed
            }
            proceed(rc, auth, result, audit);
        }));
    }

    private static void proceed(RoutingContext rc, AuthenticatorChain auth, CompletableFuture<Authentication> result,
            AuditHook audit) {
        Authentication authentication;
        try {
            authentication = result.join();
        } catch (RuntimeException e) {
            audit.authenticationFailed(rc.request().method().name(), rc.request().path(),
                    rc.request().getHeader("correlation-id"), e);
            if (auth.acceptsBasic()) {
                rc.response().headers().add("WWW-Authenticate", "Basic realm=\"plantmesh\"");
            }
            if (auth.tokens().isPresent()) {
                rc.response().headers().add("WWW-Authenticate", "Bearer realm=\"plantmesh\"");
            }
            HttpSupport.fail(rc, e);
            return;
        }
        rc.put(HttpSupport.AUTH_KEY, authentication.context());
        rc.put(HttpSupport.AUTHENTICATION_KEY, authentication);
        rc.next();
    }

    /** What the start line says about credentials: basic users, pre-authentication, token issuers. */
    private String credentialsSummary() {
        List<String> kinds = new ArrayList<>();
        if (config.basicAuthentication()) {
            kinds.add("basic auth");
        }
        if (config.preAuthentication()) {
            kinds.add("pre-authentication");
        }
        for (OidcIssuer issuer : config.oidcIssuers()) {
            kinds.add("tokens of " + issuer.issuer() + " as " + issuer.prefix() + ":");
        }
        return kinds.isEmpty() ? "no credentials accepted" : String.join(", ", kinds);
    }

    public int port() {
        return http.actualPort();
    }

    public TwinServerContext context() {
        return context;
    }

    /** The audit log, or null if auditing is off or the server is not started. */
    public AuditLog auditLog() {
        return auditLog;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) c = c.getCause();
        return c.getMessage();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (engine != null) {
            engine.close();
        }
        if (auditLog != null) {
            auditLog.close();   // after the engine: what it completed is audited
        }
        if (store != null) {
            store.close();
        }
    }
}
