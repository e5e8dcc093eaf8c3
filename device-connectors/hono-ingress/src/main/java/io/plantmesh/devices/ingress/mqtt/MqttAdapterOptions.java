package io.plantmesh.devices.ingress.mqtt;

/**
 * Settings of the MQTT adapter.
 *
 * @param host the address to bind
 * @param port the port (0 = a free one)
 * @param maxPayloadBytes largest accepted PUBLISH payload; larger ones are discarded and the connection closed
 * @param authenticationRequired whether devices must authenticate (Hono's default); if false, a CONNECT without user
 *        name is accepted and must use the {@code t/<tenant>/<device>} forms
 */
public record MqttAdapterOptions(String host, int port, int maxPayloadBytes, boolean authenticationRequired) {
}
