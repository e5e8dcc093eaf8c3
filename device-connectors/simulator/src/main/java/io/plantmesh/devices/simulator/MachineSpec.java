package io.plantmesh.devices.simulator;

import java.util.Objects;

import io.plantmesh.devices.simulator.machine.MachineType;

/**
 * One machine of the simulated floor.
 *
 * @param machineId thing id and Hono device id, e.g. {@code plant1:machine-1-03}
 * @param key PLC key and OPC-UA folder name, e.g. {@code L1M03}
 * @param line line number, 1..
 * @param position position on the line, 1..
 * @param type what is simulated
 * @param name shop-floor name, e.g. {@code Machining centre 1-03}
 * @param protocol OPC-UA (served by the line's server) or MQTT (an MQTT device of its own)
 */
public record MachineSpec(String machineId, String key, int line, int position, MachineType type, String name,
        DeviceProtocol protocol) {

    public MachineSpec {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(protocol, "protocol");
        name = name == null ? key : name;
        final boolean validPlace = line >= 1 && position >= 1;
        if (!validPlace) {
            throw new IllegalArgumentException("line and position start at 1: line=" + line + ", position="
                    + position + " for " + machineId);
        }
    }

    /** {@code L<line>M<nn>}, the key the demo plant uses in OPC-UA node ids. */
    public static String keyOf(final int line, final int position) {
        return String.format("L%dM%02d", line, position);
    }
}
