package io.plantmesh.erp.embedded.engine;

import java.util.Objects;

import io.vertx.core.json.JsonObject;

/**
 * The response to a posting, kept with its repeatability record so that a repeat gets exactly this back.
 *
 * @param status the HTTP status (201 for a created entity)
 * @param location the created entity's URI relative to the gateway base, or null
 * @param body the response body, URIs relative to the gateway base
 */
public record Posted(int status, String location, JsonObject body) {

    public Posted {
        Objects.requireNonNull(body, "body");
    }
}
