package io.plantmesh.devices.ingress.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicAddressTest {

    @Test
    void keepsEmptyLevels() {
        TopicAddress address = TopicAddress.parse("telemetry//plant1:machine-1-03").orElseThrow();
        assertThat(address.endpoint()).isEqualTo("telemetry");
        assertThat(address.tenant()).isEmpty();
        assertThat(address.resource()).isEqualTo("plant1:machine-1-03");
        assertThat(address.length()).isEqualTo(3);
        assertThat(TopicAddress.parse("command///res/abc/200").orElseThrow().segment(4)).isEqualTo("abc");
    }

    @Test
    void refusesEmptyTopicsAndLeadingSlash() {
        assertThat(TopicAddress.parse("")).isEmpty();
        assertThat(TopicAddress.parse("/t")).isEmpty();
    }
}
