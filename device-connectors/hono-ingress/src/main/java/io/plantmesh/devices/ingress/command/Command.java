package io.plantmesh.devices.ingress.command;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.kafka.HonoTopic;
import io.vertx.core.buffer.Buffer;

/**
 * A command an application wrote to {@code hono.command.<tenant>} (Hono's Command &amp; Control API for Kafka).
 *
 * @param tenantId from the topic name
 * @param deviceId the target device (record key, or the {@code device_id} header)
 * @param name the command name ({@code subject} header)
 * @param correlationId the {@code correlation-id} header; null for one-way commands
 * @param responseRequired the {@code response-required} header
 * @param contentType the {@code content-type} header, or null
 * @param payload the record value (empty if none)
 * @param failureMetadata the {@code delivery-failure-notification-metadata*} headers, copied into error responses
 */
public record Command(String tenantId, String deviceId, String name, String correlationId, boolean responseRequired,
        String contentType, Buffer payload, Map<String, String> failureMetadata) {

    public Command {
        failureMetadata = Map.copyOf(failureMetadata);
    }

    /** A command for which the device is not expected to answer. */
    public boolean isOneWay() {
        return !responseRequired;
    }

    /**
     * Reads a command record.
     *
     * @throws IllegalArgumentException if the record is not a valid Hono command (the message says what is missing)
     */
    public static Command fromRecord(ConsumerRecord<String, byte[]> record) {
        String tenantId = HonoTopic.tenantOfCommandTopic(record.topic())
                .orElseThrow(() -> new IllegalArgumentException("not a command topic: " + record.topic()));
        String deviceId = record.key() != null ? record.key() : header(record, HonoHeaders.DEVICE_ID);
        if (deviceId == null || deviceId.isEmpty()) {
            throw new IllegalArgumentException("command has neither a key nor a device_id header");
        }
        String name = header(record, HonoHeaders.SUBJECT);
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("command for " + deviceId + " has no subject header");
        }
        boolean responseRequired = "true".equals(header(record, HonoHeaders.RESPONSE_REQUIRED));
        String correlationId = header(record, HonoHeaders.CORRELATION_ID);
        if (responseRequired && (correlationId == null || correlationId.isEmpty())) {
            throw new IllegalArgumentException("command " + name + " for " + deviceId
                    + " requires a response but has no correlation-id header");
        }
        Map<String, String> failureMetadata = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            if (h.key().startsWith(HonoHeaders.DELIVERY_FAILURE_METADATA_PREFIX) && h.value() != null) {
                failureMetadata.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        Buffer payload = record.value() == null ? Buffer.buffer() : Buffer.buffer(record.value());
        return new Command(tenantId, deviceId, name, responseRequired ? correlationId : null, responseRequired,
                header(record, HonoHeaders.CONTENT_TYPE), payload, failureMetadata);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
