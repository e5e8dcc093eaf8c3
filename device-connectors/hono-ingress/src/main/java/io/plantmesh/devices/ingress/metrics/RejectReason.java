package io.plantmesh.devices.ingress.metrics;

/** Why the adapter refused a message a device published; each has the status Hono reports on the error topic. */
public enum RejectReason {
    /** The topic is not one of Hono's topics, or malformed (400). */
    MALFORMED_TOPIC(400),
    /** QoS 2, or an event with QoS 0 (400). */
    QOS_NOT_SUPPORTED(400),
    /** An empty payload without a content type (400). */
    EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE(400),
    /** A command response with a bad request id or status (400). */
    MALFORMED_COMMAND_RESPONSE(400),
    /** A gateway published for a device that does not list it in {@code via}, or for another tenant (403). */
    NOT_AUTHORIZED(403),
    /** The device (or its tenant) is unknown or disabled (404). */
    DEVICE_UNKNOWN_OR_DISABLED(404),
    /** The payload exceeds the configured maximum; the connection is closed (413). */
    PAYLOAD_TOO_LARGE(413),
    /** Kafka did not acknowledge the record in time (503). */
    DOWNSTREAM_UNAVAILABLE(503);

    private final int status;

    RejectReason(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
