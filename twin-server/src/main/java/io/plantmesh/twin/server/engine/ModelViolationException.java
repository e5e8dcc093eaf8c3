package io.plantmesh.twin.server.engine;

import java.net.URI;
import java.util.List;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

/**
 * A write would leave a thing that breaks the Thing Model its {@code definition} names. Reported with status 400 and
 * the error code Ditto 3.6+ uses for Thing Model validation, {@code wot:payload.validation.error}.
 */
public final class ModelViolationException extends DittoRuntimeException {

    public static final String ERROR_CODE = "wot:payload.validation.error";

    private ModelViolationException(String message, String description, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.BAD_REQUEST, headers, message, description, null, (URI) null);
    }

    public static ModelViolationException of(String definition, List<String> violations, DittoHeaders headers) {
        String message = "The thing does not conform to its model '" + definition + "': " + String.join("; ", violations);
        return new ModelViolationException(message,
                "Fix the listed properties so they match the Thing Model, or change the thing's definition.", headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new ModelViolationException(getMessage(), getDescription().orElse(null), headers);
    }
}
