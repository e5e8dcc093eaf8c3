package io.plantmesh.devices.gateway.buffer;

import io.plantmesh.devices.gateway.mapping.MessageKind;

/** A message held by the {@link StoreAndForwardBuffer}: its sequence number, kind, MQTT QoS, topic and payload. */
public record BufferedMessage(long seq, MessageKind kind, int qos, String topic, byte[] payload) {
}
