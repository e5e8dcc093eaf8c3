package io.plantmesh.twin.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.junit.jupiter.api.Test;

class AcknowledgementAggregatorTest {

    private static final ThingId THING = ThingId.of("plant.acks:t");
    private static final AcknowledgementLabel PERSISTED = DittoAcknowledgementLabel.TWIN_PERSISTED;
    private static final AcknowledgementLabel CUSTOM = AcknowledgementLabel.of("custom-ack");

    private final AcknowledgementAggregator aggregator = new AcknowledgementAggregator();

    private static DittoHeaders headers(String correlationId) {
        return DittoHeaders.newBuilder().correlationId(correlationId).build();
    }

    private static Set<AcknowledgementLabel> labels(AcknowledgementLabel... labels) {
        return new LinkedHashSet<>(List.of(labels));
    }

    private static Acknowledgement ack(AcknowledgementLabel label, String cid, HttpStatus status) {
        return Acknowledgement.of(label, THING, status, headers(cid), JsonValue.of(label + " " + status.getCode()));
    }

    @Test
    void completesWith200OnceAllLabelsArrived() throws Exception {
        CompletableFuture<AggregatedAcks> result = aggregator.awaitAcks("c1", THING, labels(PERSISTED, CUSTOM),
                Duration.ofSeconds(5), headers("c1"),
                () -> CompletableFuture.completedFuture(ack(PERSISTED, "c1", HttpStatus.NO_CONTENT)));
        assertThat(result).isNotDone();
        assertThat(aggregator.onAcknowledgement(ack(CUSTOM, "c1", HttpStatus.OK))).isTrue();
        AggregatedAcks acks = result.get(1, TimeUnit.SECONDS);
        assertThat(acks.status()).isEqualTo(HttpStatus.OK);
        JsonObject body = acks.toHttpJson();
        assertThat(body.getValue("twin-persisted/status")).contains(JsonValue.of(204));
        assertThat(body.getValue("custom-ack/payload")).contains(JsonValue.of("custom-ack 200"));
        assertThat(acks.toSignal().getHttpStatus()).isEqualTo(HttpStatus.OK);
        // nothing waits any more
        assertThat(aggregator.onAcknowledgement(ack(CUSTOM, "c1", HttpStatus.OK))).isFalse();
    }

    @Test
    void oneFailedAcknowledgementMakesItAFailedDependency() throws Exception {
        CompletableFuture<AggregatedAcks> result = aggregator.awaitAcks("c2", THING, labels(PERSISTED, CUSTOM),
                Duration.ofSeconds(5), headers("c2"),
                () -> CompletableFuture.completedFuture(ack(PERSISTED, "c2", HttpStatus.NO_CONTENT)));
        aggregator.onAcknowledgement(ack(CUSTOM, "c2", HttpStatus.INTERNAL_SERVER_ERROR));
        assertThat(result.get(1, TimeUnit.SECONDS).status()).isEqualTo(HttpStatus.FAILED_DEPENDENCY);
    }

    @Test
    void missingAcknowledgementsTimeOutWith408() throws Exception {
        CompletableFuture<AggregatedAcks> result = aggregator.awaitAcks("c3", THING, labels(PERSISTED, CUSTOM),
                Duration.ofMillis(200), headers("c3"),
                () -> CompletableFuture.completedFuture(ack(PERSISTED, "c3", HttpStatus.NO_CONTENT)));
        AggregatedAcks acks = result.get(2, TimeUnit.SECONDS);
        assertThat(acks.status()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
        assertThat(acks.toHttpJson().getValue("custom-ack/status")).contains(JsonValue.of(408));
        assertThat(acks.toHttpJson().getValue("custom-ack/payload/error"))
                .contains(JsonValue.of("acknowledgement:request.timeout"));
        assertThat(acks.toHttpJson().getValue("twin-persisted/status")).contains(JsonValue.of(204));
    }

    @Test
    void aFailedCommandFailsTheAggregation() {
        CompletableFuture<AggregatedAcks> result = aggregator.awaitAcks("c4", THING, labels(PERSISTED, CUSTOM),
                Duration.ofSeconds(5), headers("c4"),
                () -> CompletableFuture.failedFuture(ThingNotAccessibleException.newBuilder(THING).build()));
        assertThatThrownBy(() -> result.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ThingNotAccessibleException.class);
    }

    @Test
    void labelsAreRegisteredBeforeTheCommandRuns() throws Exception {
        // the subscriber's acknowledgement arrives while the command is still running
        CompletableFuture<AggregatedAcks> result = aggregator.awaitAcks("c5", THING, labels(PERSISTED, CUSTOM),
                Duration.ofSeconds(5), headers("c5"), () -> {
                    aggregator.onAcknowledgement(ack(CUSTOM, "c5", HttpStatus.OK));
                    return CompletableFuture.completedFuture(ack(PERSISTED, "c5", HttpStatus.CREATED));
                });
        assertThat(result.get(1, TimeUnit.SECONDS).status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aDuplicateCorrelationIdIsRefused() {
        aggregator.awaitAcks("c6", THING, labels(CUSTOM), Duration.ofSeconds(5), headers("c6"),
                () -> new CompletableFuture<>());
        CompletableFuture<AggregatedAcks> second = aggregator.awaitAcks("c6", THING, labels(CUSTOM),
                Duration.ofSeconds(5), headers("c6"), () -> new CompletableFuture<>());
        assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS)).hasMessageContaining("c6");
    }
}
