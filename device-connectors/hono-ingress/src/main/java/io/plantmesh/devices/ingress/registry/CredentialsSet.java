package io.plantmesh.devices.ingress.registry;

import io.vertx.core.json.JsonArray;

/**
 * A device's credentials as the management API returns them: secrets carry their {@code id} but no confidential
 * fields ({@code pwd-hash}, {@code salt}, {@code hash-function}, {@code key}).
 *
 * @param credentials the credentials array; a copy
 * @param version the resource version (ETag)
 */
public record CredentialsSet(JsonArray credentials, String version) {

    public CredentialsSet {
        credentials = credentials.copy();
    }

    @Override
    public JsonArray credentials() {
        return credentials.copy();
    }
}
