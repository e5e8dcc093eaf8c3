package io.plantmesh.twin.server.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;

import io.plantmesh.twin.server.live.AggregatedAcks;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;

/**
 * The hook through which a modifying HTTP request waits for acknowledgements other than {@code twin-persisted}
 * ({@code requested-acks=twin-persisted,my-ack}). The HTTP layer answers {@code twin-persisted} on its own; custom
 * labels are issued by WebSocket or connection subscribers, so the live package implements this interface (over its
 * acknowledgement aggregator) and passes it to {@link ThingsApi#mount(io.vertx.ext.web.Router,
 * io.plantmesh.twin.server.TwinServerContext, AcknowledgementWaiter)}. Until then
 * {@link NoSubscriberAcknowledgements} is used.
 */
public interface AcknowledgementWaiter {

    /**
     * Runs the command and completes with one acknowledgement per requested label, or a timeout acknowledgement for
     * each label that was not issued within {@code timeout}.
     *
     * @param labels the requested labels, in request order; may include {@code twin-persisted}
     * @param execute runs the command; its result is the {@code twin-persisted} acknowledgement (see
     * {@link #twinPersisted}); the labels must be registered before it is called, so that no acknowledgement
     * arrives too early. If it fails, the returned future fails with the same error.
     */
    CompletableFuture<AggregatedAcks> await(ThingCommand command, Set<AcknowledgementLabel> labels, Duration timeout,
            Supplier<CompletableFuture<ThingResult>> execute);

    /** The {@code twin-persisted} acknowledgement for a command's result: its status and, for 201, its body. */
    static Acknowledgement twinPersisted(ThingResult result, DittoHeaders headers) {
        DittoHeaders ackHeaders = ackHeaders(headers);
        return Acknowledgement.of(DittoAcknowledgementLabel.TWIN_PERSISTED, result.thingId(), result.status(),
                ackHeaders, result.value().orElse(null));
    }

    /** The headers an acknowledgement carries: the request's correlation id. */
    static DittoHeaders ackHeaders(DittoHeaders requestHeaders) {
        var builder = DittoHeaders.newBuilder();
        requestHeaders.getCorrelationId().ifPresent(builder::correlationId);
        return builder.build();
    }
}
