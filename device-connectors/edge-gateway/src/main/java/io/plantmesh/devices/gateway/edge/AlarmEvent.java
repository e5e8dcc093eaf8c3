package io.plantmesh.devices.gateway.edge;

import java.util.Locale;

import io.vertx.core.json.JsonObject;

/**
 * An alarm raised or cleared at the edge, published as {@code application/vnd.plantmesh.alarm+json}:
 * {@code {"ts":..., "alarm":{"code","severity","path","value","threshold","message","active"}}}. {@code active} is
 * false for the event that clears an alarm (then {@code severity} is the level that was cleared).
 */
public record AlarmEvent(long ts, String code, Severity severity, boolean active, String path, double value,
        double threshold, String message) {

    public static final String CONTENT_TYPE = "application/vnd.plantmesh.alarm+json";

    public enum Severity {
        WARNING,
        CRITICAL;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("ts", ts)
                .put("alarm", new JsonObject()
                        .put("code", code)
                        .put("severity", severity.json())
                        .put("path", path)
                        .put("value", value)
                        .put("threshold", threshold)
                        .put("message", message)
                        .put("active", active));
    }
}
