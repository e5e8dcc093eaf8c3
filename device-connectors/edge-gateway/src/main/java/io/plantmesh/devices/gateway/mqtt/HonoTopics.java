package io.plantmesh.devices.gateway.mqtt;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Topics of Hono's MQTT adapter as an authenticated gateway uses them: {@code telemetry//<device>/?content-type=...},
 * {@code event//<device>/?content-type=...}, the command subscription {@code command//+/req/#} and responses
 * {@code command//<device>/res/<req-id>/<status>} (Hono MQTT adapter user guide).
 */
public final class HonoTopics {

    /** All commands for every device the gateway may act for. */
    public static final String COMMAND_SUBSCRIPTION = "command//+/req/#";

    private HonoTopics() {
    }

    public static String telemetry(final String deviceId, final String contentType) {
        return "telemetry//" + deviceId + propertyBag(contentType);
    }

    public static String event(final String deviceId, final String contentType) {
        return "event//" + deviceId + propertyBag(contentType);
    }

    public static String commandResponse(final String deviceId, final String requestId, final int status) {
        return "command//" + deviceId + "/res/" + requestId + "/" + status;
    }

    /**
     * Parses a delivered command topic: {@code command//<device>/req/<req-id>/<command>} (or the short form
     * {@code c//<device>/q/...}, with or without tenant); empty if the topic is not a command for a device.
     */
    public static Optional<CommandRequest> parseCommand(final String topic, final byte[] payload) {
        final String[] parts = topic.split("/", -1);
        final boolean shape = parts.length == 6 && ("command".equals(parts[0]) || "c".equals(parts[0]))
                && ("req".equals(parts[3]) || "q".equals(parts[3]));
        if (!shape || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CommandRequest(parts[2], parts[4], parts[5], payload));
    }

    private static String propertyBag(final String contentType) {
        return "/?content-type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8);
    }
}
