package io.plantmesh.twin.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlMessageTest {

    @Test
    void parsesCommandAndDecodedParameters() {
        ControlMessage m = ControlMessage.parse("START-SEND-EVENTS?namespaces=a,b&filter=gt(attributes%2Fx%2C5)"
                + "&extraFields=attributes%2Fy&correlation-id=c1").orElseThrow();
        assertThat(m.stream()).contains(ControlMessage.Stream.EVENTS);
        assertThat(m.isStart()).isTrue();
        assertThat(m.param("filter")).contains("gt(attributes/x,5)");
        assertThat(m.param("namespaces")).contains("a,b");
        assertThat(m.param("correlation-id")).contains("c1");
        assertThat(m.ack()).isEqualTo("START-SEND-EVENTS:ACK");
    }

    @Test
    void knowsEveryStreamAndJwtRefresh() {
        assertThat(ControlMessage.parse("STOP-SEND-LIVE-COMMANDS").orElseThrow().stream())
                .contains(ControlMessage.Stream.LIVE_COMMANDS);
        assertThat(ControlMessage.parse("START-SEND-POLICY-ANNOUNCEMENTS").orElseThrow().stream())
                .contains(ControlMessage.Stream.POLICY_ANNOUNCEMENTS);
        assertThat(ControlMessage.parse("JWT-TOKEN?jwtToken=abc").orElseThrow().isJwtRefresh()).isTrue();
        assertThat(ControlMessage.parse("START-SEND-NONSENSE")).isEmpty();
        assertThat(ControlMessage.parse("hello")).isEmpty();
    }
}
