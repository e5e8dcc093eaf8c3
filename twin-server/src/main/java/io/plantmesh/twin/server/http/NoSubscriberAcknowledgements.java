package io.plantmesh.twin.server.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.AcknowledgementRequestTimeoutException;

import io.plantmesh.twin.server.live.AggregatedAcks;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;

/**
 * The {@link AcknowledgementWaiter} for a server in which no subscriber can issue custom acknowledgements: the
 * command runs, {@code twin-persisted} is answered from its result, and every other label times out after the
 * request's timeout, which is what Ditto answers when no subscriber issues a requested label (408).
 */
final class NoSubscriberAcknowledgements implements AcknowledgementWaiter {

    @Override
    public CompletableFuture<AggregatedAcks> await(ThingCommand command, Set<AcknowledgementLabel> labels,
            Duration timeout, Supplier<CompletableFuture<ThingResult>> execute) {
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> elapsed.complete(null));
        return execute.get().thenCompose(result -> elapsed.thenApply(ignored -> aggregate(command, labels, timeout, result)));
    }

    private static AggregatedAcks aggregate(ThingCommand command, Set<AcknowledgementLabel> labels, Duration timeout,
            ThingResult result) {
        DittoHeaders headers = command.headers();
        DittoHeaders ackHeaders = AcknowledgementWaiter.ackHeaders(headers);
        List<Acknowledgement> acks = new ArrayList<>();
        for (AcknowledgementLabel label : labels) {
            if (label.equals(DittoAcknowledgementLabel.TWIN_PERSISTED)) {
                acks.add(AcknowledgementWaiter.twinPersisted(result, headers));
            } else {
                var error = AcknowledgementRequestTimeoutException.newBuilder(timeout).dittoHeaders(ackHeaders).build();
                acks.add(Acknowledgement.of(label, command.thingId(), HttpStatus.REQUEST_TIMEOUT, ackHeaders,
                        error.toJson()));
            }
        }
        return AggregatedAcks.of(command.thingId(), acks, true, headers);
    }
}
