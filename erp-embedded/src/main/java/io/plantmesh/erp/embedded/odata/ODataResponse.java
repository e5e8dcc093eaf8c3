package io.plantmesh.erp.embedded.odata;

import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * What a service answers: status, body with URIs relative to the gateway's base, optionally a relative
 * {@code Location} and extra headers (e.g. {@code Repeatability-Result}).
 */
public record ODataResponse(int status, JsonObject body, String location, Map<String, String> headers) {

    public ODataResponse {
        headers = Map.copyOf(headers);
    }

    /** 200 with a body. */
    public static ODataResponse ok(JsonObject body) {
        return new ODataResponse(200, body, null, Map.of());
    }
}
