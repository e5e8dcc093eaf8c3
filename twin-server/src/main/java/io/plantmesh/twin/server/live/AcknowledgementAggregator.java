package io.plantmesh.twin.server.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestDuplicateCorrelationIdException;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestTimeoutException;

/**
 * Collects the acknowledgements requested by one request ({@code requested-acks}) until all arrived or the
 * request's timeout elapsed. Used by the WebSocket endpoint and usable by the HTTP API:
 *
 * <pre>{@code
 * aggregator.awaitAcks(correlationId, thingId, labels, timeout, headers,
 *         () -> engine.execute(command).thenApply(result -> twinPersistedAck(result)))
 * }</pre>
 *
 * The labels are registered <em>before</em> the supplier runs the command, so acknowledgements issued by event
 * subscribers can never arrive too early.
 */
public final class AcknowledgementAggregator {

    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    /**
     * Waits for acknowledgements with the given labels for the request with this correlation id.
     *
     * @param persisted runs the command and yields the {@code twin-persisted} acknowledgement; if it fails, the
     * returned future fails with the same error (the requester gets the command's error, not acknowledgements)
     * @return completes with all requested acknowledgements, or after {@code timeout} with timeout acknowledgements
     * for those missing
     */
    public CompletableFuture<AggregatedAcks> awaitAcks(String correlationId, EntityId entityId,
            Set<AcknowledgementLabel> labels, Duration timeout, DittoHeaders headers,
            Supplier<CompletionStage<Acknowledgement>> persisted) {
        Pending p = new Pending(correlationId, entityId, new LinkedHashSet<>(labels), timeout, headers);
        if (pending.putIfAbsent(correlationId, p) != null) {
            return CompletableFuture.failedFuture(AcknowledgementRequestDuplicateCorrelationIdException
                    .newBuilder(correlationId).dittoHeaders(headers).build());
        }
        p.result.whenComplete((r, e) -> pending.remove(correlationId, p));
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(p::timeOut);
        CompletionStage<Acknowledgement> stage;
        try {
            stage = persisted.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ack, error) -> {
            if (error != null) {
                p.result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else if (ack != null) {
                p.add(ack);
            }
        });
        return p.result;
    }

    /** Takes an acknowledgement issued by a subscriber; false if no request waits for it. */
    public boolean onAcknowledgement(Acknowledgement ack) {
        return ack.getDittoHeaders().getCorrelationId()
                .map(pending::get)
                .map(p -> p.add(ack))
                .orElse(false);
    }

    private static final class Pending {
        final String correlationId;
        final EntityId entityId;
        final Set<AcknowledgementLabel> labels;
        final Duration timeout;
        final DittoHeaders headers;
        final Map<AcknowledgementLabel, Acknowledgement> received = new LinkedHashMap<>();
        final CompletableFuture<AggregatedAcks> result = new CompletableFuture<>();

        Pending(String correlationId, EntityId entityId, Set<AcknowledgementLabel> labels, Duration timeout,
                DittoHeaders headers) {
            this.correlationId = correlationId;
            this.entityId = entityId;
            this.labels = labels;
            this.timeout = timeout;
            this.headers = headers;
        }

        synchronized boolean add(Acknowledgement ack) {
            if (!labels.contains(ack.getLabel()) || result.isDone()) {
                return false;
            }
            received.putIfAbsent(ack.getLabel(), ack);
            if (received.keySet().containsAll(labels)) {
                result.complete(AggregatedAcks.of(entityId, ordered(), false, headers));
            }
            return true;
        }

        synchronized void timeOut() {
            if (result.isDone()) {
                return;
            }
            DittoHeaders ackHeaders = DittoHeaders.newBuilder().correlationId(correlationId).build();
            for (AcknowledgementLabel label : labels) {
                if (!received.containsKey(label)) {
                    var error = AcknowledgementRequestTimeoutException.newBuilder(timeout)
                            .dittoHeaders(ackHeaders).build();
                    received.put(label, Acknowledgement.of(label, entityId, HttpStatus.REQUEST_TIMEOUT, ackHeaders,
                            error.toJson()));
                }
            }
            result.complete(AggregatedAcks.of(entityId, ordered(), true, headers));
        }

        private List<Acknowledgement> ordered() {
            List<Acknowledgement> acks = new ArrayList<>();
            labels.forEach(l -> acks.add(received.get(l)));
            return acks;
        }
    }
}
