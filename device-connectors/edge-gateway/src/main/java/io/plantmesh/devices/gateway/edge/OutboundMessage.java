package io.plantmesh.devices.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.plantmesh.devices.gateway.mapping.MessageKind;

/** A payload for one device, ready for Hono: telemetry or event, with its content type. */
public record OutboundMessage(String deviceId, MessageKind kind, String contentType, byte[] payload) {

    public OutboundMessage {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return kind + " " + deviceId + " " + contentType + " " + payloadText();
    }
}
