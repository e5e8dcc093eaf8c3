package io.plantmesh.devices.ingress.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One stored credential of a device, including its hashed secrets (never a plain password). Used by the adapter to
 * authenticate devices; the management API returns credentials without their confidential fields.
 *
 * @param tenantId the tenant
 * @param deviceId the device the credential belongs to
 * @param body the credential JSON ({@code type}, {@code auth-id}, {@code enabled}, {@code secrets}); a copy
 */
public record Credential(String tenantId, String deviceId, JsonObject body) {

    public static final String HASHED_PASSWORD = "hashed-password";

    public Credential {
        body = body.copy();
    }

    @Override
    public JsonObject body() {
        return body.copy();
    }

    public String type() {
        return body.getString("type");
    }

    public String authId() {
        return body.getString("auth-id");
    }

    public boolean enabled() {
        return body.getBoolean("enabled", true);
    }

    public JsonArray secrets() {
        return body.getJsonArray("secrets", new JsonArray()).copy();
    }
}
