package io.plantmesh.launcher.service;

/** A service could not be configured or started; the message says what was wrong and what to do. */
public final class ServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ServiceException(final String message) {
        super(message);
    }

    public ServiceException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
