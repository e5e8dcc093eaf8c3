package io.plantmesh.devices.simulator.mqtt;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The topics of Hono's MQTT device API as an authenticated device uses them (tenant and device come from the login):
 * {@code telemetry/?content-type=...}, {@code event/?content-type=...}, commands on {@code command///req/#} arriving as
 * {@code command///req/<req-id>/<command>} (empty req-id = one-way), responses on
 * {@code command///res/<req-id>/<status>}.
 */
public final class HonoTopics {

    /** Content type of PlantMesh machine payloads (partial feature updates). */
    public static final String MACHINE_CONTENT_TYPE = "application/vnd.plantmesh.machine+json";
    /** What a device subscribes to for commands addressed to itself. */
    public static final String COMMAND_SUBSCRIPTION = "command///req/#";
    /** Hono's default maximum MQTT payload. */
    public static final int MAX_PAYLOAD_BYTES = 2048;

    private HonoTopics() {
    }

    /** A command as delivered: its request id (empty for one-way commands) and name. */
    public record CommandRequest(String requestId, String command) {

        public boolean oneWay() {
            return requestId.isEmpty();
        }
    }

    /** {@code telemetry/?content-type=application%2Fvnd.plantmesh.machine%2Bjson}. */
    public static String telemetry(final String contentType) {
        return "telemetry/?content-type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8);
    }

    /** {@code event/?content-type=...}; events must be published with QoS 1. */
    public static String event(final String contentType) {
        return "event/?content-type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8);
    }

    /** {@code command///res/<req-id>/<status>}. */
    public static String response(final String requestId, final int status) {
        return "command///res/" + requestId + "/" + status;
    }

    /** Hono auth-ids may not contain ':': {@code plant1:machine-1-03} logs in as {@code plant1_machine-1-03}. */
    public static String authId(final String deviceId) {
        return deviceId.replace(':', '_');
    }

    /** {@code plant1_machine-1-03@plant1}. */
    public static String username(final String deviceId, final String tenant) {
        return authId(deviceId) + "@" + tenant;
    }

    /**
     * Parses {@code command/<tenant>/<device>/req/<req-id>/<command>} (tenant and device empty for a device's own
     * commands) and the short form {@code c/.../q/...}; empty for anything else.
     */
    public static Optional<CommandRequest> parseCommand(final String topic) {
        final String[] segments = topic.split("/", -1);
        final boolean wellFormed = segments.length == 6
                && (segments[0].equals("command") || segments[0].equals("c"))
                && (segments[3].equals("req") || segments[3].equals("q"))
                && !segments[5].isEmpty();
        if (!wellFormed) {
            return Optional.empty();
        }
        return Optional.of(new CommandRequest(segments[4], segments[5]));
    }
}
