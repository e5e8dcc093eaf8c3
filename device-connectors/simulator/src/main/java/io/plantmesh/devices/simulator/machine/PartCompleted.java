package io.plantmesh.devices.simulator.machine;

import java.time.Instant;

/** A part came off the machine at plant time {@code at}, good or scrap, after {@code cycleTimeMs}. */
public record PartCompleted(String machineId, Instant at, boolean good, double cycleTimeMs) {
}
