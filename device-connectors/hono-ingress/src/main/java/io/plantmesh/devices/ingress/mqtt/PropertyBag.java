package io.plantmesh.devices.ingress.mqtt;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The property bag a device may append to a topic: {@code <topic>/?key=value&key2=value2} (URL-encoded), taken from
 * the last {@code /?} of the topic; keys are case-insensitive. The adapter honours {@code content-type},
 * {@code hono-ttl} (events), {@code on-error} and {@code correlation-id}; other keys are not forwarded.
 *
 * @param topic the topic without the property bag
 * @param properties the decoded properties (first value of each key)
 */
public record PropertyBag(String topic, Map<String, String> properties) {

    public static final String CONTENT_TYPE = "content-type";
    public static final String TTL = "hono-ttl";
    public static final String ON_ERROR = "on-error";
    public static final String CORRELATION_ID = "correlation-id";

    public PropertyBag {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(properties);
        properties = Collections.unmodifiableMap(copy);
    }

    public static PropertyBag fromTopic(String topic) {
        int start = topic.lastIndexOf("/?");
        if (start < 0) {
            return new PropertyBag(topic, Map.of());
        }
        Map<String, String> props = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, List<String>> decoded = new QueryStringDecoder(topic.substring(start + 1)).parameters();
        decoded.forEach((key, values) -> {
            if (!values.isEmpty()) {
                props.putIfAbsent(key, values.get(0));
            }
        });
        return new PropertyBag(topic.substring(0, start), props);
    }

    /** The property's value, or null. */
    public String get(String key) {
        return properties.get(key);
    }
}
