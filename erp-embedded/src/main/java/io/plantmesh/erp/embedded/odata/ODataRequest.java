package io.plantmesh.erp.embedded.odata;

import java.util.function.Function;

import io.vertx.core.json.JsonObject;

/**
 * One request to an OData service, as the gateway parsed it.
 *
 * @param service the service name, e.g. {@code API_MATERIAL_DOCUMENT_SRV}
 * @param path the resource after the service root
 * @param parameter query string parameters by name (decoded)
 * @param body the JSON body of a POST, else null
 * @param user the authenticated user
 * @param repeatability the repeatability headers of a POST, or null
 */
public record ODataRequest(String service, ResourcePath path, Function<String, String> parameter, JsonObject body,
        String user, Repeatability repeatability) {

    /** The query options of this request, checked against {@code set}. */
    public QueryOptions options(EntitySet set) {
        return QueryOptions.parse(parameter, set);
    }
}
