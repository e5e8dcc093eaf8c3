package io.plantmesh.twin.server.audit;

import java.net.URI;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

/** The requester may not read the audit log: 403 in Ditto's error format, code {@code plantmesh:audit.notallowed}. */
public final class AuditNotReadableException extends DittoRuntimeException {

    public static final String ERROR_CODE = "plantmesh:audit.notallowed";

    private AuditNotReadableException(String message, String description, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.FORBIDDEN, headers, message, description, null, (URI) null);
    }

    public static AuditNotReadableException of(DittoHeaders headers) {
        return new AuditNotReadableException("The audit log may only be read by IT administrators.",
                "Authenticate with a token that carries the realm role it-admin (subject keycloak:it-admin).",
                headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new AuditNotReadableException(getMessage(), getDescription().orElse(null), headers);
    }
}
