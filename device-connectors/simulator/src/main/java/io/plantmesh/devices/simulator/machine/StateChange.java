package io.plantmesh.devices.simulator.machine;

import java.time.Instant;

import io.plantmesh.twin.model.machine.MachineState;

/** A machine moved from one state to another at plant time {@code at}; {@code reason} may be null. */
public record StateChange(String machineId, MachineState from, MachineState to, Instant at, String reason) {
}
