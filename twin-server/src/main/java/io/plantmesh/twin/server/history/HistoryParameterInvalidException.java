package io.plantmesh.twin.server.history;

import java.net.URI;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

/**
 * A history request's {@code from-historical-*} / {@code to-historical-*} parameters cannot be served as given: 400 in
 * Ditto's error format, code {@value #ERROR_CODE}.
 */
public final class HistoryParameterInvalidException extends DittoRuntimeException {

    public static final String ERROR_CODE = "plantmesh:history.parameter.invalid";

    private static final String HOW = "Stream a thing's history with GET /api/2/things/{thingId} and Accept: "
            + "text/event-stream, with either from-historical-revision (a revision; 0 for the oldest kept, negative "
            + "for revisions back from the current one) and optionally to-historical-revision, or "
            + "from-historical-timestamp and optionally to-historical-timestamp (ISO-8601, e.g. "
            + "2026-11-26T10:15:00Z).";

    private HistoryParameterInvalidException(String message, String description, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.BAD_REQUEST, headers, message, description, null, (URI) null);
    }

    /** {@code message} says what was wrong; the description says how to ask. */
    public static HistoryParameterInvalidException of(String message, DittoHeaders headers) {
        return new HistoryParameterInvalidException(message, HOW, headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new HistoryParameterInvalidException(getMessage(), getDescription().orElse(null), headers);
    }
}
