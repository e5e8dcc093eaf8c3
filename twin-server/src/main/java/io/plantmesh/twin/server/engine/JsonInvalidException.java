package io.plantmesh.twin.server.engine;

import java.net.URI;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

/** A body that is not JSON, or not the JSON the resource needs: 400 with Ditto's {@code json.invalid} code. */
public final class JsonInvalidException extends DittoRuntimeException {

    public static final String ERROR_CODE = "json.invalid";

    private JsonInvalidException(String message, String description, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.BAD_REQUEST, headers, message, description, null, (URI) null);
    }

    public static JsonInvalidException of(String message, DittoHeaders headers) {
        return new JsonInvalidException(message, "Check the request body against Ditto's HTTP API v2.", headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new JsonInvalidException(getMessage(), getDescription().orElse(null), headers);
    }
}
