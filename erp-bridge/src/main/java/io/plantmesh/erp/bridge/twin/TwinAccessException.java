package io.plantmesh.erp.bridge.twin;

/** The twin server could not be reached or refused a request; the message says which and what to check. */
public final class TwinAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TwinAccessException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
