package io.plantmesh.mes.api;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.json.JsonObject;

import io.plantmesh.twin.client.TwinAccessException;
import io.plantmesh.twin.model.TwinFormatException;

/**
 * A failed MES API request, answered in Eclipse Ditto's error shape
 * {@code {"status", "error", "message", "description"}}: the message says what was wrong, the description what to do.
 * Errors of the twin server are passed through with their own status and code.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** 400: the request is malformed (not JSON, a missing or mistyped field, an id of the wrong kind). */
    static final String REQUEST_INVALID = "mes:request.invalid";
    /** 413: the request body is over the API's limit. */
    static final String REQUEST_TOO_LARGE = "mes:request.toolarge";
    /** 400: the work order would break its Thing Model (the twin server's own code for this). */
    static final String MODEL_VIOLATION = "wot:payload.validation.error";
    static final String LINE_NOT_FOUND = "mes:line.notfound";
    static final String WORK_ORDER_NOT_FOUND = "mes:workorder.notfound";
    static final String WORK_ORDER_EXISTS = "mes:workorder.exists";
    static final String MACHINE_NOT_FOUND = "mes:machine.notfound";
    static final String MAINTENANCE_OVERLAP = "mes:maintenance.overlap";
    static final String TRANSITION_ILLEGAL = "mes:transition.illegal";
    /** 409: the order kept changing under the API's conditional writes. */
    static final String TRANSITION_CONFLICT = "mes:transition.conflict";
    static final String RESOURCE_NOT_FOUND = "mes:resource.notfound";
    static final String METHOD_NOT_ALLOWED = "mes:method.notallowed";
    static final String TWIN_INVALID = "mes:twin.invalid";
    static final String TWIN_TIMEOUT = "mes:twin.timeout";
    static final String TWIN_UNAVAILABLE = "mes:twin.unavailable";
    static final String INTERNAL = "mes:internal.error";

    private final int status;
    private final String error;
    private final String description;

    ApiError(final int status, final String error, final String message, final String description) {
        this(status, error, message, description, null);
    }

    ApiError(final int status, final String error, final String message, final String description,
            final Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    static ApiError badRequest(final String message, final String description) {
        return new ApiError(400, REQUEST_INVALID, message, description);
    }

    static ApiError modelViolation(final String definition, final List<?> violations) {
        final StringBuilder text = new StringBuilder();
        for (final Object violation : violations) {
            text.append(text.length() == 0 ? "" : "; ").append(violation);
        }
        return new ApiError(400, MODEL_VIOLATION, "The work order does not conform to its model '" + definition
                + "': " + text, "Fix the listed fields so that they match the work-order Thing Model.");
    }

    static ApiError lineNotFound(final Object line) {
        return new ApiError(404, LINE_NOT_FOUND, "The line '" + line + "' does not exist or is not visible to the "
                + "MES.", "Check the line id (e.g. plant1:line-1) and that the MES user may read the line twin.");
    }

    static ApiError workOrderNotFound(final Object order) {
        return new ApiError(404, WORK_ORDER_NOT_FOUND, "The work order '" + order + "' does not exist or is not "
                + "visible to the MES.", "Check the work order id (e.g. plant1:wo-000123) and that the MES user may "
                + "read it.");
    }

    static ApiError machineNotFound(final Object machine) {
        return new ApiError(404, MACHINE_NOT_FOUND, "The machine '" + machine + "' does not exist or is not visible "
                + "to the MES.", "Check the machine id (e.g. plant1:machine-1-03) and that the MES user may read it.");
    }

    static ApiError illegalTransition(final String message, final String description) {
        return new ApiError(409, TRANSITION_ILLEGAL, message, description);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return description;
    }

    /** {@code {"status", "error", "message", "description"}}. */
    JsonObject toJson() {
        return JsonObject.newBuilder()
                .set("status", status)
                .set("error", error)
                .set("message", getMessage())
                .set("description", description)
                .build();
    }

    /**
     * The API error for a failed call to the twin server: a twin server error with its own status, code, message and
     * description; 504 if the twin server did not answer in time; 503 for anything else (not reachable, connection
     * lost).
     *
     * @param twinEndpoint where the twins are, for the messages
     */
    static ApiError fromTwins(final Throwable failure, final Object twinEndpoint) {
        Throwable e = unwrap(failure);
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof TwinAccessException && e.getCause() != null
                && unwrap(e.getCause()) instanceof DittoRuntimeException) {
            e = unwrap(e.getCause());
        }
        if (e instanceof DittoRuntimeException dre) {
            return new ApiError(dre.getHttpStatus().getCode(), dre.getErrorCode(), dre.getMessage(),
                    dre.getDescription().orElse("See the twin server's documentation of " + dre.getErrorCode()
                            + "."));
        }
        if (e instanceof TimeoutException) {
            return new ApiError(504, TWIN_TIMEOUT, "The twin server at " + twinEndpoint + " did not answer in time.",
                    "Check that the twin server runs and is not overloaded, then try again.", e);
        }
        final String what = e instanceof TwinAccessException ? e.getMessage() : "The twin server at "
                + twinEndpoint + " could not be used: " + e;
        return new ApiError(503, TWIN_UNAVAILABLE, what, "Check that the twin server at " + twinEndpoint
                + " runs (the MES reconnects by itself), then try again.", e);
    }

    /**
     * The API error for any failure of a request: itself if it is one; 500 {@code mes:twin.invalid} if a twin is not
     * a valid PlantMesh twin; 500 {@code mes:internal.error} otherwise.
     */
    static ApiError of(final Throwable failure) {
        final Throwable e = unwrap(failure);
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof TwinFormatException) {
            return new ApiError(500, TWIN_INVALID, "A twin is not a valid PlantMesh twin: " + e.getMessage(),
                    "Repair the twin through the twin server's API so that it matches its Thing Model.", e);
        }
        return new ApiError(500, INTERNAL, "The MES API failed: " + e, "This is a defect of the MES API; report it "
                + "with the MES log.", e);
    }

    private static Throwable unwrap(final Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
