package io.plantmesh.devices.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HonoTopicsTest {

    @Test
    void gatewayTopicsCarryTheDeviceAndAnEncodedContentType() {
        assertThat(HonoTopics.telemetry("plant1:machine-1-01", "application/vnd.plantmesh.machine+json"))
                .isEqualTo("telemetry//plant1:machine-1-01/?content-type=application%2Fvnd.plantmesh.machine%2Bjson");
        assertThat(HonoTopics.event("plant1:machine-1-01", "application/vnd.plantmesh.alarm+json"))
                .isEqualTo("event//plant1:machine-1-01/?content-type=application%2Fvnd.plantmesh.alarm%2Bjson");
        assertThat(HonoTopics.commandResponse("plant1:machine-1-01", "42", 200))
                .isEqualTo("command//plant1:machine-1-01/res/42/200");
    }

    @Test
    void parsesRequestResponseAndOneWayCommands() {
        final CommandRequest request = HonoTopics.parseCommand("command//plant1:machine-1-01/req/42/startJob",
                new byte[0]).orElseThrow();
        assertThat(request.deviceId()).isEqualTo("plant1:machine-1-01");
        assertThat(request.requestId()).isEqualTo("42");
        assertThat(request.command()).isEqualTo("startJob");
        assertThat(request.oneWay()).isFalse();
        assertThat(HonoTopics.parseCommand("command//plant1:machine-1-01/req//stopJob", null).orElseThrow().oneWay())
                .isTrue();
        assertThat(HonoTopics.parseCommand("c/plant1/plant1:machine-1-01/q/7/holdJob", null)).isPresent();
        assertThat(HonoTopics.parseCommand("command///req/42/startJob", null)).as("no device").isEmpty();
        assertThat(HonoTopics.parseCommand("telemetry//x", null)).isEmpty();
    }
}
