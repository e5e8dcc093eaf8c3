package io.plantmesh.devices.ingress.mqtt;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.command.Command;
import io.plantmesh.devices.ingress.command.CommandDelivery;
import io.plantmesh.devices.ingress.command.CommandDeliveryException;
import io.plantmesh.devices.ingress.command.RequestIds;
import io.plantmesh.devices.ingress.command.TtdNotifications;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.vertx.core.Future;

/**
 * All command subscriptions of all connections, and the routing of commands to them as Hono does: a device-specific
 * subscription (by the device, or by a gateway for that device; the latest wins) before a gateway's subscription for
 * all its devices ({@code command//+/req/#}); among several such gateways in the device's {@code via} the one the
 * device last sent through. Subscribing sends a {@code ttd=-1} notification, unsubscribing or disconnecting
 * {@code ttd=0}.
 */
public final class CommandSubscriptions implements CommandDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CommandSubscriptions.class);

    /**
     * A parsed command topic filter {@code command|c/[tenant]/[device|+]/req|q/#}.
     *
     * @param filter as subscribed
     * @param endpoint "command" or "c", echoed in command topics
     * @param requestPart "req" or "q", echoed in command topics
     * @param withTenant whether the filter named the tenant
     * @param device "" (own device), "+" (all devices of a gateway) or a device id
     */
    record Filter(String filter, String endpoint, String requestPart, boolean withTenant, String device) {

        static Optional<Filter> parse(String filter) {
            Optional<TopicAddress> parsed = TopicAddress.parse(filter);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            TopicAddress a = parsed.get();
            boolean valid = ("command".equals(a.endpoint()) || "c".equals(a.endpoint())) && a.length() == 5
                    && ("req".equals(a.segment(3)) || "q".equals(a.segment(3))) && "#".equals(a.segment(4))
                    && !"+".equals(a.tenant()) && !"#".equals(a.resource());
            return valid ? Optional.of(new Filter(filter, a.endpoint(), a.segment(3), !a.tenant().isEmpty(),
                    a.resource())) : Optional.empty();
        }

        boolean allDevices() {
            return "+".equals(device);
        }
    }

    /** One registered subscription: commands for {@code deviceId} go to {@code connection}. */
    private record Subscription(DeviceConnection connection, Filter filter, String tenantId, String deviceId,
            MqttQoS qos) {
    }

    private final RegistryLookups lookups;
    private final TtdNotifications ttd;
    private final Map<String, Subscription> deviceSpecific = new ConcurrentHashMap<>();
    private final Map<String, Subscription> gatewayAllDevices = new ConcurrentHashMap<>();
    private final Map<String, String> lastGateway = new ConcurrentHashMap<>();

    public CommandSubscriptions(RegistryLookups lookups, TtdNotifications ttd) {
        this.lookups = lookups;
        this.ttd = ttd;
    }

    static boolean isCommandFilter(String filter) {
        return filter.startsWith("command/") || filter.startsWith("c/");
    }

    /**
     * Registers a subscription of the connection; completes with the granted QoS, or fails if the filter is invalid,
     * names another tenant, QoS 2 is asked for, or a gateway may not act for the named device.
     */
    Future<MqttQoS> subscribe(DeviceConnection connection, String topicFilter, MqttQoS requested) {
        Optional<Filter> parsed = Filter.parse(topicFilter);
        if (parsed.isEmpty() || requested == MqttQoS.EXACTLY_ONCE || requested == MqttQoS.FAILURE) {
            return Future.failedFuture("invalid command subscription " + topicFilter + " (QoS " + requested + ")");
        }
        Filter filter = parsed.get();
        AuthenticatedDevice self = connection.device();
        Future<Subscription> subscription;
        if (self == null) {
            boolean complete = filter.withTenant() && !filter.device().isEmpty() && !filter.allDevices();
            if (!complete) {
                return Future.failedFuture("an unauthenticated device must subscribe to command/<tenant>/<device>"
                        + "/req/#");
            }
            String tenant = filter.filter().split("/", -1)[1];
            subscription = usableDevice(tenant, filter.device())
                    .map(v -> new Subscription(connection, filter, tenant, filter.device(), requested));
        } else {
            String tenant = filter.filter().split("/", -1)[1];
            if (filter.withTenant() && !tenant.equals(self.tenantId())) {
                return Future.failedFuture("tenant in command subscription does not match the device's");
            }
            boolean own = filter.device().isEmpty() || filter.allDevices() || filter.device().equals(self.deviceId());
            String deviceId = own ? self.deviceId() : filter.device();
            subscription = own ? Future.succeededFuture(new Subscription(connection, filter, self.tenantId(),
                    deviceId, requested))
                    : lookups.device(self.tenantId(), deviceId).compose(device -> {
                        boolean allowed = device.isPresent() && device.get().enabled()
                                && device.get().isVia(self.deviceId());
                        return allowed ? Future.succeededFuture(new Subscription(connection, filter, self.tenantId(),
                                deviceId, requested))
                                : Future.failedFuture("gateway " + self.deviceId() + " may not act for " + deviceId);
                    });
        }
        return subscription.map(s -> {
            Map<String, Subscription> map = s.filter().allDevices() ? gatewayAllDevices : deviceSpecific;
            map.put(key(s.tenantId(), s.deviceId()), s);
            LOG.debug("Command subscription {} of {} registered for device {}", topicFilter,
                    connection.clientId(), s.deviceId());
            ttd.send(s.tenantId(), s.deviceId(), TtdNotifications.CONNECTED_UNTIL_FURTHER_NOTICE);
            return requested;
        });
    }

    /** Removes the connection's subscription with this filter (if it is still the registered one). */
    void unsubscribe(DeviceConnection connection, String topicFilter) {
        Optional<Filter> parsed = Filter.parse(topicFilter);
        if (parsed.isEmpty()) {
            return;
        }
        Filter filter = parsed.get();
        Map<String, Subscription> map = filter.allDevices() ? gatewayAllDevices : deviceSpecific;
        map.values().stream()
                .filter(s -> s.connection() == connection && s.filter().filter().equals(topicFilter))
                .toList()
                .forEach(s -> remove(map, s));
    }

    /** Removes every subscription of a closed connection. */
    void removeAll(DeviceConnection connection) {
        for (Map<String, Subscription> map : List.of(deviceSpecific, gatewayAllDevices)) {
            map.values().stream().filter(s -> s.connection() == connection).toList().forEach(s -> remove(map, s));
        }
    }

    /** Remembers that the device last sent through this gateway (preferred when routing its commands). */
    void noteGateway(String tenantId, String deviceId, String gatewayId) {
        lastGateway.put(key(tenantId, deviceId), gatewayId);
    }

    @Override
    public Future<Void> deliver(Command command) {
        String key = key(command.tenantId(), command.deviceId());
        Subscription specific = deviceSpecific.get(key);
        if (specific != null) {
            boolean withDevice = !specific.filter().device().isEmpty();
            return publish(specific, command, withDevice ? command.deviceId() : "");
        }
        Subscription gatewayItself = gatewayAllDevices.get(key);
        if (gatewayItself != null) {
            return publish(gatewayItself, command, ""); // a command for the gateway itself
        }
        return lookups.device(command.tenantId(), command.deviceId()).compose(device -> {
            if (device.isEmpty() || !device.get().enabled()) {
                return Future.failedFuture(new CommandDeliveryException(404, "device " + command.deviceId()
                        + " of tenant " + command.tenantId() + " does not exist or is disabled"));
            }
            List<String> via = device.get().via();
            String preferred = lastGateway.get(key);
            Subscription gateway = preferred != null && via.contains(preferred)
                    ? gatewayAllDevices.get(key(command.tenantId(), preferred)) : null;
            for (int i = 0; gateway == null && i < via.size(); i++) {
                gateway = gatewayAllDevices.get(key(command.tenantId(), via.get(i)));
            }
            if (gateway == null) {
                return Future.failedFuture(new CommandDeliveryException(503, "device " + command.deviceId()
                        + " is not connected: neither it nor a gateway in its via list subscribed for commands"));
            }
            return publish(gateway, command, command.deviceId());
        });
    }

    private Future<Void> publish(Subscription subscription, Command command, String deviceLevel) {
        String requestId = command.isOneWay() ? "" : RequestIds.fromCorrelationId(command.correlationId());
        String topic = String.join("/", subscription.filter().endpoint(),
                subscription.filter().withTenant() ? command.tenantId() : "", deviceLevel,
                subscription.filter().requestPart(), requestId, command.name());
        return subscription.connection().publishCommand(topic, command.payload(), subscription.qos());
    }

    private void remove(Map<String, Subscription> map, Subscription subscription) {
        if (map.remove(key(subscription.tenantId(), subscription.deviceId()), subscription)) {
            ttd.send(subscription.tenantId(), subscription.deviceId(), TtdNotifications.DISCONNECTED);
        }
    }

    private Future<Void> usableDevice(String tenantId, String deviceId) {
        return lookups.device(tenantId, deviceId).compose(device -> device.isPresent() && device.get().enabled()
                ? Future.succeededFuture() : Future.failedFuture("device " + deviceId + " does not exist"));
    }

    private static String key(String tenantId, String deviceId) {
        return tenantId + "/" + deviceId;
    }
}
