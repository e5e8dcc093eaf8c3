package io.plantmesh.devices.ingress.registry;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Hono's device registry management HTTP API (subset of {@code device-registry-v1.yaml}): {@code /v1/tenants/{id}},
 * {@code /v1/devices/{tenant}/{device}}, {@code /v1/credentials/{tenant}/{device}}, with Hono's status codes, ETag and
 * If-Match handling and {@code {"error": "..."}} bodies. Registry calls run on worker threads.
 */
public final class RegistryApi {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String JSON = "application/json";

    private final DeviceRegistry registry;

    private RegistryApi(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Adds the {@code /v1/...} routes to the router (which may serve other things on the same port). */
    public static void mount(Router router, DeviceRegistry registry) {
        new RegistryApi(registry).routes(router);
    }

    private void routes(Router router) {
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .failureHandler(this::failure);

        router.post("/v1/tenants").handler(ctx -> blocking(ctx, () -> registry.createTenant(objectBody(ctx)),
                (c, created) -> respondCreated(c, "/v1/tenants/" + created.id(), created)));
        router.post("/v1/tenants/:tenantId").handler(ctx -> blocking(ctx,
                () -> registry.createTenant(ctx.pathParam("tenantId"), objectBody(ctx)),
                (c, created) -> respondCreated(c, "/v1/tenants/" + created.id(), created)));
        router.get("/v1/tenants/:tenantId").handler(ctx -> blocking(ctx,
                () -> registry.tenant(ctx.pathParam("tenantId"))
                        .orElseThrow(() -> RegistryException.notFound("no such tenant")),
                (c, tenant) -> respondJson(c, tenant.version(), tenant.config().toBuffer())));
        router.put("/v1/tenants/:tenantId").handler(ctx -> blocking(ctx,
                () -> registry.updateTenant(ctx.pathParam("tenantId"), requiredObjectBody(ctx), ifMatch(ctx)),
                this::respondUpdated));
        router.delete("/v1/tenants/:tenantId").handler(ctx -> blocking(ctx, () -> {
            registry.deleteTenant(ctx.pathParam("tenantId"), ifMatch(ctx));
            return "";
        }, (c, none) -> c.response().setStatusCode(204).end()));

        router.post("/v1/devices/:tenantId").handler(ctx -> blocking(ctx,
                () -> registry.createDevice(ctx.pathParam("tenantId"), objectBody(ctx)),
                (c, created) -> respondCreated(c, "/v1/devices/" + c.pathParam("tenantId") + "/" + created.id(),
                        created)));
        router.post("/v1/devices/:tenantId/:deviceId").handler(ctx -> blocking(ctx,
                () -> registry.createDevice(ctx.pathParam("tenantId"), ctx.pathParam("deviceId"), objectBody(ctx)),
                (c, created) -> respondCreated(c, "/v1/devices/" + c.pathParam("tenantId") + "/" + created.id(),
                        created)));
        router.get("/v1/devices/:tenantId/:deviceId").handler(ctx -> blocking(ctx,
                () -> registry.device(ctx.pathParam("tenantId"), ctx.pathParam("deviceId"))
                        .orElseThrow(() -> RegistryException.notFound("no such device")),
                (c, device) -> respondJson(c, device.version(), device.config().toBuffer())));
        router.put("/v1/devices/:tenantId/:deviceId").handler(ctx -> blocking(ctx,
                () -> registry.updateDevice(ctx.pathParam("tenantId"), ctx.pathParam("deviceId"),
                        requiredObjectBody(ctx), ifMatch(ctx)),
                this::respondUpdated));
        router.delete("/v1/devices/:tenantId/:deviceId").handler(ctx -> blocking(ctx, () -> {
            registry.deleteDevice(ctx.pathParam("tenantId"), ctx.pathParam("deviceId"), ifMatch(ctx));
            return "";
        }, (c, none) -> c.response().setStatusCode(204).end()));

        router.get("/v1/credentials/:tenantId/:deviceId").handler(ctx -> blocking(ctx,
                () -> registry.credentials(ctx.pathParam("tenantId"), ctx.pathParam("deviceId")),
                (c, set) -> respondJson(c, set.version(), set.credentials().toBuffer())));
        router.put("/v1/credentials/:tenantId/:deviceId").handler(ctx -> blocking(ctx,
                () -> registry.setCredentials(ctx.pathParam("tenantId"), ctx.pathParam("deviceId"),
                        arrayBody(ctx), ifMatch(ctx)),
                this::respondUpdated));
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> respond) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond.accept(ctx, ar.result());
            } else {
                respondError(ctx, ar.cause());
            }
        });
    }

    private static JsonObject objectBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            Object parsed = body.toJson();
            if (parsed instanceof JsonObject object) {
                return object;
            }
            throw RegistryException.badRequest("request body must be a JSON object");
        } catch (DecodeException e) {
            throw RegistryException.badRequest("request body is not valid JSON: " + e.getMessage());
        }
    }

    private static JsonObject requiredObjectBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw RegistryException.badRequest("request body is required");
        }
        return objectBody(ctx);
    }

    private static JsonArray arrayBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw RegistryException.badRequest("request body is required: a JSON array of credentials");
        }
        try {
            Object parsed = body.toJson();
            if (parsed instanceof JsonArray array) {
                return array;
            }
            throw RegistryException.badRequest("request body must be a JSON array of credentials");
        } catch (DecodeException e) {
            throw RegistryException.badRequest("request body is not valid JSON: " + e.getMessage());
        }
    }

    private static String ifMatch(RoutingContext ctx) {
        String value = ctx.request().getHeader("If-Match");
        if (value == null || value.isBlank() || "*".equals(value.trim())) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }

    private void respondCreated(RoutingContext ctx, String location, Created created) {
        ctx.response().setStatusCode(201).putHeader("Location", location).putHeader("ETag", created.version())
                .putHeader("Content-Type", JSON).end(new JsonObject().put("id", created.id()).toBuffer());
    }

    private void respondUpdated(RoutingContext ctx, String version) {
        ctx.response().setStatusCode(204).putHeader("ETag", version).end();
    }

    private static void respondJson(RoutingContext ctx, String version, Buffer body) {
        ctx.response().setStatusCode(200).putHeader("ETag", version).putHeader("Content-Type", JSON).end(body);
    }

    private void respondError(RoutingContext ctx, Throwable error) {
        if (error instanceof RegistryException e) {
            sendError(ctx, e.status(), e.getMessage());
        } else {
            LOG.warn("Registry request {} {} failed: {}", ctx.request().method(), ctx.request().path(),
                    error.toString(), error);
            sendError(ctx, 500, "internal error of the registry (" + error.getClass().getSimpleName()
                    + "); see the ingress log");
        }
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String message = status == 413 ? "request body exceeds " + MAX_BODY_BYTES + " bytes"
                : ctx.failure() != null ? ctx.failure().getMessage() : "request failed";
        sendError(ctx, status, message);
    }

    private static void sendError(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON)
                .end(new JsonObject().put("error", message == null ? "" : message).toBuffer());
    }
}
