package io.plantmesh.mes.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.mes.MesBridgeException;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.ServerCredentials;
import io.plantmesh.twin.client.TwinAccess;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The MES API: schedules per line, work orders (create, read, release, hold, resume, cancel), maintenance windows of
 * machines and ISA-95 / B2MML views
 * under {@value #BASE_PATH}, described by the OpenAPI document it serves at {@code /openapi.yaml}. Every request is
 * answered from the twins through the given {@link TwinAccess}; the API keeps no state and never dispatches: it writes
 * work-order twins, and the MES reconcilers act on the changes. Errors are Eclipse Ditto's error JSON
 * {@code {"status", "error", "message", "description"}}.
 * <p>
 * {@link #create} returns an API that is not listening; {@link #router()} gives its routes for a server of the
 * caller's, {@link #start(String, int)} runs its own server, {@link #close()} stops that. The caller owns the Vert.x
 * instance and the twin access and closes them after the API.
 */
public final class MesApi implements AutoCloseable {

    /** Every route is under this path. */
    public static final String BASE_PATH = "/api/mes/v1";
    /** The OpenAPI document served at {@code BASE_PATH/openapi.yaml}. */
    static final String OPENAPI_RESOURCE = "/io/plantmesh/mes/api/openapi.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(MesApi.class);
    private static final String JSON = "application/json";
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final ApiTwins twins;
    private final Supplier<Map<String, Long>> metrics;
    private final WorkOrders workOrders;
    private final LineViews lines;
    private final MaintenanceWindows maintenance;
    private final String openApi;
    private final MesApiAccess access;
    private final java.time.Clock maintenanceClock;
    private HttpServer server;
    private URI baseUri;

    private MesApi(final Vertx vertx, final ApiTwins twins, final MesApiConfig config,
            final Supplier<Map<String, Long>> metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.twins = Objects.requireNonNull(twins, "twins");
        Objects.requireNonNull(config, "config");
        this.metrics = metrics == null ? Map::of : metrics;
        this.workOrders = new WorkOrders(twins, config, vertx);
        this.lines = new LineViews(twins, config, vertx);
        this.maintenance = new MaintenanceWindows(twins, config, vertx);
        this.openApi = readOpenApi();
        this.access = config.access();
        this.maintenanceClock = config.clock();
    }

    /**
     * An MES API over the twins; not listening yet.
     *
     * @param vertx the Vert.x instance its server and handlers run on (the caller closes it)
     * @param twins the twins (the caller closes it)
     * @param metrics what {@code GET /metrics} shows, e.g. the bridge's counters; null for none
     */
    public static MesApi create(final Vertx vertx, final TwinAccess twins, final MesApiConfig config,
            final Supplier<Map<String, Long>> metrics) {
        return new MesApi(vertx, ApiTwins.of(Objects.requireNonNull(twins, "twins")), config, metrics);
    }

    /** For tests: over a stand-in of the twins. */
    static MesApi create(final Vertx vertx, final ApiTwins twins, final MesApiConfig config,
            final Supplier<Map<String, Long>> metrics) {
        return new MesApi(vertx, twins, config, metrics);
    }

    /**
     * A new router with every route of the API under {@value #BASE_PATH} (absolute paths; mount it on a server's root
     * router or use it as the request handler). Unknown paths and methods get 404 and 405 in the error shape.
     */
    public Router router() {
        final Router router = Router.router(vertx);
        router.route(BASE_PATH + "/*").handler(access::handle);
        router.route(BASE_PATH + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));

        router.get(BASE_PATH + "/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8").end(openApi));
        router.get(BASE_PATH + "/health").handler(ctx -> respond(ctx, 200,
                JsonOut.object().put("status", "UP").build()));
        router.get(BASE_PATH + "/metrics").handler(ctx -> respond(ctx, 200, metricsJson()));

        router.get(BASE_PATH + "/lines/:lineId/schedule").handler(ctx -> answer(ctx, 200, () ->
                lines.schedule(NewWorkOrder.lineId(ctx.pathParam("lineId"), "lineId")), json -> json));

        router.post(BASE_PATH + "/work-orders").handler(ctx -> answer(ctx, 201, () ->
                workOrders.create(NewWorkOrder.parse(ctx.body().asString())).map(created -> {
                    ctx.response().putHeader(HttpHeaders.LOCATION, BASE_PATH + "/work-orders/"
                            + created.order().id());
                    return created;
                }), created -> WorkOrderJson.of(created.order(), created.revision())));
        router.get(BASE_PATH + "/work-orders/:id").handler(ctx -> answer(ctx, 200, () ->
                workOrders.get(NewWorkOrder.workOrderId(ctx.pathParam("id"), "id")),
                read -> WorkOrderJson.of(read.order(), read.revision())));
        for (final OrderAction action : OrderAction.values()) {
            router.post(BASE_PATH + "/work-orders/:id/" + action.pathName()).handler(ctx -> answer(ctx, 200, () ->
                    workOrders.act(NewWorkOrder.workOrderId(ctx.pathParam("id"), "id"), action,
                            reason(ctx.body().asString(), action)),
                    moved -> WorkOrderJson.of(moved.order(), moved.revision())));
        }

        router.post(BASE_PATH + "/machines/:machineId/maintenance-windows").handler(ctx -> answer(ctx, 201, () ->
                maintenance.plan(NewMaintenanceWindow.machineId(ctx.pathParam("machineId"), "machineId"),
                        NewMaintenanceWindow.parse(ctx.body().asString(), maintenanceClock.instant())).map(json -> {
                            ctx.response().putHeader(HttpHeaders.LOCATION, BASE_PATH + "/machines/"
                                    + ctx.pathParam("machineId") + "/maintenance-windows");
                            return json;
                        }), json -> json));
        router.get(BASE_PATH + "/machines/:machineId/maintenance-windows").handler(ctx -> answer(ctx, 200, () ->
                maintenance.list(NewMaintenanceWindow.machineId(ctx.pathParam("machineId"), "machineId")),
                json -> json));

        router.get(BASE_PATH + "/b2mml/production-schedule").handler(ctx -> answer(ctx, 200, () ->
                lines.productionSchedule(lineParam(ctx)), json -> json));
        router.get(BASE_PATH + "/b2mml/production-performance").handler(ctx -> answer(ctx, 200, () ->
                lines.productionPerformance(lineParam(ctx), sinceParam(ctx)), json -> json));

        router.errorHandler(404, ctx -> respondError(ctx, new ApiError(404, ApiError.RESOURCE_NOT_FOUND,
                "There is no resource " + ctx.request().path() + ".", "See " + BASE_PATH
                        + "/openapi.yaml for the MES API's paths.")));
        router.errorHandler(405, ctx -> respondError(ctx, new ApiError(405, ApiError.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path() + ".", "See " + BASE_PATH
                        + "/openapi.yaml for the methods of each path.")));
        router.errorHandler(413, ctx -> respondError(ctx, new ApiError(413, ApiError.REQUEST_TOO_LARGE,
                "The request body is larger than " + MAX_BODY_BYTES + " bytes.", "Send a smaller body: a work order "
                        + "with a bill of materials fits in a few kilobytes.")));
        router.errorHandler(500, ctx -> respondError(ctx, ApiError.of(ctx.failure() == null
                ? new IllegalStateException("unknown failure") : ctx.failure())));
        return router;
    }

    /**
     * Starts an HTTP server for the API on {@code host}:{@code port} (0: any free port) and logs its URL. Blocks until
     * it listens; call it off any event loop.
     *
     * @return the port it listens on
     * @throws MesBridgeException naming host and port if it cannot listen
     */
    public synchronized int start(final String host, final int port) {
        return start(host, port, null);
    }

    /**
     * Starts an HTTP server for the API on {@code host}:{@code port} (0: any free port), over https with {@code tls}
     * (null: plain http), and logs its URL. Blocks until it listens; call it off any event loop.
     *
     * @return the port it listens on
     * @throws MesBridgeException naming host and port if it cannot listen
     * @throws io.plantmesh.tls.TlsConfigurationException naming a TLS file that is missing or does not fit
     */
    public synchronized int start(final String host, final int port, final ListenerTls tls) {
        if (server != null) {
            return server.actualPort();
        }
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("MesApi.start blocks until the server listens; call it off the event "
                    + "loop (e.g. from the launcher's thread or executeBlocking)");
        }
        final HttpServerOptions serverOptions = new HttpServerOptions();
        if (tls != null) {
            final ServerCredentials credentials = tls.load("the MES API");
            credentials.applyTo(serverOptions);
            credentials.warnIfNotCovering(host, "the MES API");
        }
        final HttpServer created = vertx.createHttpServer(serverOptions).requestHandler(router());
        try {
            server = created.listen(port, host).toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            created.close();
            throw new MesBridgeException("The MES API could not listen on " + host + ":" + port + ": "
                    + TwinAccess.describe(e) + ". Choose another port or stop what uses this one.", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            created.close();
            throw new MesBridgeException("Interrupted while starting the MES API on " + host + ":" + port, e);
        }
        baseUri = URI.create(ListenerTls.scheme("http", tls) + "://" + host + ":" + server.actualPort() + BASE_PATH);
        LOG.info("MES API    {}   (OpenAPI {}/openapi.yaml; twins at {}; {})", baseUri, baseUri, twins.endpoint(),
                access);
        return server.actualPort();
    }

    /** {@code http(s)://host:port/api/mes/v1} once started, else null. */
    public synchronized URI baseUri() {
        return baseUri;
    }

    /** Stops the API's server (if it was started); the Vert.x instance and the twin access stay open. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        final HttpServer stopping = server;
        server = null;
        stopping.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        LOG.info("MES API {} stopped", baseUri);
    }

    /** Runs {@code work} and answers with its JSON and {@code status}, or with the error it failed with. */
    private <T> void answer(final RoutingContext ctx, final int status, final Supplier<Future<T>> work,
            final Function<T, JsonObject> toJson) {
        final Future<T> result;
        try {
            result = work.get();
        } catch (final RuntimeException e) {
            respondError(ctx, ApiError.of(e));
            return;
        }
        result.onComplete(ar -> {
            if (ar.failed()) {
                respondError(ctx, ApiError.of(ar.cause()));
                return;
            }
            final JsonObject json;
            try {
                json = toJson.apply(ar.result());
            } catch (final RuntimeException e) {
                respondError(ctx, ApiError.of(e));
                return;
            }
            respond(ctx, status, json);
        });
    }

    private static void respond(final RoutingContext ctx, final int status, final JsonObject body) {
        final boolean gone = ctx.response().ended() || ctx.response().closed();
        if (gone) {
            // the client went away (or a handler answered already): nothing to send
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toString());
    }

    static void respondError(final RoutingContext ctx, final ApiError error) {
        if (error.status() >= 500) {
            // the cause's stack trace, if any, is what a maintainer needs to find the defect
            LOG.warn("MES API {} {} failed: {} {}", ctx.request().method(), ctx.request().path(), error.error(),
                    error.getMessage(), error.getCause());
        } else {
            LOG.debug("MES API {} {}: {} {}", ctx.request().method(), ctx.request().path(), error.status(),
                    error.getMessage());
        }
        ctx.response().headers().remove(HttpHeaders.LOCATION);
        respond(ctx, error.status(), error.toJson());
    }

    private JsonObject metricsJson() {
        final JsonOut json = JsonOut.object();
        new TreeMap<>(metrics.get()).forEach(json::put);
        return json.build();
    }

    /** The {@code reason} of an optional body {@code {"reason": "..."}}; null if there is none. */
    static String reason(final String body, final OrderAction action) {
        if (body == null || body.isBlank()) {
            return null;
        }
        final String expected = "The body of " + action.pathName() + " is optional; if sent, it must be {\"reason\": "
                + "\"<text>\"}.";
        final JsonValue value;
        try {
            value = JsonFactory.readFrom(body);
        } catch (final RuntimeException e) {
            throw ApiError.badRequest("The request body is not valid JSON: " + e.getMessage(), expected);
        }
        if (!value.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object, was " + value + ".", expected);
        }
        final JsonObject json = value.asObject();
        for (final JsonKey key : json.getKeys()) {
            if (!Set.of("reason").contains(key.toString())) {
                throw ApiError.badRequest("Unknown field '" + key + "'.", expected);
            }
        }
        final JsonValue reason = json.getValue(JsonFactory.newKey("reason")).orElse(JsonFactory.nullLiteral());
        if (reason.isNull()) {
            return null;
        }
        final boolean text = reason.isString() && !reason.asString().isBlank();
        if (!text) {
            throw ApiError.badRequest("Field 'reason' must be a non-empty string, was " + reason + ".", expected);
        }
        return reason.asString().strip();
    }

    private static ThingId lineParam(final RoutingContext ctx) {
        final String line = ctx.queryParams().get("line");
        if (line == null || line.isBlank()) {
            throw ApiError.badRequest("Query parameter 'line' is missing.", "Name the line, e.g. ?line=plant1:line-1.");
        }
        return NewWorkOrder.lineId(line, "line");
    }

    private static Instant sinceParam(final RoutingContext ctx) {
        final String since = ctx.queryParams().get("since");
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (final DateTimeParseException e) {
            throw ApiError.badRequest("Query parameter 'since' must be an ISO-8601 date-time with offset, was \""
                    + since + "\".", "For example ?since=2026-12-01T00:00:00Z.");
        }
    }

    private static String readOpenApi() {
        try (InputStream in = MesApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The MES API's OpenAPI document " + OPENAPI_RESOURCE
                        + " is missing from the classpath (a build defect)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
        }
    }
}
