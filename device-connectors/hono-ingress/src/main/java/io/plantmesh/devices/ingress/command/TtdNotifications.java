package io.plantmesh.devices.ingress.command;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.kafka.HonoTopic;
import io.plantmesh.devices.ingress.kafka.NorthboundSender;
import io.vertx.core.Future;

/**
 * Hono's empty notifications on {@code hono.event.<tenant>}: {@code ttd = -1} when a device subscribed for commands
 * ("connected until further notice"), {@code ttd = 0} when it unsubscribed or disconnected.
 */
public final class TtdNotifications {

    public static final int CONNECTED_UNTIL_FURTHER_NOTICE = -1;
    public static final int DISCONNECTED = 0;

    private static final Logger LOG = LoggerFactory.getLogger(TtdNotifications.class);

    private final NorthboundSender sender;

    public TtdNotifications(NorthboundSender sender) {
        this.sender = sender;
    }

    public Future<Void> send(String tenantId, String deviceId, int ttd) {
        Map<String, Object> headers = HonoHeaders.headers();
        headers.put(HonoHeaders.DEVICE_ID, deviceId);
        headers.put(HonoHeaders.CONTENT_TYPE, HonoHeaders.CONTENT_TYPE_EMPTY_NOTIFICATION);
        headers.put(HonoHeaders.QOS, 1);
        headers.put(HonoHeaders.TTD, ttd);
        headers.put(HonoHeaders.ORIG_ADAPTER, HonoHeaders.ADAPTER_TYPE_MQTT);
        return sender.send(HonoTopic.event(tenantId), deviceId, null, headers)
                .onFailure(e -> LOG.warn("Could not send the ttd={} notification for device {} of tenant {}: {}",
                        ttd, deviceId, tenantId, e.toString()));
    }
}
