package io.plantmesh.devices.ingress.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** A CONNECT the adapter refuses, with the CONNACK return code and the reason (for the log, never the password). */
public final class ConnectRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient MqttConnectReturnCode code;
    private final boolean throttled;

    public ConnectRefusal(MqttConnectReturnCode code, String reason) {
        this(code, reason, false);
    }

    private ConnectRefusal(MqttConnectReturnCode code, String reason, boolean throttled) {
        super(reason, null, false, false);
        this.code = code;
        this.throttled = throttled;
    }

    public MqttConnectReturnCode code() {
        return code;
    }

    /** Whether the CONNECT was refused because its auth-id is locked out after repeated failures. */
    public boolean throttled() {
        return throttled;
    }

    /**
     * The auth-id is locked out: 0x05 (not authorized), as Hono answers a client error other than 401/404 (such as
     * 429 too many requests); the password was not checked.
     */
    static ConnectRefusal throttled(String reason) {
        return new ConnectRefusal(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, reason, true);
    }

    static ConnectRefusal badCredentials(String reason) {
        return new ConnectRefusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, reason);
    }

    static ConnectRefusal notAuthorized(String reason) {
        return new ConnectRefusal(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, reason);
    }
}
