package io.plantmesh.devices.ingress.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * The headers of a telemetry, event or command response record, merged as Hono's adapters merge them: tenant defaults, overridden by
 * device defaults, overridden by the message's own properties; then the time-to-live (seconds, from {@code hono-ttl}
 * or a {@code ttl} default) becomes the {@code ttl} header in milliseconds, and {@code content-type} falls back to
 * {@code application/octet-stream}.
 */
public final class DownstreamProperties {

    private static final String TTL_TELEMETRY_QOS0 = "ttl-telemetry-qos0";
    private static final String TTL_TELEMETRY_QOS1 = "ttl-telemetry-qos1";
    private static final String TTL_COMMAND_RESPONSE = "ttl-command-response";

    /** The northbound endpoints whose records carry merged defaults. */
    public enum Endpoint { TELEMETRY, EVENT, COMMAND_RESPONSE }

    private DownstreamProperties() {
    }

    /**
     * @param endpoint the endpoint the record goes to
     * @param tenantDefaults the tenant's {@code defaults}
     * @param deviceDefaults the device's {@code defaults}
     * @param message the message's properties (device_id, qos, content-type, orig_address, ttl in seconds, ...)
     */
    public static Map<String, Object> merge(Endpoint endpoint, JsonObject tenantDefaults, JsonObject deviceDefaults,
            Map<String, Object> message) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.putAll(tenantDefaults.getMap());
        props.putAll(deviceDefaults.getMap());
        props.putAll(message);

        long telemetryDefaultQos0 = seconds(props.remove(TTL_TELEMETRY_QOS0));
        long telemetryDefaultQos1 = seconds(props.remove(TTL_TELEMETRY_QOS1));
        long commandResponseDefault = seconds(props.remove(TTL_COMMAND_RESPONSE));
        long ttl = seconds(props.remove(HonoHeaders.TTL));
        if (endpoint == Endpoint.TELEMETRY && ttl <= 0) {
            boolean atMostOnce = Integer.valueOf(0).equals(props.get(HonoHeaders.QOS));
            ttl = atMostOnce ? telemetryDefaultQos0 : telemetryDefaultQos1;
        } else if (endpoint == Endpoint.COMMAND_RESPONSE && ttl <= 0) {
            ttl = commandResponseDefault;
        }
        if (ttl > 0) {
            props.put(HonoHeaders.TTL, ttl * 1000L);
        }
        if (endpoint != Endpoint.COMMAND_RESPONSE) {
            Object contentType = props.get(HonoHeaders.CONTENT_TYPE);
            if (!(contentType instanceof String s) || s.isEmpty()) {
                props.put(HonoHeaders.CONTENT_TYPE, HonoHeaders.CONTENT_TYPE_OCTET_STREAM);
            }
        }
        return props;
    }

    private static long seconds(Object value) {
        return value instanceof Number n && n.longValue() > 0 ? n.longValue() : -1;
    }
}
