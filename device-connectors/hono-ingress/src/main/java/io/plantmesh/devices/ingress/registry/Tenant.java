package io.plantmesh.devices.ingress.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A tenant as registered (Hono's {@code Tenant} schema) with its resource version.
 *
 * @param id the tenant id
 * @param config the tenant JSON ({@code enabled}, {@code adapters}, {@code defaults}, {@code ext}, ...); a copy
 * @param version the resource version (ETag)
 */
public record Tenant(String id, JsonObject config, String version) {

    public Tenant {
        config = config.copy();
    }

    @Override
    public JsonObject config() {
        return config.copy();
    }

    public boolean enabled() {
        return config.getBoolean("enabled", true);
    }

    /** Tenant-level defaults for downstream message properties (content-type, ttl, ...). */
    public JsonObject defaults() {
        return config.getJsonObject("defaults", new JsonObject()).copy();
    }

    /**
     * Whether devices of this tenant may use the given adapter type: all adapters are enabled if the tenant lists
     * none; a listed adapter is enabled only if it says so (its {@code enabled} defaults to false).
     */
    public boolean isAdapterEnabled(String adapterType) {
        JsonArray adapters = config.getJsonArray("adapters");
        if (adapters == null) {
            return true;
        }
        for (Object entry : adapters) {
            if (entry instanceof JsonObject adapter && adapterType.equals(adapter.getString("type"))) {
                return adapter.getBoolean("enabled", false);
            }
        }
        return false;
    }
}
