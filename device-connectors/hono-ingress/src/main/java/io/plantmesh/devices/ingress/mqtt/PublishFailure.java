package io.plantmesh.devices.ingress.mqtt;

import io.plantmesh.devices.ingress.metrics.RejectReason;

/**
 * Why a device's PUBLISH was refused. A terminal failure (the connection's own device or tenant is gone or disabled)
 * always closes the connection.
 */
public final class PublishFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final boolean terminal;

    private PublishFailure(RejectReason reason, String message, boolean terminal) {
        super(message, null, false, false);
        this.reason = reason;
        this.terminal = terminal;
    }

    public static PublishFailure of(RejectReason reason, String message) {
        return new PublishFailure(reason, message, false);
    }

    public static PublishFailure terminal(RejectReason reason, String message) {
        return new PublishFailure(reason, message, true);
    }

    public RejectReason reason() {
        return reason;
    }

    public int status() {
        return reason.status();
    }

    public boolean isTerminal() {
        return terminal;
    }
}
