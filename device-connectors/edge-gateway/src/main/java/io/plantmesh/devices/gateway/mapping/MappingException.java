package io.plantmesh.devices.gateway.mapping;

/** A mapping or device list that cannot be used; the message names the file, the entry and what is wrong. */
public final class MappingException extends RuntimeException {

    public MappingException(final String message) {
        super(message);
    }

    public MappingException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
