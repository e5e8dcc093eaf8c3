package io.plantmesh.maintenance;

/** The maintenance service could not start or run; the message says what was wrong and what to do. */
public final class MaintenanceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MaintenanceException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
