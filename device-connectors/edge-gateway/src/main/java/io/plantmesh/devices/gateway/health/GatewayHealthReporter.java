package io.plantmesh.devices.gateway.health;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.gateway.buffer.BufferCounters;
import io.plantmesh.devices.gateway.edge.OutboundMessage;
import io.plantmesh.devices.gateway.mapping.MessageKind;

/**
 * The gateway's reports about itself, sent as telemetry for its own device id (content type
 * {@value #CONTENT_TYPE}): {@code features/buffer} (messages and bytes held, the bound, telemetry dropped at the bound
 * since start) and {@code features/opcua/properties/machines} (per machine: {@code CONNECTED} or {@code RECONNECTING},
 * the line server's endpoint, the last error). It decides when to report: every {@code interval}, and at once when a
 * session changes, the overflow count grows, the buffer has become empty, or the MQTT connection came (back).
 * Payloads stay under Hono's 2,048 bytes: machines that do not fit go into further payloads.
 * <p>
 * Pure and single-threaded: the caller feeds it snapshots on one thread.
 */
public final class GatewayHealthReporter {

    /** Content type of the reports; the twin ingestion maps it onto the gateway twin's features. */
    public static final String CONTENT_TYPE = "application/vnd.plantmesh.gateway+json";

    /** Hono's default payload limit, with room for nothing else. */
    static final int MAX_PAYLOAD_BYTES = 2_048;
    /** Longer last errors are cut, so one machine always fits into a payload. */
    static final int MAX_ERROR_CHARS = 200;

    /** One machine's OPC-UA session as the gateway sees it now. */
    public record Session(String machineId, boolean connected, String endpoint, String lastError) {
        public Session {
            Objects.requireNonNull(machineId, "machineId");
        }
    }

    private final String gatewayId;
    private final long intervalMillis;
    private long lastReportAt = Long.MIN_VALUE;
    private List<Session> lastSessions;
    private long lastOverflowed = -1;
    private long lastMessages = -1;
    private long reports;

    /**
     * @param gatewayId the gateway's device id (= its twin's thing id)
     * @param intervalMillis report at least this often (positive)
     */
    public GatewayHealthReporter(final String gatewayId, final long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("health report interval must be positive, got " + intervalMillis
                    + " ms");
        }
        this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
        this.intervalMillis = intervalMillis;
    }

    /**
     * The reports to send now, empty if nothing is due.
     *
     * @param force report whatever changed (e.g. the MQTT connection came back)
     */
    public List<OutboundMessage> poll(final long nowMillis, final BufferCounters buffer, final List<Session> sessions,
            final boolean force) {
        final boolean due = force || lastReportAt == Long.MIN_VALUE || nowMillis - lastReportAt >= intervalMillis
                || !sessions.equals(lastSessions) || buffer.droppedTelemetry() != lastOverflowed
                || (lastMessages > 0 && buffer.buffered() == 0);
        if (!due) {
            return List.of();
        }
        lastReportAt = nowMillis;
        lastSessions = List.copyOf(sessions);
        lastOverflowed = buffer.droppedTelemetry();
        lastMessages = buffer.buffered();
        reports++;
        return payloads(nowMillis, buffer, sessions);
    }

    /** Reports produced since start. */
    public long reports() {
        return reports;
    }

    /** The payloads of one report: the buffer and as many machines as fit in the first, the rest in more. */
    List<OutboundMessage> payloads(final long nowMillis, final BufferCounters buffer, final List<Session> sessions) {
        final String at = Instant.ofEpochMilli(nowMillis).toString();
        final List<OutboundMessage> out = new ArrayList<>();
        JsonObject features = new JsonObject().put("buffer", new JsonObject()
                .put("messages", buffer.buffered())
                .put("bytes", buffer.bufferedBytes())
                .put("boundBytes", buffer.boundBytes())
                .put("overflowed", buffer.droppedTelemetry())
                .put("reportedAt", at));
        JsonObject machines = new JsonObject();
        for (final Session session : sessions) {
            final JsonObject entry = new JsonObject()
                    .put("session", session.connected() ? "CONNECTED" : "RECONNECTING")
                    .put("endpoint", session.endpoint())
                    .put("lastError", cut(session.lastError()));
            machines.put(session.machineId(), entry);
            if (size(nowMillis, features, machines, at) > MAX_PAYLOAD_BYTES && machines.size() > 1) {
                machines.remove(session.machineId());
                out.add(message(nowMillis, features, machines, at));
                features = new JsonObject();
                machines = new JsonObject().put(session.machineId(), entry);
            }
        }
        out.add(message(nowMillis, features, machines, at));
        return out;
    }

    private OutboundMessage message(final long nowMillis, final JsonObject features, final JsonObject machines,
            final String at) {
        return new OutboundMessage(gatewayId, MessageKind.TELEMETRY, CONTENT_TYPE,
                body(nowMillis, features, machines, at).getBytes(StandardCharsets.UTF_8));
    }

    private static int size(final long nowMillis, final JsonObject features, final JsonObject machines,
            final String at) {
        return body(nowMillis, features, machines, at).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String body(final long nowMillis, final JsonObject features, final JsonObject machines,
            final String at) {
        final JsonObject all = features.copy();
        if (!machines.isEmpty()) {
            all.put("opcua", new JsonObject().put("machines", machines).put("reportedAt", at));
        }
        return new JsonObject().put("ts", nowMillis).put("features", all).encode();
    }

    private static String cut(final String error) {
        if (error == null || error.length() <= MAX_ERROR_CHARS) {
            return error;
        }
        return error.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }
}
