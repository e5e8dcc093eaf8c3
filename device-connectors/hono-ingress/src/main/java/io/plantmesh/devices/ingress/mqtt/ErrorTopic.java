package io.plantmesh.devices.ingress.mqtt;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A connection's subscriptions to Hono's error topic, {@code error/[tenant]/[device|+]/#} or {@code e/...}, and the
 * error messages published to them: topic {@code error/[tenant]/[device]/<endpoint-type>/<correlation-id>/<status>},
 * payload {@code {"code", "message", "timestamp", "correlation-id"}}. Tenant and device levels appear in the topic
 * if the filter had them (for {@code +}, the device the failed message was for).
 */
final class ErrorTopic {

    /**
     * @param filter the topic filter as subscribed
     * @param longForm {@code error} rather than {@code e}
     * @param withTenant the filter named the tenant
     * @param device "" (the connection's own device), "+" (every device of a gateway) or a device id
     */
    record Subscription(String filter, boolean longForm, boolean withTenant, String device) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** Empty unless the filter is an error topic filter of the given connection's tenant. */
    static Optional<Subscription> parse(String filter, AuthenticatedDevice authenticated) {
        Optional<TopicAddress> parsed = TopicAddress.parse(filter);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        TopicAddress address = parsed.get();
        boolean isErrorFilter = ("error".equals(address.endpoint()) || "e".equals(address.endpoint()))
                && address.length() == 4 && "#".equals(address.segment(3));
        if (!isErrorFilter) {
            return Optional.empty();
        }
        String tenant = address.tenant();
        String device = address.resource();
        if (authenticated == null) {
            if (tenant.isEmpty() || device.isEmpty() || "+".equals(device)) {
                return Optional.empty();
            }
        } else if (!tenant.isEmpty() && !tenant.equals(authenticated.tenantId())) {
            return Optional.empty();
        }
        if ("+".equals(tenant)) {
            return Optional.empty();
        }
        return Optional.of(new Subscription(filter, "error".equals(address.endpoint()), !tenant.isEmpty(), device));
    }

    static boolean isErrorFilter(String filter) {
        return filter.startsWith("error/") || filter.startsWith("e/");
    }

    void add(Subscription subscription) {
        subscriptions.removeIf(s -> s.filter().equals(subscription.filter()));
        subscriptions.add(subscription);
    }

    void remove(String filter) {
        subscriptions.removeIf(s -> s.filter().equals(filter));
    }

    /** The subscription that covers errors of messages for this device, preferring a device-specific one. */
    Optional<Subscription> forDevice(String targetDeviceId, String ownDeviceId) {
        for (Subscription s : subscriptions) {
            boolean own = s.device().isEmpty() && targetDeviceId.equals(ownDeviceId);
            if (own || s.device().equals(targetDeviceId)) {
                return Optional.of(s);
            }
        }
        return subscriptions.stream().filter(s -> "+".equals(s.device())).findFirst();
    }

    static String topic(Subscription subscription, String tenantId, String targetDeviceId, String endpointType,
            String correlationId, int status) {
        String device = subscription.device().isEmpty() ? "" : targetDeviceId;
        return String.join("/", subscription.longForm() ? "error" : "e",
                subscription.withTenant() ? tenantId : "", device, endpointType, correlationId,
                Integer.toString(status));
    }

    static Buffer payload(int status, String message, String correlationId) {
        return new JsonObject().put("code", status).put("message", message)
                .put("timestamp", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("correlation-id", correlationId).toBuffer();
    }
}
