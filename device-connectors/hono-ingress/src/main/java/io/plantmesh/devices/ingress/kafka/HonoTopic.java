package io.plantmesh.devices.ingress.kafka;

import java.util.List;
import java.util.Optional;

/** Hono's Kafka topic names: {@code hono.<endpoint>.<tenant>}. */
public final class HonoTopic {

    public static final String PREFIX = "hono.";
    public static final String TELEMETRY = "telemetry";
    public static final String EVENT = "event";
    public static final String COMMAND = "command";
    public static final String COMMAND_RESPONSE = "command_response";

    private HonoTopic() {
    }

    public static String telemetry(String tenantId) {
        return PREFIX + TELEMETRY + "." + tenantId;
    }

    public static String event(String tenantId) {
        return PREFIX + EVENT + "." + tenantId;
    }

    public static String command(String tenantId) {
        return PREFIX + COMMAND + "." + tenantId;
    }

    public static String commandResponse(String tenantId) {
        return PREFIX + COMMAND_RESPONSE + "." + tenantId;
    }

    /** The four northbound topics of a tenant. */
    public static List<String> allOf(String tenantId) {
        return List.of(telemetry(tenantId), event(tenantId), command(tenantId), commandResponse(tenantId));
    }

    /** The tenant of a {@code hono.command.<tenant>} topic. */
    public static Optional<String> tenantOfCommandTopic(String topic) {
        String prefix = PREFIX + COMMAND + ".";
        boolean isCommandTopic = topic != null && topic.startsWith(prefix) && topic.length() > prefix.length();
        return isCommandTopic ? Optional.of(topic.substring(prefix.length())) : Optional.empty();
    }
}
