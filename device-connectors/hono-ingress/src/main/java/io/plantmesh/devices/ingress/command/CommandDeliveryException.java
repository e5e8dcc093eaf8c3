package io.plantmesh.devices.ingress.command;

/** A command could not be delivered; {@link #status()} goes into the delivery-failure response. */
public final class CommandDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public CommandDeliveryException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
