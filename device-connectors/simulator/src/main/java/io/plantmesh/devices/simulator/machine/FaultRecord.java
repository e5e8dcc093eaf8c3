package io.plantmesh.devices.simulator.machine;

import java.time.Duration;
import java.time.Instant;

/**
 * Ground truth of one failure, for evaluating predictive maintenance. Never written to a twin.
 *
 * @param lifeStart when the machine came back from its previous repair (or the simulation started)
 * @param driftOnset when vibration and temperature started to drift towards the failure
 * @param failedAt when the machine went DOWN
 * @param repairedAt when it was IDLE again; null while the repair is still going on
 */
public record FaultRecord(String machineId, FailureMode mode, Instant lifeStart, Instant driftOnset,
        Instant failedAt, Instant repairedAt) {

    public boolean repaired() {
        return repairedAt != null;
    }

    /** Time from the fault to the end of the repair; null while still under repair. */
    public Duration repairTime() {
        return repairedAt == null ? null : Duration.between(failedAt, repairedAt);
    }

    FaultRecord repairedAt(final Instant at) {
        return new FaultRecord(machineId, mode, lifeStart, driftOnset, failedAt, at);
    }
}
