package io.plantmesh.devices.ingress.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.Json;

/**
 * Names of the Kafka headers of Hono's northbound records, and their encoding: a string is written as its UTF-8
 * bytes, any other value JSON-encoded (so qos 1 becomes {@code "1"}, a boolean {@code "true"}), as Hono's clients
 * read them.
 */
public final class HonoHeaders {

    public static final String DEVICE_ID = "device_id";
    public static final String TENANT_ID = "tenant_id";
    public static final String CONTENT_TYPE = "content-type";
    public static final String CREATION_TIME = "creation-time";
    public static final String QOS = "qos";
    public static final String TTL = "ttl";
    public static final String TTD = "ttd";
    public static final String ORIG_ADAPTER = "orig_adapter";
    public static final String ORIG_ADDRESS = "orig_address";
    public static final String RETAIN = "x-opt-retain";
    public static final String SUBJECT = "subject";
    public static final String CORRELATION_ID = "correlation-id";
    public static final String RESPONSE_REQUIRED = "response-required";
    public static final String STATUS = "status";
    public static final String DELIVERY_FAILURE_METADATA_PREFIX = "delivery-failure-notification-metadata";

    public static final String ADAPTER_TYPE_MQTT = "hono-mqtt";
    public static final String CONTENT_TYPE_OCTET_STREAM = "application/octet-stream";
    public static final String CONTENT_TYPE_EMPTY_NOTIFICATION = "application/vnd.eclipse-hono-empty-notification";
    public static final String CONTENT_TYPE_DELIVERY_FAILURE =
            "application/vnd.eclipse-hono-delivery-failure-notification+json";

    private HonoHeaders() {
    }

    public static byte[] encode(Object value) {
        String text = value instanceof String s ? s : Json.encode(value);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A mutable, insertion-ordered header map. */
    public static Map<String, Object> headers() {
        return new LinkedHashMap<>();
    }
}
