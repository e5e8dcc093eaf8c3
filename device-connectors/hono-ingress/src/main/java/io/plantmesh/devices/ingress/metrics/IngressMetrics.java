package io.plantmesh.devices.ingress.metrics;

import java.util.Map;

/**
 * A snapshot of the ingress counters since start.
 *
 * @param connectionsAccepted MQTT connections accepted
 * @param connectionsRefused refused connections by CONNACK return code name
 * @param connectionsThrottled of those, refused without a password check because the auth-id was locked out after
 *        repeated failed authentications (counted under {@code CONNECTION_REFUSED_NOT_AUTHORIZED} too)
 * @param telemetryAccepted telemetry messages Kafka acknowledged
 * @param eventsAccepted events Kafka acknowledged (device events, not empty notifications)
 * @param commandResponsesAccepted command responses from devices Kafka acknowledged
 * @param rejected refused device messages by reason
 * @param commandsReceived commands read from {@code hono.command.*}
 * @param commandsDelivered commands published to a device or its gateway
 * @param commandsUndeliverable commands with no subscriber (a 503 delivery failure went back if a response was due)
 */
public record IngressMetrics(long connectionsAccepted, Map<String, Long> connectionsRefused,
        long connectionsThrottled, long telemetryAccepted,
        long eventsAccepted, long commandResponsesAccepted, Map<RejectReason, Long> rejected, long commandsReceived,
        long commandsDelivered, long commandsUndeliverable) {

    public IngressMetrics {
        connectionsRefused = Map.copyOf(connectionsRefused);
        rejected = Map.copyOf(rejected);
    }

    public long rejected(RejectReason reason) {
        return rejected.getOrDefault(reason, 0L);
    }
}
