package io.plantmesh.twin.server.ws;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonCollectors;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThings;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingsResponse;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;

/**
 * Executes the twin commands of a WebSocket session (things, policies, retrieve of several things) through the
 * engine and answers in the Ditto protocol: the command response, Ditto's error, or, when acknowledgements other
 * than {@code twin-persisted} were requested, the aggregated acknowledgements. An empty result means no reply
 * ({@code response-required: false}).
 */
final class TwinCommandHandler {

    private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(60);

    private final TwinServerContext server;
    private final Supplier<AuthorizationContext> auth;

    /** @param auth the session's current subjects (they change when a refreshed token brings other roles) */
    TwinCommandHandler(TwinServerContext server, Supplier<AuthorizationContext> auth) {
        this.server = server;
        this.auth = auth;
    }

    CompletableFuture<Optional<JsonObject>> thingCommand(Adaptable adaptable,
            org.eclipse.ditto.things.model.signals.commands.ThingCommand<?> signal, DittoHeaders headers) {
        ThingId thingId = signal.getEntityId();
        boolean responseRequired = responseRequired(headers);
        ThingCommand command;
        try {
            command = TwinCommandMapper.toThingCommand(signal, headers, auth.get());
        } catch (RuntimeException e) {
            return errorReply(responseRequired, ProtocolReplies.thingError(thingId, HttpSupport.toDitto(e), headers,
                    TopicPath.Channel.TWIN));
        }
        Set<AcknowledgementLabel> labels = requestedLabels(headers);
        boolean onlyTwinPersisted = labels.isEmpty() || labels.equals(Set.of(DittoAcknowledgementLabel.TWIN_PERSISTED));
        if (!command.isModifying() || onlyTwinPersisted || !responseRequired) {
            return server.engine().execute(command).handle((result, error) -> {
                if (!responseRequired) {
                    return Optional.empty();
                }
                if (error != null) {
                    return Optional.of(ProtocolReplies.thingError(thingId, HttpSupport.toDitto(error), headers,
                            TopicPath.Channel.TWIN));
                }
                return Optional.of(ProtocolReplies.commandResponse(adaptable, result.status(), result.value(),
                        ProtocolReplies.replyHeaders(headers, result.entityTag())));
            });
        }
        String correlationId = headers.getCorrelationId().orElseThrow();
        Duration timeout = headers.getTimeout().orElse(DEFAULT_ACK_TIMEOUT);
        return server.live().acknowledgements()
                .awaitAcks(correlationId, thingId, labels, timeout, ProtocolReplies.replyHeaders(headers, Optional.empty()),
                        () -> server.engine().execute(command).thenApply(r -> twinPersisted(r, correlationId)))
                .handle((acks, error) -> error != null
                        ? Optional.of(ProtocolReplies.thingError(thingId, HttpSupport.toDitto(error), headers,
                                TopicPath.Channel.TWIN))
                        : Optional.of(ProtocolReplies.toJson(acks.toSignal())));
    }

    CompletableFuture<Optional<JsonObject>> policyCommand(Adaptable adaptable,
            org.eclipse.ditto.policies.model.signals.commands.PolicyCommand<?> signal, DittoHeaders headers) {
        boolean responseRequired = responseRequired(headers);
        PolicyCommand command;
        try {
            command = TwinCommandMapper.toPolicyCommand(signal, headers, auth.get());
        } catch (RuntimeException e) {
            return errorReply(responseRequired,
                    ProtocolReplies.policyError(signal.getEntityId(), HttpSupport.toDitto(e), headers));
        }
        return server.engine().execute(command).handle((result, error) -> {
            if (!responseRequired) {
                return Optional.empty();
            }
            if (error != null) {
                return Optional.of(ProtocolReplies.policyError(signal.getEntityId(), HttpSupport.toDitto(error),
                        headers));
            }
            return Optional.of(ProtocolReplies.commandResponse(adaptable, result.status(), result.value(),
                    ProtocolReplies.replyHeaders(headers, result.entityTag())));
        });
    }

    /** {@code _/_/things/twin/commands/retrieve} with {@code thingIds}: the visible ones, in the requested order. */
    CompletableFuture<Optional<JsonObject>> retrieveThings(RetrieveThings signal, DittoHeaders headers) {
        if (!responseRequired(headers)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            List<JsonObject> things = server.engine().retrieveThings(signal.getEntityIds(),
                    signal.getSelectedFields().orElse(null), auth.get());
            JsonArray array = things.stream().collect(JsonCollectors.valuesToArray());
            RetrieveThingsResponse response = RetrieveThingsResponse.of(array, signal.getNamespace().orElse(null),
                    ProtocolReplies.replyHeaders(headers, Optional.empty()));
            return CompletableFuture.completedFuture(Optional.of(ProtocolReplies.toJson(response)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Optional.of(
                    ProtocolReplies.thingError(null, HttpSupport.toDitto(e), headers, TopicPath.Channel.TWIN)));
        }
    }

    private static Acknowledgement twinPersisted(ThingResult result, String correlationId) {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId(correlationId).build();
        return Acknowledgement.of(DittoAcknowledgementLabel.TWIN_PERSISTED, result.thingId(), result.status(),
                headers, result.value().orElse(null));
    }

    /** Ditto's default: twin-persisted for modifying commands unless the header says otherwise. */
    private static Set<AcknowledgementLabel> requestedLabels(DittoHeaders headers) {
        if (!headers.containsKey(DittoHeaderDefinition.REQUESTED_ACKS.getKey())) {
            return Set.of(DittoAcknowledgementLabel.TWIN_PERSISTED);
        }
        return headers.getAcknowledgementRequests().stream()
                .map(AcknowledgementRequest::getLabel)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Ditto: no response if asked for none, or if no acknowledgement at all was requested and nothing else said. */
    static boolean responseRequired(DittoHeaders headers) {
        boolean explicit = headers.containsKey(DittoHeaderDefinition.RESPONSE_REQUIRED.getKey());
        if (explicit) {
            return headers.isResponseRequired();
        }
        boolean noAcksRequested = headers.containsKey(DittoHeaderDefinition.REQUESTED_ACKS.getKey())
                && headers.getAcknowledgementRequests().isEmpty();
        boolean zeroTimeout = headers.getTimeout().map(Duration::isZero).orElse(false);
        return !(noAcksRequested || zeroTimeout);
    }

    private static CompletableFuture<Optional<JsonObject>> errorReply(boolean responseRequired, JsonObject error) {
        return CompletableFuture.completedFuture(responseRequired ? Optional.of(error) : Optional.empty());
    }
}
