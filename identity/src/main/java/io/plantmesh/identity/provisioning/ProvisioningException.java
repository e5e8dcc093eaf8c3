package io.plantmesh.identity.provisioning;

/** Provisioning Keycloak failed; the message says what was wrong and what to do. */
public final class ProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
