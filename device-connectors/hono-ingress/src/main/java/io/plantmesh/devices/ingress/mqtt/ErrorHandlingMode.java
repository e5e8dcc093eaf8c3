package io.plantmesh.devices.ingress.mqtt;

import java.util.Locale;

/** The {@code on-error} property-bag value: what the adapter does after a publish failed. */
public enum ErrorHandlingMode {
    /** Ignore if the device subscribed to the error topic, otherwise disconnect. */
    DEFAULT,
    /** Close the connection. */
    DISCONNECT,
    /** Send PUBACK anyway (QoS 1) and keep the connection. */
    IGNORE,
    /** Send no PUBACK and keep the connection. */
    SKIP_ACK;

    public static ErrorHandlingMode from(String value) {
        if (value == null) {
            return DEFAULT;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "disconnect" -> DISCONNECT;
            case "ignore" -> IGNORE;
            case "skip-ack" -> SKIP_ACK;
            default -> DEFAULT;
        };
    }

    /** The mode in effect, given whether the device subscribed to the error topic. */
    public ErrorHandlingMode effective(boolean errorSubscriptionExists) {
        if (this != DEFAULT) {
            return this;
        }
        return errorSubscriptionExists ? IGNORE : DISCONNECT;
    }
}
