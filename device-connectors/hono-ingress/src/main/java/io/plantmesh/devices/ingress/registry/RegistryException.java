package io.plantmesh.devices.ingress.registry;

/**
 * A registry operation that failed for a reason the caller can act on; carries the HTTP status that Hono's device
 * registry management API uses for it (400 malformed, 404 not found, 409 conflict, 412 version mismatch).
 */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    private RegistryException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static RegistryException badRequest(String message) {
        return new RegistryException(400, message);
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(404, message);
    }

    public static RegistryException conflict(String message) {
        return new RegistryException(409, message);
    }

    public static RegistryException versionMismatch(String message) {
        return new RegistryException(412, message);
    }

    /** The HTTP status code of this failure. */
    public int status() {
        return status;
    }
}
