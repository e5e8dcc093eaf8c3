package io.plantmesh.devices.ingress.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void anyCorrelationIdFitsInOneTopicLevelAndMapsBack() {
        String correlationId = "ditto/corr+id#1:ä";
        String requestId = RequestIds.fromCorrelationId(correlationId);
        assertThat(requestId).matches("[A-Za-z0-9_-]+");
        assertThat(RequestIds.toCorrelationId(requestId)).contains(correlationId);
    }

    @Test
    void foreignRequestIdsAreRejected() {
        assertThat(RequestIds.toCorrelationId("")).isEmpty();
        assertThat(RequestIds.toCorrelationId("not base64!")).isEmpty();
    }
}
