package io.plantmesh.devices.gateway.opcua;

/** The machine's OPC-UA server cannot be reached right now (not connected, timed out, connection lost). */
public final class OpcUaUnavailableException extends RuntimeException {

    public OpcUaUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
