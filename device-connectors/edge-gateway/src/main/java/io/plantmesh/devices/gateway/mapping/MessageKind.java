package io.plantmesh.devices.gateway.mapping;

/** How a value travels to Hono: batched telemetry, or an event sent at once with QoS 1 (state changes, alarms). */
public enum MessageKind {
    TELEMETRY,
    EVENT
}
