package io.plantmesh.devices.ingress.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Checks request bodies against the parts of Hono's Tenant and Device schemas that the ingress relies on. */
final class RegistryBodies {

    private RegistryBodies() {
    }

    static JsonObject tenant(JsonObject requested) {
        JsonObject tenant = requested == null ? new JsonObject() : requested.copy();
        requireType(tenant, "enabled", Boolean.class, "a boolean");
        requireType(tenant, "defaults", JsonObject.class, "an object");
        requireType(tenant, "ext", JsonObject.class, "an object");
        requireType(tenant, "adapters", JsonArray.class, "an array");
        JsonArray adapters = tenant.getJsonArray("adapters");
        if (adapters != null) {
            if (adapters.isEmpty()) {
                throw RegistryException.badRequest("adapters must not be empty if given");
            }
            for (Object adapter : adapters) {
                boolean valid = adapter instanceof JsonObject a && a.getValue("type") instanceof String;
                if (!valid) {
                    throw RegistryException.badRequest("each adapter needs a type, e.g. {\"type\":\"hono-mqtt\"}");
                }
            }
        }
        return tenant;
    }

    static JsonObject device(JsonObject requested) {
        JsonObject device = requested == null ? new JsonObject() : requested.copy();
        device.remove("status"); // read-only, maintained by the registry
        requireType(device, "enabled", Boolean.class, "a boolean");
        requireType(device, "defaults", JsonObject.class, "an object");
        requireType(device, "ext", JsonObject.class, "an object");
        requireType(device, "via", JsonArray.class, "an array");
        JsonArray via = device.getJsonArray("via");
        if (via != null) {
            for (Object gateway : via) {
                if (!(gateway instanceof String gatewayId)) {
                    throw RegistryException.badRequest("via must list gateway device ids (strings)");
                }
                IdPatterns.requireDeviceId(gatewayId);
            }
        }
        return device;
    }

    private static void requireType(JsonObject body, String field, Class<?> type, String what) {
        Object value = body.getValue(field);
        if (value != null && !type.isInstance(value)) {
            throw RegistryException.badRequest("property [" + field + "] must be " + what);
        }
    }
}
