package io.plantmesh.maintenance.model;

import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.maintenance.eval.FleetRun;

/** Test access to the evaluation's snapshot-to-sample mapping. */
final class FleetRunAccess {

    private FleetRunAccess() {
    }

    static MachineSample sample(final MachineSnapshot snapshot) {
        return FleetRun.sampleOf(snapshot);
    }
}
