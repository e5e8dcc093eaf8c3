package io.plantmesh.devices.ingress.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** A CONNECT the adapter refuses, with the CONNACK return code and the reason (for the log, never the password). */
public final class ConnectRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient MqttConnectReturnCode code;

    public ConnectRefusal(MqttConnectReturnCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public MqttConnectReturnCode code() {
        return code;
    }

    static ConnectRefusal badCredentials(String reason) {
        return new ConnectRefusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, reason);
    }

    static ConnectRefusal notAuthorized(String reason) {
        return new ConnectRefusal(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, reason);
    }
}
