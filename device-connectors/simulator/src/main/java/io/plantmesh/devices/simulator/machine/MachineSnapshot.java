package io.plantmesh.devices.simulator.machine;

import java.time.Instant;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * What a machine shows at plant time {@code at}: state, counters, the last cycle time, process values and the job.
 *
 * @param lastCycleTimeMs null before the first part
 * @param spindleSpeed rpm (0 for machines without a spindle)
 * @param temperature °C
 * @param vibration velocity RMS, mm/s
 * @param power kW
 * @param job null when the machine has no job
 * @param jobHeld true when the job is assigned but held (the machine waits for a StartJob to resume it)
 * @param spindleLoad % of rated spindle load; null unless degradation is on and the machine has a spindle
 * @param hydraulicPressure bar; null unless degradation is on and the machine has hydraulics
 * @param program the program (operating regime) of the job, e.g. P2; null without a job or without degradation
 */
public record MachineSnapshot(String machineId, String key, MachineType type, Instant at, MachineState state,
        Instant stateSince, String stateReason, long good, long scrap, Double lastCycleTimeMs, double spindleSpeed,
        double temperature, double vibration, double power, JobAssignment job, boolean jobHeld, Double spindleLoad,
        Double hydraulicPressure, String program) {

    /** {@code <workOrder>/<operation>}, or the empty string without a job. */
    public String jobId() {
        return job == null ? "" : job.jobId();
    }
}
