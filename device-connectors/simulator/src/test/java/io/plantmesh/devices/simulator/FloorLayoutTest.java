package io.plantmesh.devices.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.plantmesh.devices.simulator.machine.MachineType;

class FloorLayoutTest {

    /**
     * The MQTT-only machines of the launcher's demo plant with seed 42, as {@code DemoPlant.generate("plant1", 42, ...)}
     * produced them when this module was written. If the launcher changes its draws, this fails: keep the two in step.
     */
    private static final List<String> LAUNCHER_MQTT_MACHINES_SEED_42 = List.of(
            "plant1:machine-1-03", "plant1:machine-1-05", "plant1:machine-1-07",
            "plant1:machine-2-01", "plant1:machine-2-03", "plant1:machine-2-07",
            "plant1:machine-3-01", "plant1:machine-3-02", "plant1:machine-3-09",
            "plant1:machine-4-02", "plant1:machine-4-08", "plant1:machine-4-09",
            "plant1:machine-5-02", "plant1:machine-5-03", "plant1:machine-5-06");

    @Test
    void theDefaultFloorIsTheLaunchersDemoPlant() {
        final List<MachineSpec> floor = FloorLayout.demo("plant1", 42, 5, 10, 3);

        assertThat(floor).hasSize(50);
        assertThat(floor.stream().filter(s -> s.protocol() == DeviceProtocol.MQTT).map(MachineSpec::machineId))
                .containsExactlyElementsOf(LAUNCHER_MQTT_MACHINES_SEED_42);
        final Map<Integer, Long> opcUaPerLine = floor.stream().filter(s -> s.protocol() == DeviceProtocol.OPC_UA)
                .collect(Collectors.groupingBy(MachineSpec::line, Collectors.counting()));
        assertThat(opcUaPerLine).containsOnly(Map.entry(1, 7L), Map.entry(2, 7L), Map.entry(3, 7L),
                Map.entry(4, 7L), Map.entry(5, 7L));

        final MachineSpec first = floor.get(0);
        assertThat(first.machineId()).isEqualTo("plant1:machine-1-01");
        assertThat(first.key()).isEqualTo("L1M01");
        assertThat(first.type()).isEqualTo(MachineType.CNC_MILL);
        // names and roles as the launcher drew them for seed 42
        assertThat(byId(floor, "plant1:machine-2-10").name()).isEqualTo("Turn-mill centre 2-10");
        assertThat(byId(floor, "plant1:machine-2-10").type()).isEqualTo(MachineType.LATHE);
        assertThat(byId(floor, "plant1:machine-3-07").name()).isEqualTo("Press brake 3-07");
        assertThat(byId(floor, "plant1:machine-3-07").type()).isEqualTo(MachineType.PRESS);
        assertThat(byId(floor, "plant1:machine-3-08").type()).isEqualTo(MachineType.LASER_CUTTER);
        assertThat(byId(floor, "plant1:machine-4-02").name()).isEqualTo("Granulate dryer 4-02");
        assertThat(byId(floor, "plant1:machine-5-09").name()).isEqualTo("Press-fit station 5-09");
        assertThat(byId(floor, "plant1:machine-5-10").key()).isEqualTo("L5M10");
    }

    @Test
    void anotherSeedMovesTheMqttMachines() {
        assertThat(FloorLayout.demo("plant1", 43, 5, 10, 3).stream()
                .filter(s -> s.protocol() == DeviceProtocol.MQTT).map(MachineSpec::machineId).toList())
                .isNotEqualTo(LAUNCHER_MQTT_MACHINES_SEED_42);
    }

    @Test
    void theDefaultConfigUsesTheDemoFloorAndPorts() {
        final SimulatorConfig config = SimulatorConfig.defaults(java.nio.file.Path.of("target", "unused-pki"));

        assertThat(config.layout()).isEqualTo(FloorLayout.demo("plant1", 42, 5, 10, 3));
        assertThat(config.opcUaFor(3).port()).isEqualTo(4843);
        assertThat(config.toBuilder().opcUaBasePort(0).build().opcUaFor(3).port()).isZero();
    }

    private static MachineSpec byId(final List<MachineSpec> floor, final String id) {
        return floor.stream().filter(s -> s.machineId().equals(id)).findFirst().orElseThrow();
    }
}
