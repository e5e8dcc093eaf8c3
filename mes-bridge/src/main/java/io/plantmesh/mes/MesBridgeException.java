package io.plantmesh.mes;

/** The MES bridge could not start or reach what it needs; the message says what to check. */
public final class MesBridgeException extends RuntimeException {

    public MesBridgeException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
