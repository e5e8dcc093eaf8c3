package io.plantmesh.devices.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.twin.model.PlantThingIds;

/**
 * Which machines stand where, and which of them speak MQTT instead of OPC-UA.
 *
 * <p>{@link #demo} reproduces the launcher's demo plant ({@code launcher/.../demo/DemoPlant}): the same seed gives the
 * same machine roles and the same MQTT-only positions, because it draws from {@code java.util.Random(seed)} in the same
 * order (per line: shuffle the positions, the first {@code mqttPerLine} are MQTT; then one role per position). Keep the
 * two in step, or better, let the launcher pass its machines explicitly ({@link SimulatorConfig.Builder#machines}).
 */
public final class FloorLayout {

    /** The roles each demo line is equipped with, in the launcher's catalogue order. */
    static final List<List<String>> DEMO_LINE_ROLES = List.of(
            List.of("Machining centre", "Machining centre", "Machining centre", "Machining centre", "5-axis centre",
                    "Machining centre"),
            List.of("CNC lathe", "CNC lathe", "CNC lathe", "Turn-mill centre", "Multi-spindle lathe"),
            List.of("Laser cutter", "Press brake", "Welding robot cell", "Welding robot cell",
                    "Welding power source"),
            List.of("Injection moulding machine", "Injection moulding machine", "Injection moulding machine",
                    "Injection moulding machine", "Granulate dryer"),
            List.of("Press-fit station", "Tightening station", "Vision inspection", "Leak tester",
                    "Handling module"));

    private FloorLayout() {
    }

    /**
     * The demo floor: {@code lines} lines of {@code machinesPerLine} machines, {@code mqttPerLine} of them per line
     * MQTT-only, ids {@code <plant>:machine-<line>-<nn>}, keys {@code L<line>M<nn>}. Lines beyond the fifth reuse the
     * catalogue from the start.
     */
    public static List<MachineSpec> demo(final String plant, final long seed, final int lines,
            final int machinesPerLine, final int mqttPerLine) {
        final boolean valid = lines >= 1 && machinesPerLine >= 1 && mqttPerLine >= 0
                && mqttPerLine <= machinesPerLine;
        if (!valid) {
            throw new IllegalArgumentException("need at least 1 line of at least 1 machine and 0.." + machinesPerLine
                    + " MQTT machines per line: lines=" + lines + ", machinesPerLine=" + machinesPerLine
                    + ", mqttPerLine=" + mqttPerLine);
        }
        final Random random = new Random(seed);
        final List<MachineSpec> specs = new ArrayList<>();
        for (int line = 1; line <= lines; line++) {
            final List<String> roles = DEMO_LINE_ROLES.get((line - 1) % DEMO_LINE_ROLES.size());
            final List<Integer> positions = new ArrayList<>();
            for (int p = 1; p <= machinesPerLine; p++) {
                positions.add(p);
            }
            Collections.shuffle(positions, random);
            final List<Integer> mqttPositions = positions.subList(0, mqttPerLine);
            for (int position = 1; position <= machinesPerLine; position++) {
                final String role = roles.get(random.nextInt(roles.size()));
                final String id = PlantThingIds.machine(plant, line, position).toString();
                final DeviceProtocol protocol = mqttPositions.contains(position) ? DeviceProtocol.MQTT
                        : DeviceProtocol.OPC_UA;
                specs.add(new MachineSpec(id, MachineSpec.keyOf(line, position), line, position,
                        MachineType.forRole(role), String.format("%s %d-%02d", role, line, position), protocol));
            }
        }
        return List.copyOf(specs);
    }
}
