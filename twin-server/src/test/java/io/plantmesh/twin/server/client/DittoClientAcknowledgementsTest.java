package io.plantmesh.twin.server.client;

import static io.plantmesh.twin.server.client.DittoClients24.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.management.AcknowledgementsFailedException;
import org.eclipse.ditto.client.options.Option;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/**
 * Acknowledgements with the Ditto Java client 2.4: {@code twin-persisted}, and a custom label declared and issued
 * by a subscribing client, aggregated by the server (200 all fine, 424 one failed, 408 one missing).
 */
class DittoClientAcknowledgementsTest {

    private static final ThingId THING = ThingId.of("plant.acks:mixer-1");
    private static final AcknowledgementLabel AUDIT = AcknowledgementLabel.of("plant-audit");

    private static RunningTwinServer server;
    private static DittoClient requester;
    private static DittoClient auditor;
    private static final List<Long> audited = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        requester = DittoClients24.connect(server, "ditto", "ditto");
        auditor = DittoClients24.connect(server, "ditto", "ditto", AUDIT.toString());
        await(requester.twin().create(THING));
        auditor.twin().registerForAttributeChanges("audit", "level", change ->
                change.handleAcknowledgementRequest(AUDIT, handle -> {
                    long level = change.getValue().map(JsonValue::asLong).orElse(-1L);
                    audited.add(level);
                    if (level < 0) {
                        handle.acknowledge(HttpStatus.INTERNAL_SERVER_ERROR, JsonValue.of("negative level"));
                    } else {
                        handle.acknowledge(HttpStatus.OK, JsonValue.of("stored " + level));
                    }
                }));
        await(auditor.twin().startConsumption());
    }

    @AfterAll
    static void stop() {
        if (requester != null) requester.destroy();
        if (auditor != null) auditor.destroy();
        if (server != null) server.close();
    }

    private static Option<DittoHeaders> acks(String timeout, AcknowledgementLabel... labels) {
        return Options.headers(DittoHeaders.newBuilder().timeout(timeout)
                .acknowledgementRequests(java.util.Arrays.stream(labels).map(AcknowledgementRequest::of).toList())
                .build());
    }

    @Test
    void twinPersistedIsTheNormalResponse() {
        await(requester.twin().forId(THING).putAttribute("persisted", 1,
                acks("5s", DittoAcknowledgementLabel.TWIN_PERSISTED)));
        assertThat(await(requester.twin().forId(THING).retrieve()).getAttributes().orElseThrow()
                .getValue("persisted")).contains(JsonValue.of(1));
    }

    @Test
    void customAcknowledgementIssuedBySubscriberCompletesTheRequest() {
        await(requester.twin().forId(THING).putAttribute("level", 42,
                acks("5s", DittoAcknowledgementLabel.TWIN_PERSISTED, AUDIT)));
        assertThat(audited).contains(42L);
    }

    @Test
    void failedCustomAcknowledgementFailsTheRequestWith424() {
        assertThatThrownBy(() -> await(requester.twin().forId(THING).putAttribute("level", -1,
                acks("5s", DittoAcknowledgementLabel.TWIN_PERSISTED, AUDIT))))
                .isInstanceOfSatisfying(AcknowledgementsFailedException.class, e -> {
                    assertThat(e.getAcknowledgements().getHttpStatus()).isEqualTo(HttpStatus.FAILED_DEPENDENCY);
                    Acknowledgement audit = e.getAcknowledgements().getAcknowledgement(AUDIT).orElseThrow();
                    assertThat(audit.getHttpStatus()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
                    assertThat(audit.getEntity()).contains(JsonValue.of("negative level"));
                    assertThat(e.getAcknowledgements().getAcknowledgement(DittoAcknowledgementLabel.TWIN_PERSISTED)
                            .orElseThrow().getHttpStatus().isSuccess()).isTrue();
                });
    }

    @Test
    void missingAcknowledgementTimesOutWith408() {
        AcknowledgementLabel nobody = AcknowledgementLabel.of("nobody-declared-this");
        assertThatThrownBy(() -> await(requester.twin().forId(THING).putAttribute("other", 1,
                acks("1s", DittoAcknowledgementLabel.TWIN_PERSISTED, nobody))))
                .isInstanceOfSatisfying(AcknowledgementsFailedException.class, e -> {
                    assertThat(e.getAcknowledgements().getHttpStatus()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
                    Acknowledgement missing = e.getAcknowledgements().getAcknowledgement(nobody).orElseThrow();
                    assertThat(missing.getHttpStatus()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
                    assertThat(missing.getEntity().orElseThrow().asObject().getValue("error"))
                            .contains(JsonValue.of("acknowledgement:request.timeout"));
                });
    }
}
