package io.plantmesh.devices.ingestion.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.live.messages.MessageSender;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.MessageDirection;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.client.SendMessageTimeoutException;
import org.eclipse.hono.client.ServiceInvocationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.mapping.ContentTypes;
import io.plantmesh.devices.ingestion.kafka.AtLeastOnceApplicationClient;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * Ditto live messages to a machine's inbox ({@code POST /api/2/things/<id>/inbox/messages/<subject>}) become Hono
 * request/response commands ({@code hono.command.<tenant>}, device id = thing id, subject = message subject, payload
 * and content type unchanged); the device's response answers the message with the device's status and payload.
 * No response within the command timeout: 408; Hono's delivery failure (device not connected): 503 with its reason.
 * The tenant is the thing's namespace (when it is a configured tenant), or the only configured tenant.
 */
public final class CommandForwarder {

    static final String REGISTRATION_ID = "plantmesh-ingestion-commands";
    private static final Logger LOG = LoggerFactory.getLogger(CommandForwarder.class);
    private static final Duration TIMEOUT_MARGIN = Duration.ofMillis(500);

    private final DittoClient ditto;
    private final AtLeastOnceApplicationClient hono;
    private final Context context;
    private final List<String> tenants;
    private final Duration commandTimeout;
    private final IngestionCounters counters;

    public CommandForwarder(DittoClient ditto, AtLeastOnceApplicationClient hono, Context context, List<String> tenants,
            Duration commandTimeout, IngestionCounters counters) {
        this.ditto = ditto;
        this.hono = hono;
        this.context = context;
        this.tenants = List.copyOf(tenants);
        this.commandTimeout = commandTimeout;
        this.counters = counters;
    }

    /** Subscribes to live messages of the tenants' namespaces; completes when Ditto acknowledged the subscription. */
    public CompletionStage<Void> start() {
        ditto.live().registerForMessage(REGISTRATION_ID, "*", this::onMessage);
        return ditto.live().startConsumption(
                Options.Consumption.namespaces(tenants.toArray(new CharSequence[0])));
    }

    private void onMessage(RepliableMessage<?, Object> message) {
        if (message.getDirection() != MessageDirection.TO) {
            return; // outbox messages come from the thing, not for it
        }
        ThingId thingId = message.getEntityId();
        String subject = message.getSubject();
        Optional<String> tenant = tenantOf(thingId);
        if (tenant.isEmpty()) {
            reply(message, 404, error(404, "plantmesh:tenant.unknown", "No Hono tenant is configured for the namespace of "
                    + thingId + " (configured: " + tenants + ")."));
            return;
        }
        Buffer payload = payloadOf(message);
        String contentType = message.getContentType().orElse(null);
        Duration timeout = timeoutFor(message);
        context.runOnContext(v -> hono.sendCommand(tenant.get(), thingId.toString(), subject, payload, contentType,
                        (String) null, timeout, null)
                .onSuccess(response -> answer(message, response))
                .onFailure(e -> answerFailure(message, thingId, subject, timeout, e)));
    }

    private Optional<String> tenantOf(ThingId thingId) {
        if (tenants.contains(thingId.getNamespace())) {
            return Optional.of(thingId.getNamespace());
        }
        return tenants.size() == 1 ? Optional.of(tenants.get(0)) : Optional.empty();
    }

    private Duration timeoutFor(RepliableMessage<?, Object> message) {
        // answer before Ditto gives up on the message itself, so the caller sees our reason, not a bare timeout
        return message.getHeaders().getTimeout()
                .map(t -> t.minus(TIMEOUT_MARGIN))
                .filter(t -> t.compareTo(Duration.ofMillis(100)) > 0 && t.compareTo(commandTimeout) < 0)
                .orElse(commandTimeout);
    }

    private static Buffer payloadOf(RepliableMessage<?, Object> message) {
        Optional<ByteBuffer> raw = message.getRawPayload();
        if (raw.isPresent()) {
            ByteBuffer bytes = raw.get().duplicate();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            return Buffer.buffer(copy);
        }
        return message.getPayload().map(p -> Buffer.buffer(p.toString())).orElse(null);
    }

    private void answer(RepliableMessage<?, Object> message, DownstreamMessage<KafkaMessageContext> response) {
        int status = response.getStatus() == null ? 200 : response.getStatus();
        Buffer body = response.getPayload();
        String mediaType = ContentTypes.mediaType(response.getContentType());
        if (body == null || body.length() == 0) {
            counters.command(status);
            sender(message, status).send();
            return;
        }
        reply(message, status, body.getBytes(), mediaType);
    }

    private void answerFailure(RepliableMessage<?, Object> message, ThingId thingId, String subject, Duration timeout,
            Throwable e) {
        if (e instanceof SendMessageTimeoutException) {
            reply(message, 408, error(408, "plantmesh:command.timeout", "Device " + thingId + " did not answer command '"
                    + subject + "' within " + timeout.toMillis() + " ms. It may be offline or busy; retry later or "
                    + "send the message with a longer timeout."));
        } else if (e instanceof ServiceInvocationException sie) {
            int status = sie.getErrorCode();
            String detail = sie.getMessage();
            if (status == 503) {
                reply(message, 503, error(503, "plantmesh:device.unreachable", "Command '" + subject + "' could not be "
                        + "delivered to " + thingId + ": " + detail));
            } else {
                // the device answered with an error status: pass its status and body on
                reply(message, status, detail == null ? new byte[0] : detail.getBytes(StandardCharsets.UTF_8),
                        detail != null && detail.strip().startsWith("{") ? "application/json" : "text/plain");
            }
        } else {
            LOG.warn("Could not send command '{}' to {}: {}", subject, thingId, e.toString());
            reply(message, 503, error(503, "plantmesh:command.notsent", "Command '" + subject + "' for " + thingId
                    + " could not be sent to Hono (" + e.getMessage() + "). Check that Kafka is reachable."));
        }
    }

    private void reply(RepliableMessage<?, Object> message, int status, JsonObject body) {
        reply(message, status, body.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private void reply(RepliableMessage<?, Object> message, int status, byte[] body, String mediaType) {
        counters.command(status);
        MessageSender.SetPayloadOrSend<Object> sender = sender(message, status);
        // the Ditto client serialises JSON, text and bytes; other content types travel as bytes
        if (mediaType.contains("json")) {
            try {
                JsonValue json = JsonFactory.readFrom(new String(body, StandardCharsets.UTF_8));
                sender.payload(json).contentType("application/json").send();
                return;
            } catch (RuntimeException notJson) {
                // fall through to bytes
            }
        }
        if (mediaType.startsWith("text/")) {
            sender.payload(new String(body, StandardCharsets.UTF_8)).contentType("text/plain").send();
        } else {
            sender.payload(ByteBuffer.wrap(body)).contentType("application/octet-stream").send();
        }
    }

    private static MessageSender.SetPayloadOrSend<Object> sender(RepliableMessage<?, Object> message, int status) {
        HttpStatus httpStatus = HttpStatus.tryGetInstance(status).orElse(HttpStatus.BAD_GATEWAY);
        return message.reply().httpStatus(httpStatus);
    }

    private static JsonObject error(int status, String code, String description) {
        return JsonFactory.newObjectBuilder()
                .set("status", status)
                .set("error", code)
                .set("message", description)
                .build();
    }
}
