package io.plantmesh.devices.simulator.degradation;

import java.time.Instant;

import io.plantmesh.devices.simulator.machine.FailureMode;
import io.plantmesh.devices.simulator.machine.MachineType;

/**
 * What really happened on a machine, for evaluating predictive maintenance ({@link GroundTruthFile} writes it as
 * JSON lines). Never written to a twin.
 */
public sealed interface GroundTruthEvent {

    String machineId();

    /** When it happened. */
    Instant at();

    /** How a degradation episode ended. */
    enum Outcome {
        /** the machine went DOWN with the episode's failure */
        FAILED,
        /** maintenance after the onset reset the wear before the failure */
        MAINTAINED
    }

    /**
     * A degradation episode ended at {@code at}: in its failure, or by maintenance after its onset.
     *
     * @param episode onset, planned failure time, mode
     */
    record EpisodeEnded(String machineId, MachineType type, DegradationEpisode episode, Outcome outcome, Instant at)
            implements GroundTruthEvent {
    }

    /** A failure without precursor at {@code at}. */
    record SuddenFault(String machineId, MachineType type, FailureMode failure, Instant at)
            implements GroundTruthEvent {
    }

    /**
     * Planned maintenance from {@code at} to {@code end}. @param duringEpisode true if it came after the onset of an
     * episode (it then also ends the episode, see {@link EpisodeEnded}); false: the machine had no wear yet
     */
    record Maintenance(String machineId, MachineType type, Instant at, Instant end, String reason,
            boolean duringEpisode) implements GroundTruthEvent {
    }
}
