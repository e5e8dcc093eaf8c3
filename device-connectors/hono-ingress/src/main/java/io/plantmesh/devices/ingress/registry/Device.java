package io.plantmesh.devices.ingress.registry;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A device registration (Hono's {@code Device} schema) with its resource version.
 *
 * @param tenantId the tenant
 * @param id the device id (in PlantMesh the Ditto thing id, e.g. {@code plant1:machine-1-03})
 * @param config the device JSON ({@code enabled}, {@code via}, {@code defaults}, {@code ext}, ...); a copy
 * @param version the resource version (ETag)
 */
public record Device(String tenantId, String id, JsonObject config, String version) {

    public Device {
        config = config.copy();
    }

    @Override
    public JsonObject config() {
        return config.copy();
    }

    public boolean enabled() {
        return config.getBoolean("enabled", true);
    }

    /** Ids of the gateways that may act on behalf of this device. */
    public List<String> via() {
        JsonArray via = config.getJsonArray("via", new JsonArray());
        List<String> ids = new ArrayList<>(via.size());
        via.forEach(v -> ids.add(String.valueOf(v)));
        return List.copyOf(ids);
    }

    public boolean isVia(String gatewayId) {
        return via().contains(gatewayId);
    }

    /** Device-level defaults for downstream message properties. */
    public JsonObject defaults() {
        return config.getJsonObject("defaults", new JsonObject()).copy();
    }

    public JsonObject ext() {
        return config.getJsonObject("ext", new JsonObject()).copy();
    }
}
