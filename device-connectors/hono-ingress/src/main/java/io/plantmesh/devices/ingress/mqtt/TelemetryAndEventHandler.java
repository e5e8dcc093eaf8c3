package io.plantmesh.devices.ingress.mqtt;

import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.kafka.DownstreamProperties;
import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.kafka.HonoTopic;
import io.plantmesh.devices.ingress.kafka.NorthboundSender;
import io.plantmesh.devices.ingress.metrics.IngressCounters;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.vertx.core.Future;
import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * Forwards telemetry ({@code telemetry}/{@code t}) and events ({@code event}/{@code e}) to
 * {@code hono.telemetry.<tenant>} / {@code hono.event.<tenant>} with Hono's headers. Telemetry takes QoS 0 or 1,
 * events QoS 1 only; an empty payload needs a content type. The returned future completes when Kafka acknowledged
 * the record.
 */
final class TelemetryAndEventHandler {

    private static final Set<String> TELEMETRY = Set.of("telemetry", "t");
    private static final Set<String> EVENT = Set.of("event", "e");

    private final DeviceAuthorization authorization;
    private final NorthboundSender sender;
    private final CommandSubscriptions commandSubscriptions;
    private final IngressCounters counters;

    TelemetryAndEventHandler(DeviceAuthorization authorization, NorthboundSender sender,
            CommandSubscriptions commandSubscriptions, IngressCounters counters) {
        this.authorization = authorization;
        this.sender = sender;
        this.commandSubscriptions = commandSubscriptions;
        this.counters = counters;
    }

    static boolean handles(TopicAddress address) {
        return TELEMETRY.contains(address.endpoint()) || EVENT.contains(address.endpoint());
    }

    /**
     * Checks and forwards one telemetry or event message; {@code slot} orders its send to Kafka after the earlier
     * messages of its connection (the caller skips the slot if this fails before sending).
     */
    Future<Void> handle(AuthenticatedDevice device, MqttPublishMessage message, PropertyBag bag,
            TopicAddress address, PublishSequencer.Slot slot) {
        boolean event = EVENT.contains(address.endpoint());
        if (address.length() > 3) {
            return Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_TOPIC,
                    "malformed topic name; use " + address.endpoint() + ", " + address.endpoint()
                            + "//<device> or " + address.endpoint() + "/<tenant>/<device>"));
        }
        MqttQoS qos = message.qosLevel();
        if (!event && qos == MqttQoS.EXACTLY_ONCE) {
            return Future.failedFuture(PublishFailure.of(RejectReason.QOS_NOT_SUPPORTED,
                    "QoS 2 not supported for telemetry messages"));
        }
        if (event && qos != MqttQoS.AT_LEAST_ONCE) {
            return Future.failedFuture(PublishFailure.of(RejectReason.QOS_NOT_SUPPORTED,
                    "Only QoS 1 supported for event messages"));
        }
        String contentType = bag.get(PropertyBag.CONTENT_TYPE);
        boolean hasContentType = contentType != null && !contentType.isEmpty();
        if (message.payload().length() == 0 && !hasContentType) {
            return Future.failedFuture(PublishFailure.of(RejectReason.EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE,
                    "an empty payload needs a content-type in the property bag"));
        }
        return authorization.authorize(device, address.tenant(), address.resource()).compose(target -> {
            Map<String, Object> props = HonoHeaders.headers();
            props.put(HonoHeaders.DEVICE_ID, target.device().id());
            props.put(HonoHeaders.QOS, qos.value());
            if (hasContentType) {
                props.put(HonoHeaders.CONTENT_TYPE, contentType);
            }
            props.put(HonoHeaders.ORIG_ADDRESS, message.topicName());
            props.put(HonoHeaders.ORIG_ADAPTER, HonoHeaders.ADAPTER_TYPE_MQTT);
            if (event) {
                ttlSeconds(bag).ifPresent(ttl -> props.put(HonoHeaders.TTL, ttl));
            }
            if (message.isRetain()) {
                props.put(HonoHeaders.RETAIN, Boolean.TRUE);
            }
            Map<String, Object> headers = DownstreamProperties.merge(
                    event ? DownstreamProperties.Endpoint.EVENT : DownstreamProperties.Endpoint.TELEMETRY,
                    target.tenant().defaults(), target.device().defaults(), props);
            String tenantId = target.tenant().id();
            String topic = event ? HonoTopic.event(tenantId) : HonoTopic.telemetry(tenantId);
            return slot.send(() -> sender.send(topic, target.device().id(), message.payload(), headers))
                    .recover(e -> Future.failedFuture(PublishFailure.of(RejectReason.DOWNSTREAM_UNAVAILABLE,
                            "Kafka did not accept the message: " + e.getMessage())))
                    .onSuccess(v -> {
                        if (event) {
                            counters.eventAccepted();
                        } else {
                            counters.telemetryAccepted();
                        }
                        if (target.viaGateway()) {
                            commandSubscriptions.noteGateway(tenantId, target.device().id(), target.gatewayId());
                        }
                    });
        });
    }

    private static java.util.Optional<Long> ttlSeconds(PropertyBag bag) {
        String value = bag.get(PropertyBag.TTL);
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? java.util.Optional.empty() : java.util.Optional.of(seconds);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
