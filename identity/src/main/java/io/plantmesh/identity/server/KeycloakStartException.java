package io.plantmesh.identity.server;

/** The embedded Keycloak could not be prepared or started; the message says what was wrong and what to do. */
public final class KeycloakStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeycloakStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
