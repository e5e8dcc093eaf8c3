package io.plantmesh.devices.ingress.mqtt;

import io.plantmesh.devices.ingress.AuthThrottling;
import io.plantmesh.tls.ListenerTls;

/**
 * Settings of the MQTT adapter.
 *
 * @param host the address to bind
 * @param port the port (0 = a free one)
 * @param maxPayloadBytes largest accepted PUBLISH payload; larger ones are discarded and the connection closed
 * @param authenticationRequired whether devices must authenticate (Hono's default); if false, a CONNECT without user
 *        name is accepted and must use the {@code t/<tenant>/<device>} forms
 * @param tls TLS of the listener (mqtts); null for plain MQTT
 * @param authThrottling lockout of auth-ids after repeated failed authentications
 */
public record MqttAdapterOptions(String host, int port, int maxPayloadBytes, boolean authenticationRequired,
        ListenerTls tls, AuthThrottling authThrottling) {
}
