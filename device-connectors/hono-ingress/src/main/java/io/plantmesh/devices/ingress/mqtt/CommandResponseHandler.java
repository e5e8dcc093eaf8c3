package io.plantmesh.devices.ingress.mqtt;

import java.util.Optional;
import java.util.Set;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.command.CommandResponses;
import io.plantmesh.devices.ingress.command.RequestIds;
import io.plantmesh.devices.ingress.metrics.IngressCounters;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.vertx.core.Future;
import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * Forwards a device's answer to a command, published to {@code command/[tenant]/[device]/res/<req-id>/<status>} (or
 * {@code c/.../s/...}), to {@code hono.command_response.<tenant>} with the correlation id the req-id stands for.
 */
final class CommandResponseHandler {

    private static final Set<String> COMMAND = Set.of("command", "c");
    private static final Set<String> RESPONSE = Set.of("res", "s");

    private final DeviceAuthorization authorization;
    private final CommandResponses responses;
    private final IngressCounters counters;

    CommandResponseHandler(DeviceAuthorization authorization, CommandResponses responses, IngressCounters counters) {
        this.authorization = authorization;
        this.responses = responses;
        this.counters = counters;
    }

    static boolean handles(TopicAddress address) {
        return COMMAND.contains(address.endpoint());
    }

    /** The endpoint type Hono names in error topics for command responses. */
    static String errorEndpointType(TopicAddress address) {
        return "command".equals(address.endpoint()) ? "command-response" : "c-s";
    }

    Future<Void> handle(AuthenticatedDevice device, MqttPublishMessage message, PropertyBag bag,
            TopicAddress address) {
        boolean wellFormed = address.length() == 6 && RESPONSE.contains(address.segment(3));
        if (!wellFormed) {
            return Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_TOPIC,
                    "malformed command response topic; use command///res/<req-id>/<status> or "
                            + "command//<device>/res/<req-id>/<status>"));
        }
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            return Future.failedFuture(PublishFailure.of(RejectReason.QOS_NOT_SUPPORTED,
                    "QoS 2 not supported for command responses"));
        }
        Optional<String> correlationId = RequestIds.toCorrelationId(address.segment(4));
        Integer status = status(address.segment(5));
        if (correlationId.isEmpty() || status == null) {
            return Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_COMMAND_RESPONSE,
                    "command response needs the req-id of the command and an HTTP status (200-599)"));
        }
        return authorization.authorize(device, address.tenant(), address.resource()).compose(target -> responses
                .sendDeviceResponse(target.tenant().id(), target.device().id(), correlationId.get(), status,
                        bag.get(PropertyBag.CONTENT_TYPE), message.payload(), target.tenant().defaults(),
                        target.device().defaults())
                .recover(e -> Future.failedFuture(PublishFailure.of(RejectReason.DOWNSTREAM_UNAVAILABLE,
                        "Kafka did not accept the command response: " + e.getMessage())))
                .onSuccess(v -> counters.commandResponseAccepted()));
    }

    private static Integer status(String value) {
        try {
            int status = Integer.parseInt(value);
            return status >= 200 && status < 600 ? status : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
