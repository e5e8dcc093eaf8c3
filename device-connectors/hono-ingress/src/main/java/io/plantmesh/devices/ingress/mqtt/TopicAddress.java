package io.plantmesh.devices.ingress.mqtt;

import java.util.List;
import java.util.Optional;

/**
 * A topic name or filter split into Hono's levels: {@code <endpoint>/<tenant>/<resource>/<rest...>}, where tenant
 * and resource (device id) may be empty ({@code t//device}, {@code command///req/#}).
 *
 * @param segments all levels, empty ones included
 */
public record TopicAddress(List<String> segments) {

    public TopicAddress {
        segments = List.copyOf(segments);
    }

    /** Empty if the topic is empty or starts with '/' (Hono refuses both). */
    public static Optional<TopicAddress> parse(String topic) {
        boolean valid = topic != null && !topic.isEmpty() && !topic.startsWith("/");
        return valid ? Optional.of(new TopicAddress(List.of(topic.split("/", -1)))) : Optional.empty();
    }

    public String endpoint() {
        return segment(0);
    }

    /** The tenant level, "" if absent or empty. */
    public String tenant() {
        return segment(1);
    }

    /** The resource (device id) level, "" if absent or empty. */
    public String resource() {
        return segment(2);
    }

    /** The level at the index, "" if the topic is shorter. */
    public String segment(int index) {
        return index < segments.size() ? segments.get(index) : "";
    }

    public int length() {
        return segments.size();
    }
}
