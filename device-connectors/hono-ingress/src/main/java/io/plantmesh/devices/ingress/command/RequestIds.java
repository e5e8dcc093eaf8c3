package io.plantmesh.devices.ingress.command;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code req-id} of Hono's MQTT command topics, opaque to devices: here the URL-safe Base64 of the command's
 * correlation id, so any correlation id (even one with '/' or '+') fits in a topic level and a response maps back
 * without state that a restart would lose.
 */
public final class RequestIds {

    private RequestIds() {
    }

    public static String fromCorrelationId(String correlationId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(correlationId.getBytes(StandardCharsets.UTF_8));
    }

    /** The correlation id of a request id a device echoed; empty if it is not one this adapter issued. */
    public static Optional<String> toCorrelationId(String requestId) {
        if (requestId == null || requestId.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(requestId), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
