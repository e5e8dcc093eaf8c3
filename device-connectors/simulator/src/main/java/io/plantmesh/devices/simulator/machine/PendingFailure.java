package io.plantmesh.devices.simulator.machine;

import java.time.Instant;

/**
 * Ground truth of the failure a machine is heading for: which mode, when the drift starts and when it breaks down.
 * For evaluation only (how early did the maintenance service see it coming?); never written to a twin.
 */
public record PendingFailure(String machineId, FailureMode mode, Instant lifeStart, Instant driftOnset,
        Instant failureAt) {

    /** True when the machine is already in the drift window at {@code now}. */
    public boolean drifting(final Instant now) {
        return !now.isBefore(driftOnset);
    }
}
