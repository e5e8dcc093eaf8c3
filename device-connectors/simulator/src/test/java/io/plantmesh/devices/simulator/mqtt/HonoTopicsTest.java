package io.plantmesh.devices.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.devices.simulator.machine.StateChange;
import io.plantmesh.twin.model.machine.MachineState;

class HonoTopicsTest {

    @Test
    void topicsFollowHonosDeviceApi() {
        assertThat(HonoTopics.telemetry(HonoTopics.MACHINE_CONTENT_TYPE))
                .isEqualTo("telemetry/?content-type=application%2Fvnd.plantmesh.machine%2Bjson");
        assertThat(HonoTopics.event(HonoTopics.MACHINE_CONTENT_TYPE))
                .isEqualTo("event/?content-type=application%2Fvnd.plantmesh.machine%2Bjson");
        assertThat(HonoTopics.response("0a1b", 409)).isEqualTo("command///res/0a1b/409");
        assertThat(HonoTopics.username("plant1:machine-1-08", "plant1")).isEqualTo("plant1_machine-1-08@plant1");
    }

    @Test
    void commandTopicsAreParsed() {
        assertThat(HonoTopics.parseCommand("command///req/1010abc/startJob"))
                .contains(new HonoTopics.CommandRequest("1010abc", "startJob"));
        assertThat(HonoTopics.parseCommand("c///q/7/stopJob")).contains(new HonoTopics.CommandRequest("7", "stopJob"));
        assertThat(HonoTopics.parseCommand("command///req//holdJob")).hasValueSatisfying(r ->
                assertThat(r.oneWay()).isTrue());
        assertThat(HonoTopics.parseCommand("command///res/1/200")).isEmpty();
        assertThat(HonoTopics.parseCommand("telemetry")).isEmpty();
        assertThat(HonoTopics.parseCommand("command///req/1/")).isEmpty();
    }

    @Test
    void machinePayloadsCarryFeaturePropertiesAndStaySmall() {
        final SimulatedMachine machine = SimulatedMachine.create("plant1:machine-1-08", "L1M08",
                MachineType.CNC_MILL, 1, Instant.parse("2026-11-26T08:00:00Z"));
        machine.startJob("plant1:wo-100001", "0010-a-rather-long-operation-name-to-make-the-payload-grow");
        machine.advance(Duration.ofHours(2));
        final MachineSnapshot snapshot = machine.snapshot();

        final Buffer telemetry = MachinePayloads.telemetry(snapshot);
        final JsonObject json = telemetry.toJsonObject();

        assertThat(telemetry.length()).isLessThan(HonoTopics.MAX_PAYLOAD_BYTES);
        assertThat(json.getLong("ts")).isEqualTo(snapshot.at().toEpochMilli());
        final JsonObject features = json.getJsonObject("features");
        assertThat(features.getJsonObject("telemetry").getDouble("spindleSpeed")).isEqualTo(snapshot.spindleSpeed());
        assertThat(features.getJsonObject("telemetry").getDouble("temperature")).isEqualTo(snapshot.temperature());
        assertThat(features.getJsonObject("counters").getLong("good")).isEqualTo(snapshot.good());
        assertThat(features.getJsonObject("state").getString("state")).isEqualTo(snapshot.state().name());
        assertThat(features.getJsonObject("job").getString("workOrder")).isEqualTo("plant1:wo-100001");

        final StateChange change = new StateChange(snapshot.machineId(), MachineState.RUNNING, MachineState.DOWN,
                snapshot.at(), "SPINDLE_BEARING: spindle bearing worn, vibration limit exceeded");
        final JsonObject event = MachinePayloads.stateChanged(change, snapshot).toJsonObject();
        assertThat(event.getJsonObject("features").getJsonObject("state").getString("state")).isEqualTo("DOWN");
        assertThat(event.getJsonObject("features").getJsonObject("state").getString("reason"))
                .startsWith("SPINDLE_BEARING");
    }

    @Test
    void machinesWithoutSpindleSendNoSpindleSpeed() {
        final SimulatedMachine press = SimulatedMachine.create("plant1:machine-3-07", "L3M07", MachineType.PRESS, 1,
                Instant.parse("2026-11-26T08:00:00Z"));
        final JsonObject telemetry = MachinePayloads.telemetry(press.snapshot()).toJsonObject()
                .getJsonObject("features").getJsonObject("telemetry");
        assertThat(telemetry.containsKey("spindleSpeed")).isFalse();
        assertThat(telemetry.containsKey("power")).isTrue();
    }
}
