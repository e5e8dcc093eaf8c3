package io.plantmesh.devices.simulator.machine;

import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;

/**
 * Told about what happens on a machine, synchronously on the thread that advanced or commanded it and while the
 * machine is locked: implementations hand the news on (e.g. to a Vert.x context) and return at once.
 */
public interface MachineListener {

    default void stateChanged(final StateChange change) {
    }

    default void partCompleted(final PartCompleted part) {
    }

    /** Ground truth of degradation, sudden faults and planned maintenance (only with degradation on). */
    default void groundTruth(final GroundTruthEvent event) {
    }
}
