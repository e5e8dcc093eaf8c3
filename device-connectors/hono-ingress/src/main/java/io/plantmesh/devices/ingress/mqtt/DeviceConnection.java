package io.plantmesh.devices.ingress.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.command.CommandDeliveryException;
import io.plantmesh.devices.ingress.metrics.IngressCounters;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;

/**
 * One accepted MQTT connection: dispatches its PUBLISH packets (PUBACK only once Kafka acknowledged), its
 * SUBSCRIBE/UNSUBSCRIBE packets (commands, error topic), applies Hono's error handling (error topic, {@code on-error})
 * and cleans up its command subscriptions when it closes.
 */
final class DeviceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnection.class);

    /** The collaborators every connection uses. */
    record Services(MqttAdapterOptions options, RegistryLookups lookups, TelemetryAndEventHandler telemetryAndEvents,
            CommandResponseHandler commandResponses, CommandSubscriptions commandSubscriptions,
            IngressCounters counters) {
    }

    private final MqttEndpoint endpoint;
    private final AuthenticatedDevice device;
    private final Context context;
    private final Services services;
    private final ErrorTopic errorTopic = new ErrorTopic();
    private final PublishSequencer sequencer = new PublishSequencer();

    DeviceConnection(MqttEndpoint endpoint, AuthenticatedDevice device, Context context, Services services) {
        this.endpoint = endpoint;
        this.device = device;
        this.context = context;
        this.services = services;
    }

    /** Registers the packet handlers and sends CONNACK (session present: always 0; the will is ignored). */
    void accept() {
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.closeHandler(v -> onClose());
        endpoint.exceptionHandler(e -> LOG.debug("MQTT connection of {}: {}", clientId(), e.toString()));
        endpoint.accept(false);
        LOG.debug("MQTT connection of {} accepted ({})", clientId(), device == null ? "unauthenticated" : device);
    }

    /** The authenticated device, or null for an unauthenticated connection. */
    AuthenticatedDevice device() {
        return device;
    }

    String clientId() {
        return endpoint.clientIdentifier();
    }

    /** Publishes a command on this connection's event loop; fails if the connection is gone. */
    Future<Void> publishCommand(String topic, Buffer payload, MqttQoS qos) {
        Promise<Void> published = Promise.promise();
        context.runOnContext(v -> {
            if (!endpoint.isConnected()) {
                published.fail(new CommandDeliveryException(503, "the connection of " + clientId() + " is closed"));
                return;
            }
            endpoint.publish(topic, payload, qos, false, false).<Void>mapEmpty().onComplete(published);
        });
        return published.future();
    }

    private void onPublish(MqttPublishMessage message) {
        int maxPayload = services.options().maxPayloadBytes();
        if (message.payload().length() > maxPayload) {
            services.counters().rejected(RejectReason.PAYLOAD_TOO_LARGE);
            LOG.warn("Closing the MQTT connection of {}: a message to {} has {} bytes, more than the {} allowed",
                    clientId(), message.topicName(), message.payload().length(), maxPayload);
            endpoint.close();
            return;
        }
        PropertyBag bag = PropertyBag.fromTopic(message.topicName());
        Optional<TopicAddress> address = TopicAddress.parse(bag.topic());
        Future<Void> outcome;
        if (address.isEmpty()) {
            outcome = Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_TOPIC,
                    "topic must not be empty nor start with '/'"));
        } else if (TelemetryAndEventHandler.handles(address.get())) {
            PublishSequencer.Slot slot = sequencer.reserve();
            outcome = services.telemetryAndEvents().handle(device, message, bag, address.get(), slot)
                    .onFailure(e -> slot.skip());
        } else if (CommandResponseHandler.handles(address.get())) {
            outcome = services.commandResponses().handle(device, message, bag, address.get());
        } else {
            outcome = Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_TOPIC,
                    "unsupported topic " + bag.topic() + "; use telemetry, event or command responses"));
        }
        outcome.onComplete(ar -> {
            if (ar.succeeded()) {
                acknowledge(message);
            } else {
                onPublishFailed(message, bag, address, ar.cause());
            }
        });
    }

    private void onPublishFailed(MqttPublishMessage message, PropertyBag bag, Optional<TopicAddress> address,
            Throwable cause) {
        PublishFailure failure = cause instanceof PublishFailure f ? f
                : PublishFailure.of(RejectReason.DOWNSTREAM_UNAVAILABLE, String.valueOf(cause.getMessage()));
        services.counters().rejected(failure.reason());
        String ownId = device == null ? "" : device.deviceId();
        String target = address.map(TopicAddress::resource).filter(r -> !r.isEmpty()).orElse(ownId);
        Optional<ErrorTopic.Subscription> errorSubscription = errorTopic.forDevice(target, ownId);
        ErrorHandlingMode mode = ErrorHandlingMode.from(bag.get(PropertyBag.ON_ERROR))
                .effective(errorSubscription.isPresent());
        boolean close = failure.isTerminal() || mode == ErrorHandlingMode.DISCONNECT;
        LOG.info("Refused a message of {} to {} ({} {}): {}{}", clientId(), message.topicName(), failure.status(),
                failure.reason(), failure.getMessage(), close ? "; closing the connection" : "");
        errorSubscription.ifPresent(s -> publishError(s, message, bag, address, target, failure));
        if (close) {
            endpoint.close();
        } else if (mode == ErrorHandlingMode.IGNORE) {
            acknowledge(message);
        }
    }

    private void publishError(ErrorTopic.Subscription subscription, MqttPublishMessage message, PropertyBag bag,
            Optional<TopicAddress> address, String target, PublishFailure failure) {
        String correlationId = bag.get(PropertyBag.CORRELATION_ID);
        if (correlationId == null) {
            correlationId = message.qosLevel() == MqttQoS.AT_LEAST_ONCE ? Integer.toString(message.messageId())
                    : "-1";
        }
        String endpointType = address.map(a -> CommandResponseHandler.handles(a)
                ? CommandResponseHandler.errorEndpointType(a) : a.endpoint()).orElse("unknown");
        String tenantId = device != null ? device.tenantId() : address.map(TopicAddress::tenant).orElse("");
        String topic = ErrorTopic.topic(subscription, tenantId, target, endpointType, correlationId,
                failure.status());
        endpoint.publish(topic, ErrorTopic.payload(failure.status(), failure.getMessage(), correlationId),
                MqttQoS.AT_MOST_ONCE, false, false);
    }

    private void acknowledge(MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE && endpoint.isConnected()) {
            endpoint.publishAcknowledge(message.messageId());
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<Future<MqttQoS>> granted = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.topicSubscriptions()) {
            granted.add(subscribeOne(s).otherwise(e -> {
                LOG.info("Refused the subscription of {} to {}: {}", clientId(), s.topicName(), e.getMessage());
                return MqttQoS.FAILURE;
            }));
        }
        Future.join(granted).onComplete(ar -> {
            if (endpoint.isConnected()) {
                endpoint.subscribeAcknowledge(subscribe.messageId(), granted.stream().map(Future::result).toList());
            }
        });
    }

    private Future<MqttQoS> subscribeOne(MqttTopicSubscription s) {
        String filter = s.topicName();
        if (CommandSubscriptions.isCommandFilter(filter)) {
            return services.commandSubscriptions().subscribe(this, filter, s.qualityOfService());
        }
        if (ErrorTopic.isErrorFilter(filter)) {
            Optional<ErrorTopic.Subscription> parsed = ErrorTopic.parse(filter, device);
            if (parsed.isEmpty()) {
                return Future.failedFuture("invalid error topic filter " + filter);
            }
            String gatewayFor = parsed.get().device();
            boolean forOtherDevice = device != null && !gatewayFor.isEmpty() && !"+".equals(gatewayFor)
                    && !gatewayFor.equals(device.deviceId());
            Future<Void> allowed = forOtherDevice ? gatewayMayActFor(gatewayFor) : Future.succeededFuture();
            return allowed.map(v -> {
                errorTopic.add(parsed.get());
                return MqttQoS.AT_MOST_ONCE; // Hono grants QoS 0 for error subscriptions
            });
        }
        return Future.failedFuture("unsupported topic filter; subscribe to command or error topics only");
    }

    private Future<Void> gatewayMayActFor(String deviceId) {
        return services.lookups().device(device.tenantId(), deviceId).compose(d -> d.isPresent()
                && d.get().isVia(device.deviceId()) ? Future.succeededFuture()
                        : Future.failedFuture("gateway " + device.deviceId() + " may not act for " + deviceId));
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        for (String filter : unsubscribe.topics()) {
            if (CommandSubscriptions.isCommandFilter(filter)) {
                services.commandSubscriptions().unsubscribe(this, filter);
            } else if (ErrorTopic.isErrorFilter(filter)) {
                errorTopic.remove(filter);
            }
        }
        endpoint.unsubscribeAcknowledge(unsubscribe.messageId());
    }

    private void onClose() {
        services.commandSubscriptions().removeAll(this);
        LOG.debug("MQTT connection of {} closed", clientId());
    }
}
