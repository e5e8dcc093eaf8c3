package io.plantmesh.devices.simulator.degradation;

import java.util.List;

/**
 * The NC program or recipe a machine runs for a product: an operating regime with its own normal load and cycle time.
 * The machine reports its name ({@code P1}, {@code P2}, {@code P3}) in its telemetry, as a CNC reports its active
 * program number.
 *
 * @param load multiple of the nominal load (spindle load, power, hydraulic pressure, vibration scale with it)
 * @param cycle multiple of the nominal cycle time
 */
public record OperatingProgram(String name, double load, double cycle) {

    /** The programs every machine type runs: light, standard and heavy products. */
    public static final List<OperatingProgram> STANDARD = List.of(
            new OperatingProgram("P1", 0.75, 0.85),
            new OperatingProgram("P2", 1.0, 1.0),
            new OperatingProgram("P3", 1.3, 1.2));

    /** The program of a work order: a stable choice by the work order's name, the same on every JVM. */
    public static OperatingProgram forWorkOrder(final String workOrder) {
        final int hash = workOrder == null ? 0 : workOrder.hashCode();
        return STANDARD.get(Math.floorMod(hash * 31 + 7, STANDARD.size()));
    }
}
