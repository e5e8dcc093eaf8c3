package io.plantmesh.twin.server.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabelNotDeclaredException;
import org.eclipse.ditto.base.model.acks.AcknowledgementLabelNotUniqueException;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.UnsupportedSignalException;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayWebsocketSessionClosedException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayWebsocketSessionExpiredException;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgements;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommandResponse;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CancelSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CreateSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.RequestFromSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.security.oidc.VerifiedToken;
import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.auth.Authentication;
import io.plantmesh.twin.server.auth.JwtAuthenticator;
import io.plantmesh.twin.server.engine.JsonInvalidException;
import io.plantmesh.twin.server.events.ThingEvent;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.live.LiveSubscriber;
import io.plantmesh.twin.server.ws.ControlMessage.Stream;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

/**
 * One Ditto protocol WebSocket connection: reads control messages and Ditto protocol frames, runs twin commands,
 * search and live messages for its authenticated subject, and writes responses, events and live signals.
 *
 * <p>Threading: everything that touches the socket or the session's state runs on the socket's Vert.x context.
 * Events and live signals arrive on other threads (the store writer, other sessions) and pass through a bounded
 * {@link OutboundQueue}; a session whose client does not keep up is closed (1013) rather than slowing anybody down.
 */
final class WebSocketSession implements LiveSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
    static final int MAX_PENDING_SIGNALS = 4096;
    static final short CLOSE_TOO_SLOW = 1013;
    static final short CLOSE_POLICY_VIOLATION = 1008;
    private static final Duration DEFAULT_MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final ServerWebSocket ws;
    private final Context context;
    private final TwinServerContext server;
    // replaced (on the context) when a refreshed token brings other roles; read from any thread
    private volatile Authentication authentication;
    private volatile AuthorizationContext auth;
    private long expiryTimer = -1;
    private final Set<AcknowledgementLabel> declared;
    private final Map<Stream, StreamSubscription> streams = new ConcurrentHashMap<>();
    private final OutboundQueue<Object> outbound;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final EventRenderer renderer;
    private final TwinCommandHandler commands;
    private final SearchStreams search;
    // context only: requests of this session awaiting their reply, and events of them held back until it is sent
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, List<JsonObject>> heldBack = new HashMap<>();
    private final Map<String, CompletableFuture<?>> writesInFlight = new HashMap<>();
    private AutoCloseable eventSubscription;

    private WebSocketSession(ServerWebSocket ws, Context context, TwinServerContext server,
            Authentication authentication, Set<AcknowledgementLabel> declared, int maxPending) {
        this.ws = ws;
        this.context = context;
        this.server = server;
        this.authentication = authentication;
        this.auth = authentication.context();
        this.declared = Set.copyOf(declared);
        this.outbound = new OutboundQueue<>(maxPending);
        this.renderer = new EventRenderer(server.engine());
        this.commands = new TwinCommandHandler(server, () -> this.auth);
        this.search = new SearchStreams(server, context, () -> this.auth, this::write);
    }

    /**
     * Starts a session on an accepted WebSocket (call on its context). If another session already declared one of
     * the acknowledgement labels, the socket gets Ditto's error and is closed right away.
     */
    static void start(ServerWebSocket ws, Context context, TwinServerContext server, Authentication authentication,
            Set<AcknowledgementLabel> declared) {
        WebSocketSession session = new WebSocketSession(ws, context, server, authentication, declared,
                MAX_PENDING_SIGNALS);
        session.open();
    }

    private void open() {
        if (!server.live().register(this)) {
            DittoRuntimeException e = AcknowledgementLabelNotUniqueException.getInstance();
            write(ProtocolReplies.thingError(null, e, DittoHeaders.empty(), TopicPath.Channel.TWIN));
            ws.close(CLOSE_POLICY_VIOLATION, "Declared acknowledgement label is not unique");
            return;
        }
        eventSubscription = server.events().subscribe(this::onEvent);
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(buffer -> replyError(null, JsonInvalidException.of(
                "Binary frames are not part of the Ditto protocol; send Ditto protocol JSON as text frames.",
                DittoHeaders.empty()), DittoHeaders.empty()));
        ws.exceptionHandler(e -> LOG.debug("WebSocket error: {}", e.toString()));
        ws.closeHandler(v -> cleanUp());
        scheduleExpiry();
    }

    // ------------------------------------------------------------------ LiveSubscriber

    @Override
    public AuthorizationContext authorization() {
        return auth;
    }

    @Override
    public Set<AcknowledgementLabel> declaredAcknowledgements() {
        return declared;
    }

    @Override
    public boolean wantsMessagesOf(ThingId thingId) {
        StreamSubscription s = streams.get(Stream.MESSAGES);
        return s != null && s.coversNamespaceOf(thingId);
    }

    @Override
    public void deliver(JsonObject protocolMessage) {
        enqueue(protocolMessage);
    }

    // ------------------------------------------------------------------ inbound

    private void onText(String text) {
        String frame = text.strip();
        if (!frame.startsWith("{")) {
            Optional<ControlMessage> control = ControlMessage.parse(frame);
            if (control.isPresent()) {
                onControl(control.get());
            } else {
                replyError(null, JsonInvalidException.of("The frame is neither Ditto protocol JSON nor a control "
                        + "message (START-SEND-EVENTS, START-SEND-MESSAGES, ...): "
                        + abbreviate(frame), DittoHeaders.empty()), DittoHeaders.empty());
            }
            return;
        }
        DittoHeaders headers = DittoHeaders.empty();
        ThingId thingId = null;
        try {
            JsonObject json = JsonObject.of(frame);
            headers = headersOf(json);
            Adaptable adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(json);
            thingId = thingIdOf(adaptable.getTopicPath());
            Signal<?> signal = ProtocolReplies.PROTOCOL.fromAdaptable(adaptable);
            dispatch(adaptable, signal, withCorrelationId(signal.getDittoHeaders()));
        } catch (JsonRuntimeException e) {
            replyError(thingId, JsonInvalidException.of("The frame is not valid Ditto protocol JSON: "
                    + e.getMessage(), headers), headers);
        } catch (RuntimeException e) {
            replyError(thingId, HttpSupport.toDitto(e), headers);
        }
    }

    private void dispatch(Adaptable adaptable, Signal<?> signal, DittoHeaders headers) {
        TopicPath.Channel channel = adaptable.getTopicPath().getChannel();
        if (signal instanceof org.eclipse.ditto.things.model.signals.commands.ThingCommand<?> command
                && channel == TopicPath.Channel.TWIN) {
            runCommand(headers, command.getEntityId().toString(), isQuery(command),
                    () -> commands.thingCommand(adaptable, command, headers));
        } else if (signal instanceof RetrieveThings retrieve) {
            runCommand(headers, null, true, () -> commands.retrieveThings(retrieve, headers));
        } else if (signal instanceof org.eclipse.ditto.policies.model.signals.commands.PolicyCommand<?> command) {
            runCommand(headers, "policy:" + command.getEntityId(), isQuery(command),
                    () -> commands.policyCommand(adaptable, command, headers));
        } else if (signal instanceof MessageCommand<?, ?> message) {
            sendMessage(message, headers);
        } else if (signal instanceof MessageCommandResponse<?, ?> response) {
            server.live().onMessageResponse(response, this);
        } else if (signal instanceof ThingErrorResponse error && channel == TopicPath.Channel.LIVE) {
            headers.getCorrelationId().ifPresent(id ->
                    server.live().onMessageError(id, error.getDittoRuntimeException(), this));
        } else if (signal instanceof Acknowledgement ack) {
            onAcknowledgement(ack, headers);
        } else if (signal instanceof Acknowledgements acks) {
            acks.stream().forEach(ack -> onAcknowledgement(ack, headers));
        } else if (signal instanceof CreateSubscription create) {
            search.create(create.setDittoHeaders(headers));
        } else if (signal instanceof RequestFromSubscription request) {
            search.request(request);
        } else if (signal instanceof CancelSubscription cancel) {
            search.cancel(cancel);
        } else {
            replyError(thingIdOf(adaptable.getTopicPath()), UnsupportedSignalException
                    .newBuilder(adaptable.getTopicPath().getPath())
                    .message("The twin server does not support '" + adaptable.getTopicPath().getPath()
                            + "' over the WebSocket.")
                    .dittoHeaders(headers).build(), headers);
        }
    }

    private void onControl(ControlMessage control) {
        if (control.isJwtRefresh()) {
            refreshToken(control.param("jwtToken").orElse(null)); // no reply, as in Ditto
            return;
        }
        Stream stream = control.stream().orElseThrow();
        DittoHeaders headers = control.param("correlation-id")
                .map(id -> DittoHeaders.newBuilder().correlationId(id).build())
                .orElse(DittoHeaders.empty());
        if (control.isStart()) {
            try {
                streams.put(stream, StreamSubscription.of(control, headers));
            } catch (RuntimeException e) {
                replyError(null, HttpSupport.toDitto(e).setDittoHeaders(headers), headers);
                return;
            }
        } else {
            streams.remove(stream);
        }
        ws.writeTextMessage(control.ack());
    }

    // ------------------------------------------------------------------ token expiry and refresh

    /**
     * A session opened with an access token ends when the token expires, unless the client sent a fresh one with
     * {@code JWT-TOKEN?jwtToken=<token>} before (as Ditto's gateway does).
     */
    private void scheduleExpiry() {
        if (expiryTimer >= 0) {
            context.owner().cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
        Optional<Instant> expiresAt = authentication.expiresAt();
        if (expiresAt.isEmpty()) {
            return;
        }
        long delay = Math.max(1, Duration.between(Instant.now(), expiresAt.get()).toMillis());
        expiryTimer = context.owner().setTimer(delay, id -> {
            expiryTimer = -1;
            endSession(GatewayWebsocketSessionExpiredException.newBuilder().build(), "JWT expired");
        });
    }

    /**
     * A fresh token for this session: it must verify and name the same principal ({@code sub}) as the session's
     * token; then the session lives until the new token expires, with the new token's subjects (so a role granted
     * or withdrawn meanwhile takes effect without reconnecting). Otherwise the session is closed, as in Ditto.
     */
    private void refreshToken(String token) {
        Optional<VerifiedToken> current = authentication.verifiedToken();
        Optional<JwtAuthenticator> tokens = server.authenticator().tokens();
        if (current.isEmpty() || tokens.isEmpty()) {
            LOG.debug("Ignored JWT-TOKEN on a WebSocket session that was not opened with an access token");
            return;
        }
        tokens.get().verify(token).whenComplete((refreshed, error) -> context.runOnContext(v -> {
            if (closing.get()) {
                return;
            }
            if (error != null) {
                LOG.info("Closing a WebSocket of {}: the refreshed JWT is invalid: {}", describe(),
                        HttpSupport.toDitto(error).getDescription().orElse(error.toString()));
                endSession(GatewayWebsocketSessionClosedException.newBuilderForInvalidToken()
                        .description(HttpSupport.toDitto(error).getDescription().orElse("Send a valid token."))
                        .build(), "JWT invalid");
                return;
            }
            String before = current.get().subject();
            String after = refreshed.token().subject();
            boolean samePrincipal = Objects.equals(before, after)
                    && current.get().issuer().prefix().equals(refreshed.token().issuer().prefix());
            if (!samePrincipal) {
                LOG.info("Closing a WebSocket of {}: the refreshed JWT is of another principal", describe());
                endSession(GatewayWebsocketSessionClosedException.newBuilder()
                        .description("The refreshed JWT must be of the same subject ('sub') as the session's. "
                                + "Open a new WebSocket for another user.")
                        .build(), "JWT of another subject");
                return;
            }
            authentication = refreshed;
            auth = refreshed.context();
            scheduleExpiry();
            LOG.debug("WebSocket of {} refreshed its JWT; it expires at {}", describe(),
                    refreshed.expiresAt().orElse(null));
        }));
    }

    /** Tells the client why (Ditto's error as a protocol message), then closes with 1008. */
    private void endSession(DittoRuntimeException reason, String closeReason) {
        if (closing.compareAndSet(false, true)) {
            write(ProtocolReplies.thingError(null, reason, DittoHeaders.empty(), TopicPath.Channel.TWIN));
            ws.close(CLOSE_POLICY_VIOLATION, closeReason);
        }
    }

    private String describe() {
        return auth.getFirstAuthorizationSubject().map(Object::toString).orElse("?");
    }

    private void onAcknowledgement(Acknowledgement ack, DittoHeaders headers) {
        if (!declared.contains(ack.getLabel())) {
            replyError(null, AcknowledgementLabelNotDeclaredException.of(ack.getLabel(), headers), headers);
            return;
        }
        server.live().acknowledgements().onAcknowledgement(ack);
    }

    private void sendMessage(MessageCommand<?, ?> message, DittoHeaders headers) {
        ThingId thingId = message.getEntityId();
        Duration timeout = message.getMessage().getTimeout().or(headers::getTimeout).orElse(DEFAULT_MESSAGE_TIMEOUT);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            timeout = MAX_TIMEOUT;
        }
        boolean awaitResponse = TwinCommandHandler.responseRequired(headers) && !timeout.isZero();
        server.live().sendMessage(message.setDittoHeaders(headers), auth, timeout, awaitResponse)
                .whenComplete((response, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        if (awaitResponse) {
                            write(ProtocolReplies.thingError(thingId, HttpSupport.toDitto(error), headers,
                                    TopicPath.Channel.LIVE));
                        }
                    } else {
                        response.ifPresent(r -> write(ProtocolReplies.toJson(r)));
                    }
                }));
    }

    private static boolean isQuery(Command<?> command) {
        return command.getCategory() == Command.Category.QUERY;
    }

    /**
     * Runs a request, writes its reply, then releases the events of it held back until the reply is out. A read of
     * an entity waits for this session's writes to it that are still in flight, so a client reads its own writes.
     */
    private void runCommand(DittoHeaders headers, String entity, boolean read,
            Supplier<CompletableFuture<Optional<JsonObject>>> execution) {
        String correlationId = headers.getCorrelationId().orElseThrow();
        inFlight.merge(correlationId, 1, Integer::sum);
        CompletableFuture<?> pendingWrite = entity == null ? null : writesInFlight.get(entity);
        CompletableFuture<Optional<JsonObject>> reply;
        if (read && pendingWrite != null && !pendingWrite.isDone()) {
            reply = pendingWrite.handle((r, e) -> null).thenCompose(ignored -> execute(execution));
        } else {
            reply = execute(execution);
        }
        if (!read && entity != null) {
            writesInFlight.put(entity, reply);
            reply.whenComplete((r, e) -> context.runOnContext(v -> writesInFlight.remove(entity, reply)));
        }
        reply.whenComplete((json, error) -> context.runOnContext(v -> {
            if (error != null) {
                replyError(null, HttpSupport.toDitto(error), headers);
            } else {
                json.ifPresent(this::write);
            }
            if (inFlight.merge(correlationId, -1, Integer::sum) <= 0) {
                inFlight.remove(correlationId);
                List<JsonObject> events = heldBack.remove(correlationId);
                if (events != null) {
                    events.forEach(this::write);
                }
            }
        }));
    }

    private static CompletableFuture<Optional<JsonObject>> execute(
            Supplier<CompletableFuture<Optional<JsonObject>>> execution) {
        try {
            return execution.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ------------------------------------------------------------------ outbound

    /** Called on the store's writer thread: only a cheap check, then hand over to the session's context. */
    private void onEvent(ThingEvent event) {
        if (!streams.containsKey(Stream.EVENTS)) {
            return;
        }
        enqueue(event);
    }

    private void enqueue(Object signal) {
        if (closing.get()) {
            return;
        }
        if (!outbound.offer(signal)) {
            tooSlow();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        drainScheduled.set(false);
        while (!closing.get() && !ws.writeQueueFull()) {
            Object next = outbound.poll();
            if (next == null) {
                return;
            }
            if (next instanceof ThingEvent event) {
                sendEvent(event);
            } else {
                write((JsonObject) next);
            }
        }
        if (!closing.get() && outbound.size() > 0) {
            ws.drainHandler(v -> {
                if (drainScheduled.compareAndSet(false, true)) {
                    drain();
                }
            });
        }
    }

    private void sendEvent(ThingEvent event) {
        StreamSubscription subscription = streams.get(Stream.EVENTS);
        if (subscription == null) {
            return;
        }
        Optional<JsonObject> rendered = renderer.render(event, auth, subscription, declared);
        Optional<String> correlationId = event.headers().getCorrelationId();
        if (rendered.isEmpty()) {
            issueWeakAcknowledgements(event);
            return;
        }
        if (correlationId.isPresent() && inFlight.containsKey(correlationId.get())) {
            // the client matches replies by correlation id: its own reply must arrive before the event it caused
            heldBack.computeIfAbsent(correlationId.get(), k -> new ArrayList<>()).add(rendered.get());
        } else {
            write(rendered.get());
        }
    }

    /** Ditto answers acknowledgement requests for subscribers that filtered the event out with weak acks. */
    private void issueWeakAcknowledgements(ThingEvent event) {
        Set<AcknowledgementLabel> labels = EventRenderer.requestedOf(event.headers(), declared);
        Optional<String> correlationId = event.headers().getCorrelationId();
        if (labels.isEmpty() || correlationId.isEmpty()) {
            return;
        }
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId(correlationId.get()).build();
        labels.forEach(label -> server.live().acknowledgements()
                .onAcknowledgement(Acknowledgement.weak(label, event.thingId(), headers, JsonValue.nullLiteral())));
    }

    private void tooSlow() {
        if (closing.compareAndSet(false, true)) {
            LOG.warn("Closing a WebSocket of {}: {} signals are waiting for it; the client does not keep up",
                    describe(), outbound.capacity());
            context.runOnContext(v -> ws.close(CLOSE_TOO_SLOW,
                    "Too many signals pending (" + outbound.capacity() + "); the client does not keep up"));
        }
    }

    private void write(JsonObject json) {
        if (!ws.isClosed()) {
            ws.writeTextMessage(json.toString());
        }
    }

    private void replyError(ThingId thingId, DittoRuntimeException error, DittoHeaders request) {
        write(ProtocolReplies.thingError(thingId, error, request, TopicPath.Channel.TWIN));
    }

    private void cleanUp() {
        closing.set(true);
        if (expiryTimer >= 0) {
            context.owner().cancelTimer(expiryTimer);
        }
        server.live().unregister(this);
        search.cancelAll();
        outbound.clear();
        if (eventSubscription != null) {
            try {
                eventSubscription.close();
            } catch (Exception e) {
                LOG.debug("Could not unsubscribe from events: {}", e.toString());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static DittoHeaders withCorrelationId(DittoHeaders headers) {
        return headers.getCorrelationId().isPresent() ? headers
                : DittoHeaders.of(headers.toBuilder().randomCorrelationId().build());
    }

    /** The frame's headers, for correlating an error reply even when the frame is no valid protocol message. */
    private static DittoHeaders headersOf(JsonObject json) {
        return json.getValue("headers").filter(JsonValue::isObject).map(JsonValue::asObject)
                .flatMap(h -> h.getValue("correlation-id")).filter(JsonValue::isString)
                .map(id -> DittoHeaders.newBuilder().correlationId(id.asString()).build())
                .orElse(DittoHeaders.empty());
    }

    private static ThingId thingIdOf(TopicPath topic) {
        try {
            if (topic.getGroup() == TopicPath.Group.THINGS && !"_".equals(topic.getNamespace())) {
                return ThingId.of(topic.getNamespace(), topic.getEntityName());
            }
        } catch (RuntimeException e) {
            // no valid thing id in the topic
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
