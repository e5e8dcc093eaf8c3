package io.plantmesh.twin.server.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.TimeoutInvalidException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.messages.model.MessageDirection;
import org.eclipse.ditto.messages.model.MessageHeaders;
import org.eclipse.ditto.messages.model.MessageHeadersBuilder;
import org.eclipse.ditto.messages.model.MessagePayloadSizeTooLargeException;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommandResponse;
import org.eclipse.ditto.messages.model.signals.commands.SendFeatureMessage;
import org.eclipse.ditto.messages.model.signals.commands.SendThingMessage;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.http.HttpSupport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Ditto's live messages over HTTP: {@code POST /api/2/things/{id}[/features/{fid}]/(inbox|outbox)/messages/{subject}}.
 * The body and its content type go as a Ditto protocol message to every WebSocket session that subscribed to
 * messages and may read it. {@code timeout=0} answers 202 at once; otherwise the first response's status, payload and
 * content type, or 408 ({@code messages:message.timeout}) after the timeout (default 10 s, at most 60 s).
 */
public final class MessagesApi {

    private static final String THING_MESSAGES = "/api/2/things/([^/]+)/(inbox|outbox)/messages/(.+)";
    private static final String FEATURE_MESSAGES =
            "/api/2/things/([^/]+)/features/([^/]+)/(inbox|outbox)/messages/(.+)";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final TwinServerContext context;
    private final long maxBytes;

    private MessagesApi(TwinServerContext context) {
        this.context = context;
        this.maxBytes = context.config().maxMessageBytes();
    }

    public static void mount(Router router, TwinServerContext context) {
        MessagesApi api = new MessagesApi(context);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(api.maxBytes);
        router.postWithRegex(THING_MESSAGES).handler(body)
                .handler(rc -> api.send(rc, rc.pathParam("param0"), null, rc.pathParam("param1"),
                        rc.pathParam("param2")))
                .failureHandler(api::failure);
        router.postWithRegex(FEATURE_MESSAGES).handler(body)
                .handler(rc -> api.send(rc, rc.pathParam("param0"), rc.pathParam("param1"), rc.pathParam("param2"),
                        rc.pathParam("param3")))
                .failureHandler(api::failure);
    }

    /** Vert.x's body handler refuses an oversized body with a bare 413; Ditto answers with its error JSON. */
    private void failure(RoutingContext rc) {
        if (rc.statusCode() == 413) {
            HttpSupport.fail(rc, tooLarge(maxBytes + 1, DittoHeaders.empty()));
        } else if (rc.failure() != null) {
            HttpSupport.fail(rc, rc.failure());
        } else {
            rc.next();
        }
    }

    private void send(RoutingContext rc, String rawThingId, String featureId, String box, String subject) {
        DittoHeaders headers;
        MessageCommand<?, ?> command;
        Duration timeout;
        try {
            headers = HttpSupport.dittoHeaders(rc);
            timeout = headers.getTimeout().orElse(DEFAULT_TIMEOUT);
            if (timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw TimeoutInvalidException.newBuilder(timeout, MAX_TIMEOUT).dittoHeaders(headers).build();
            }
            byte[] payload = rc.body().available() && rc.body().buffer() != null ? rc.body().buffer().getBytes()
                    : new byte[0];
            if (payload.length > maxBytes) {
                throw tooLarge(payload.length, headers);
            }
            command = command(ThingId.of(rawThingId), featureId, box, subject, payload, timeout, headers, rc);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        boolean awaitResponse = !timeout.isZero() && headers.isResponseRequired();
        var vertxContext = context.vertx().getOrCreateContext();
        context.live().sendMessage(command, HttpSupport.auth(rc), timeout, awaitResponse)
                .whenComplete((response, error) -> vertxContext.runOnContext(v -> {
                    if (error != null) {
                        HttpSupport.fail(rc, error);
                    } else if (response.isEmpty()) {
                        rc.response().setStatusCode(HttpStatus.ACCEPTED.getCode())
                                .putHeader("correlation-id", headers.getCorrelationId().orElse(""))
                                .end();
                    } else {
                        respond(rc.response(), response.get(), headers);
                    }
                }));
    }

    private static MessageCommand<?, ?> command(ThingId thingId, String featureId, String box, String subject,
            byte[] payload, Duration timeout, DittoHeaders headers, RoutingContext rc) {
        MessageDirection direction = box.equals("inbox") ? MessageDirection.TO : MessageDirection.FROM;
        MessageHeadersBuilder mh = MessageHeaders.newBuilder(direction, thingId, subject).timeout(timeout);
        headers.getCorrelationId().ifPresent(mh::correlationId);
        Optional.ofNullable(rc.request().getHeader("Content-Type")).ifPresent(mh::contentType);
        if (featureId != null) {
            mh.featureId(featureId);
        }
        var builder = Message.newBuilder(mh.build());
        if (payload.length > 0) {
            builder.rawPayload(ByteBuffer.wrap(payload));
        }
        Message<Object> message = builder.build();
        DittoHeaders commandHeaders = DittoHeaders.newBuilder()
                .correlationId(headers.getCorrelationId().orElseThrow())
                .timeout(timeout)
                .build();
        return featureId == null ? SendThingMessage.of(thingId, message, commandHeaders)
                : SendFeatureMessage.of(thingId, featureId, message, commandHeaders);
    }

    private static void respond(HttpServerResponse response, MessageCommandResponse<?, ?> answer,
            DittoHeaders request) {
        Message<?> message = answer.getMessage();
        response.setStatusCode(answer.getHttpStatus().getCode());
        request.getCorrelationId().ifPresent(id -> response.putHeader("correlation-id", id));
        Optional<byte[]> body = body(message);
        if (body.isEmpty() || answer.getHttpStatus().getCode() == 204) {
            response.end();
            return;
        }
        message.getContentType().ifPresent(ct -> response.putHeader("Content-Type", ct));
        response.end(Buffer.buffer(body.get()));
    }

    /** The response payload as bytes: the raw payload if the receiver's message had one, else the parsed payload. */
    private static Optional<byte[]> body(Message<?> message) {
        if (message.getRawPayload().isPresent()) {
            ByteBuffer raw = message.getRawPayload().get().duplicate();
            byte[] bytes = new byte[raw.remaining()];
            raw.get(bytes);
            return Optional.of(bytes);
        }
        return message.getPayload().map(p -> {
            if (p instanceof ByteBuffer bb) {
                ByteBuffer copy = bb.duplicate();
                byte[] bytes = new byte[copy.remaining()];
                copy.get(bytes);
                return bytes;
            }
            String text = p instanceof JsonValue json && json.isString() ? json.asString() : p.toString();
            return text.getBytes(StandardCharsets.UTF_8);
        });
    }

    private MessagePayloadSizeTooLargeException tooLarge(long size, DittoHeaders headers) {
        return MessagePayloadSizeTooLargeException.newBuilder(size, maxBytes).dittoHeaders(headers).build();
    }
}
