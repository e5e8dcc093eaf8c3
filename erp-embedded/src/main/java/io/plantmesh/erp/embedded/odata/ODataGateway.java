package io.plantmesh.erp.embedded.odata;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * SAP Gateway's front door for the services it is given: URLs {@code /sap/opu/odata/sap/<SERVICE>[;v=NNNN]/<resource>},
 * Basic authentication and CSRF tokens ({@link RequestGuard}), the service document on the service root, GET and POST
 * dispatched to the {@link ODataService}, JSON bodies with absolute URIs, and every failure as SAP's error body.
 * {@code $metadata} and {@code $batch} are not served (404 and 400 with a message saying so).
 */
public final class ODataGateway {

    /** Where SAP serves its OData V2 services. */
    public static final String BASE_PATH = "/sap/opu/odata/sap/";

    private static final Logger LOG = LoggerFactory.getLogger(ODataGateway.class);
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final String JSON = "application/json; charset=utf-8";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SERVICE_KEY = "plantmesh.erp.service";

    private final Map<String, ODataService> services = new LinkedHashMap<>();
    private final RequestGuard guard;
    private final Clock clock;

    public ODataGateway(List<ODataService> services, RequestGuard guard, Clock clock) {
        for (ODataService service : services) {
            this.services.put(service.name().toUpperCase(Locale.ROOT), service);
        }
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the gateway's routes to {@code router}. */
    public void mount(Router router) {
        router.route(BASE_PATH + "*")
            .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
            .handler(guard::authenticate)
            .handler(guard::csrf)
            .handler(this::dispatch)
            .failureHandler(this::failure);
    }

    private void dispatch(RoutingContext ctx) {
        String rest = ctx.request().path().substring(BASE_PATH.length());
        int slash = rest.indexOf('/');
        String serviceSegment = slash < 0 ? rest : rest.substring(0, slash);
        String serviceName = decode(serviceSegment.split(";", 2)[0]);
        String resource = slash < 0 ? "" : decode(rest.substring(slash + 1));
        ctx.put(SERVICE_KEY, serviceName);
        ODataService service = services.get(serviceName.toUpperCase(Locale.ROOT));
        if (service == null) {
            throw new ODataError(404, ODataError.NOT_FOUND, "Service " + serviceName + " is not served here; the "
                + "PlantMesh embedded ERP serves " + services.values().stream().map(ODataService::name).toList()
                + ".");
        }
        HttpMethod method = ctx.request().method();
        boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (resource.isEmpty()) {
            if (!reading) {
                throw methodNotAllowed(method, serviceName);
            }
            JsonArray sets = new JsonArray();
            service.entitySets().forEach(set -> sets.add(set.name()));
            respond(ctx, ODataResponse.ok(new JsonObject().put("d", new JsonObject().put("EntitySets", sets))));
            return;
        }
        if (resource.equals("$metadata")) {
            throw new ODataError(404, ODataError.NOT_FOUND, "$metadata is not served by the PlantMesh embedded ERP; "
                + "the entity sets and properties it serves are listed in docs/erp-api.md, SAP's full metadata on "
                + "api.sap.com.");
        }
        if (resource.startsWith("$batch")) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "$batch is not served by the PlantMesh embedded ERP; "
                + "send one request per entity.");
        }
        ResourcePath path = ResourcePath.parse(resource);
        Repeatability repeatability = method == HttpMethod.POST
            ? Repeatability.of(ctx.request().getHeader(Repeatability.REQUEST_ID),
                ctx.request().getHeader(Repeatability.FIRST_SENT))
            : null;
        JsonObject body = null;
        if (method == HttpMethod.POST) {
            body = jsonBody(ctx);
        }
        ODataRequest request = new ODataRequest(service.name(), path, name -> ctx.request().getParam(name), body,
            ctx.get(RequestGuard.USER), repeatability);
        Future<ODataResponse> answer;
        if (reading) {
            answer = service.read(request);
        } else if (method == HttpMethod.POST) {
            if (path.addressesEntity()) {
                throw methodNotAllowed(method, resource);
            }
            answer = service.create(request);
        } else {
            throw methodNotAllowed(method, resource);
        }
        answer.onComplete(result -> {
            if (result.succeeded()) {
                respond(ctx, result.result());
            } else {
                respondError(ctx, result.cause());
            }
        });
    }

    private static JsonObject jsonBody(RoutingContext ctx) {
        String text = ctx.body().asString();
        if (text == null || text.isBlank()) {
            throw ODataError.badRequest(ODataError.INVALID_REQUEST, "The POST has no body; send the entity as JSON "
                + "(Content-Type: application/json).");
        }
        try {
            JsonObject json = new JsonObject(text);
            // SAP accepts the entity also wrapped as {"d": {...}}
            boolean wrapped = json.size() == 1 && json.getValue("d") instanceof JsonObject;
            return wrapped ? json.getJsonObject("d") : json;
        } catch (DecodeException | ClassCastException e) {
            throw ODataError.badRequest(ODataError.INVALID_REQUEST, "The request body is not a JSON object: "
                + e.getMessage() + ". Send the entity as a JSON object.");
        }
    }

    private static ODataError methodNotAllowed(HttpMethod method, String resource) {
        return new ODataError(405, ODataError.METHOD_NOT_ALLOWED, method + " is not allowed on " + resource
            + "; the PlantMesh embedded ERP serves GET on entity sets and entities and POST on entity sets.");
    }

    private void respond(RoutingContext ctx, ODataResponse response) {
        if (ctx.response().ended()) {
            return;
        }
        String base = baseUrl(ctx);
        ctx.response().setStatusCode(response.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .putHeader("DataServiceVersion", "2.0");
        if (response.location() != null) {
            ctx.response().putHeader(HttpHeaders.LOCATION, base + response.location());
        }
        response.headers().forEach((name, value) -> ctx.response().putHeader(name, value));
        if (ctx.request().method() == HttpMethod.HEAD || response.body() == null) {
            ctx.response().end();
            return;
        }
        ctx.response().end(ODataJson.absolutize(response.body().copy(), base).encode());
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            failure = new ODataError(status, status == 413 ? ODataError.INVALID_REQUEST : ODataError.INTERNAL,
                status == 413 ? "The request body is larger than " + MAX_BODY_BYTES + " bytes; send fewer items per "
                    + "request." : "The request failed with HTTP " + status + ".");
        }
        respondError(ctx, failure);
    }

    private void respondError(RoutingContext ctx, Throwable failure) {
        if (ctx.response().ended()) {
            return;
        }
        ODataError error;
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ODataError) {
            error = (ODataError) failure;
        } else if (failure instanceof MongoException) {
            error = new ODataError(503, ODataError.UNAVAILABLE, "The ERP's database did not answer (" + failure
                + "); retry in a moment.", "", failure);
        } else {
            error = new ODataError(500, ODataError.INTERNAL, "Internal error of the PlantMesh embedded ERP: " + failure
                + ". Retry; if it persists, report it with the ERP's log.", "", failure);
        }
        if (error.status() >= 500) {
            LOG.warn("ERP {} {} failed: {}", ctx.request().method(), ctx.request().path(), error.getMessage(),
                error.getCause());
        } else {
            LOG.debug("ERP {} {}: {} {}", ctx.request().method(), ctx.request().path(), error.status(),
                error.getMessage());
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        JsonObject body = ODataJson.error(error, ctx.get(SERVICE_KEY), HexFormat.of().withUpperCase().formatHex(id),
            clock.instant());
        ctx.response().setStatusCode(error.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .putHeader("DataServiceVersion", "1.0");
        ctx.response().headers().remove(HttpHeaders.LOCATION);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().end();
            return;
        }
        ctx.response().end(body.encode());
    }

    private static String baseUrl(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String host = authority == null ? "127.0.0.1" : authority.host();
        int port = authority == null || authority.port() < 0 ? ctx.request().localAddress().port() : authority.port();
        boolean ipv6 = host.contains(":") && !host.startsWith("[");
        return ctx.request().scheme() + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + port + BASE_PATH;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
