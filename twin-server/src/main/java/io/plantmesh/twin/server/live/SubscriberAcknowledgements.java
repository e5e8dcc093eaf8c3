package io.plantmesh.twin.server.live;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

import io.plantmesh.twin.server.http.AcknowledgementWaiter;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;

/**
 * The HTTP API's {@link AcknowledgementWaiter} backed by the {@link AcknowledgementAggregator}: custom labels are
 * issued by WebSocket subscribers that declared them. Wire it with
 * {@code ThingsApi.mount(router, context, live.httpAcknowledgements())}.
 */
final class SubscriberAcknowledgements implements AcknowledgementWaiter {

    private final AcknowledgementAggregator aggregator;

    SubscriberAcknowledgements(AcknowledgementAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public CompletableFuture<AggregatedAcks> await(ThingCommand command, Set<AcknowledgementLabel> labels,
            Duration timeout, Supplier<CompletableFuture<ThingResult>> execute) {
        DittoHeaders headers = command.headers();
        String correlationId = headers.getCorrelationId().orElseThrow();
        return aggregator.awaitAcks(correlationId, command.thingId(), labels, timeout,
                AcknowledgementWaiter.ackHeaders(headers),
                () -> execute.get().thenApply(result -> AcknowledgementWaiter.twinPersisted(result, headers)));
    }
}
