package io.plantmesh.twin.server.live;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestDuplicateCorrelationIdException;
import org.eclipse.ditto.messages.model.MessageDirection;
import org.eclipse.ditto.messages.model.MessageHeaders;
import org.eclipse.ditto.messages.model.MessageSendNotAllowedException;
import org.eclipse.ditto.messages.model.MessageTimeoutException;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommandResponse;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.audit.AuditHook;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.http.AcknowledgementWaiter;
import io.plantmesh.twin.server.things.ThingState;

/**
 * Routes live signals between the HTTP API and the WebSocket sessions: live messages to every subscriber that may
 * READ them (the sender needs WRITE, per the thing's policy), the first response back to the sender only,
 * acknowledgements to the {@link AcknowledgementAggregator}; and keeps declared acknowledgement labels unique.
 */
public final class LiveSignalRouter {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSignalRouter.class);
    private static final Permissions READ = Permissions.newInstance("READ");
    private static final Permissions WRITE = Permissions.newInstance("WRITE");
    private static final DittoProtocolAdapter PROTOCOL = DittoProtocolAdapter.newInstance();

    private final TwinEngine engine;
    private final AcknowledgementAggregator acknowledgements = new AcknowledgementAggregator();
    private final Set<LiveSubscriber> subscribers = new CopyOnWriteArraySet<>();
    private final ConcurrentHashMap<AcknowledgementLabel, LiveSubscriber> declaredLabels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, PendingResponse> pendingResponses = new ConcurrentHashMap<>();
    private volatile AuditHook audit = AuditHook.NONE;

    public LiveSignalRouter(TwinEngine engine) {
        this.engine = engine;
    }

    /** Who is told about every message sent or refused (see {@link AuditHook}); nobody by default. */
    public void auditWith(AuditHook hook) {
        this.audit = hook == null ? AuditHook.NONE : hook;
    }

    public AcknowledgementAggregator acknowledgements() {
        return acknowledgements;
    }

    /** For {@code ThingsApi.mount(router, context, live.httpAcknowledgements())}: HTTP requests with custom acks. */
    public AcknowledgementWaiter httpAcknowledgements() {
        return new SubscriberAcknowledgements(acknowledgements);
    }

    /**
     * Registers a subscriber and claims its declared labels; false (nothing registered) if another subscriber already
     * declared one of them — Ditto then closes the new WebSocket.
     */
    public synchronized boolean register(LiveSubscriber subscriber) {
        for (AcknowledgementLabel label : subscriber.declaredAcknowledgements()) {
            LiveSubscriber owner = declaredLabels.get(label);
            if (owner != null && owner != subscriber) {
                return false;
            }
        }
        subscriber.declaredAcknowledgements().forEach(label -> declaredLabels.put(label, subscriber));
        subscribers.add(subscriber);
        return true;
    }

    public synchronized void unregister(LiveSubscriber subscriber) {
        subscribers.remove(subscriber);
        declaredLabels.values().removeIf(s -> s == subscriber);
    }

    /**
     * Sends a live message to every subscriber that asked for messages of the thing and may READ the message
     * resource. The sender needs WRITE on it.
     *
     * @param awaitResponse false: completes right after delivery with an empty result
     * @return the first response of a receiver, or fails with Ditto's {@code messages:message.timeout} (408) after
     * {@code timeout}, or with the refusal ({@code things:thing.notfound} 404, {@code messages:send.notallowed} 403)
     */
    public CompletableFuture<Optional<MessageCommandResponse<?, ?>>> sendMessage(MessageCommand<?, ?> command,
            AuthorizationContext sender, Duration timeout, boolean awaitResponse) {
        ThingId thingId = command.getEntityId();
        DittoHeaders headers = command.getDittoHeaders();
        Enforcer enforcer = engine.committedThing(thingId).map(ThingState::policyId).flatMap(engine::enforcer)
                .orElse(null);
        if (enforcer == null) {
            return refused(command, sender,
                    ThingNotAccessibleException.newBuilder(thingId).dittoHeaders(headers).build());
        }
        ResourceKey resource = PoliciesResourceType.messageResource(messageResourcePath(command.getMessage().getHeaders()));
        if (!enforcer.hasUnrestrictedPermissions(resource, sender, WRITE)) {
            return refused(command, sender,
                    MessageSendNotAllowedException.newBuilder(thingId).dittoHeaders(headers).build());
        }
        List<LiveSubscriber> receivers = subscribers.stream()
                .filter(s -> s.wantsMessagesOf(thingId))
                .filter(s -> enforcer.hasUnrestrictedPermissions(resource, s.authorization(), READ))
                .toList();
        CompletableFuture<Optional<MessageCommandResponse<?, ?>>> result = CompletableFuture.completedFuture(Optional.empty());
        Optional<String> correlationId = headers.getCorrelationId();
        if (awaitResponse && correlationId.isPresent()) {
            PendingResponse pending = new PendingResponse(Set.copyOf(receivers), new CompletableFuture<>());
            if (pendingResponses.putIfAbsent(correlationId.get(), pending) != null) {
                return CompletableFuture.failedFuture(AcknowledgementRequestDuplicateCorrelationIdException
                        .newBuilder(correlationId.get()).dittoHeaders(headers).build());
            }
            pending.response().whenComplete((r, e) -> pendingResponses.remove(correlationId.get(), pending));
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                    pending.response().completeExceptionally(MessageTimeoutException
                            .newBuilder(Math.max(1, timeout.toSeconds())).dittoHeaders(headers).build()));
            result = pending.response().thenApply(Optional::of);
        }
        var json = ProtocolFactory.wrapAsJsonifiableAdaptable(PROTOCOL.toAdaptable(command)).toJson();
        receivers.forEach(r -> r.deliver(json));
        audit.messageSend(command, sender, receivers.size(), null);
        return result;
    }

    private <T> CompletableFuture<T> refused(MessageCommand<?, ?> command, AuthorizationContext sender,
            DittoRuntimeException refusal) {
        audit.messageSend(command, sender, 0, refusal);
        return CompletableFuture.failedFuture(refusal);
    }

    /**
     * Routes a receiver's response to the waiting sender; false if nobody waits for it (timed out, already answered,
     * or the responder never received the message).
     */
    public boolean onMessageResponse(MessageCommandResponse<?, ?> response, LiveSubscriber from) {
        Optional<String> correlationId = response.getDittoHeaders().getCorrelationId();
        PendingResponse pending = correlationId.map(pendingResponses::get).orElse(null);
        if (pending == null || !pending.receivers().contains(from)) {
            LOG.debug("Dropping a live message response nobody waits for: {}", correlationId.orElse("?"));
            return false;
        }
        return pending.response().complete(response);
    }

    /** Fails a waiting sender, e.g. when the receiver answered with an error. */
    public boolean onMessageError(String correlationId, DittoRuntimeException error, LiveSubscriber from) {
        PendingResponse pending = pendingResponses.get(correlationId);
        return pending != null && pending.receivers().contains(from) && pending.response().completeExceptionally(error);
    }

    /** {@code /inbox/messages/x}, {@code /features/f/outbox/messages/x}: the {@code message:} resource of a message. */
    public static String messageResourcePath(MessageHeaders headers) {
        String box = headers.getDirection() == MessageDirection.TO ? "inbox" : "outbox";
        String feature = headers.getFeatureId().map(f -> "/features/" + f).orElse("");
        return feature + "/" + box + "/messages/" + headers.getSubject();
    }

    private record PendingResponse(Set<LiveSubscriber> receivers,
            CompletableFuture<MessageCommandResponse<?, ?>> response) {
    }
}
