package io.plantmesh.devices.ingress.command;

import java.util.Map;

import io.plantmesh.devices.ingress.kafka.DownstreamProperties;
import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.kafka.HonoTopic;
import io.plantmesh.devices.ingress.kafka.NorthboundSender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Writes command responses to {@code hono.command_response.<tenant>}: the device's own answers and the delivery
 * failures the adapter reports in Hono's format (content type
 * {@code application/vnd.eclipse-hono-delivery-failure-notification+json}, body {@code {"error": "..."}}).
 */
public final class CommandResponses {

    private final NorthboundSender sender;

    public CommandResponses(NorthboundSender sender) {
        this.sender = sender;
    }

    /**
     * A device's response, with headers {@code correlation-id}, {@code device_id}, {@code status},
     * {@code tenant_id}, {@code creation-time} and {@code content-type} (given, or octet-stream for a payload).
     */
    public Future<Void> sendDeviceResponse(String tenantId, String deviceId, String correlationId, int status,
            String contentType, Buffer payload, JsonObject tenantDefaults, JsonObject deviceDefaults) {
        Map<String, Object> headers = DownstreamProperties.merge(DownstreamProperties.Endpoint.COMMAND_RESPONSE,
                tenantDefaults, deviceDefaults, Map.of());
        headers.put(HonoHeaders.CORRELATION_ID, correlationId);
        headers.put(HonoHeaders.TENANT_ID, tenantId);
        headers.put(HonoHeaders.DEVICE_ID, deviceId);
        headers.put(HonoHeaders.STATUS, status);
        if (contentType != null && !contentType.isEmpty()) {
            headers.put(HonoHeaders.CONTENT_TYPE, contentType);
        } else if (payload != null) {
            headers.put(HonoHeaders.CONTENT_TYPE, HonoHeaders.CONTENT_TYPE_OCTET_STREAM);
        }
        return sender.send(HonoTopic.commandResponse(tenantId), deviceId, payload, headers);
    }

    /** The error response for a request/response command that could not be delivered. */
    public Future<Void> sendDeliveryFailure(Command command, int status, String error) {
        Map<String, Object> headers = HonoHeaders.headers();
        headers.putAll(command.failureMetadata());
        headers.put(HonoHeaders.CORRELATION_ID, command.correlationId());
        headers.put(HonoHeaders.TENANT_ID, command.tenantId());
        headers.put(HonoHeaders.DEVICE_ID, command.deviceId());
        headers.put(HonoHeaders.STATUS, status);
        headers.put(HonoHeaders.CONTENT_TYPE, HonoHeaders.CONTENT_TYPE_DELIVERY_FAILURE);
        Buffer body = new JsonObject().put("error", error).toBuffer();
        return sender.send(HonoTopic.commandResponse(command.tenantId()), command.deviceId(), body, headers);
    }
}
