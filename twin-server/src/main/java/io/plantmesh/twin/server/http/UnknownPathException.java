package io.plantmesh.twin.server.http;

import java.net.URI;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;

/**
 * A URL under {@code /api/2} that names no resource: 404 with the error code of Ditto's {@link PathUnknownException}
 * ({@code signals.commands:path.unknown}). Ditto's own exception is a 400 because it reports unknown paths in Ditto
 * protocol messages; an unknown URL is a 404 in HTTP terms.
 */
final class UnknownPathException extends DittoRuntimeException {

    private static final long serialVersionUID = 1L;

    private UnknownPathException(String message, String description, DittoHeaders headers) {
        super(PathUnknownException.ERROR_CODE, HttpStatus.NOT_FOUND, headers, message, description, null, (URI) null);
    }

    static UnknownPathException of(String path, String description, DittoHeaders headers) {
        return new UnknownPathException("The path '" + path + "' does not name a resource of Ditto's HTTP API v2.",
                description, headers);
    }

    /** The same error as a 404, for a path the engine's model rejected. */
    static UnknownPathException from(PathUnknownException e) {
        return new UnknownPathException(e.getMessage(), e.getDescription().orElse(null), e.getDittoHeaders());
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new UnknownPathException(getMessage(), getDescription().orElse(null), headers);
    }
}
