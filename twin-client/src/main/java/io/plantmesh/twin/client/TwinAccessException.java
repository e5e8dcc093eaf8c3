package io.plantmesh.twin.client;

/** The twin server could not be reached or refused a request; the message says what to check. */
public final class TwinAccessException extends RuntimeException {

    public TwinAccessException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
