package io.plantmesh.maintenance.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.plantmesh.devices.simulator.degradation.DegradationMode;
import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;
import io.plantmesh.devices.simulator.machine.FaultRecord;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * The production side of a fleet run, from the simulator's ground truth: failures by mode, unplanned downtime (from
 * each fault to the end of its repair), planned maintenance time, good parts and production efficiency (good parts
 * against what the machines could make at their nominal cycle time over the whole period).
 */
public record FleetOutcome(List<EvaluationMetrics.Failure> degradationFailures, int suddenFaults,
        Map<String, Integer> failuresByMode, Map<String, Duration> downtimeByMode, Duration unplannedDowntime,
        Duration plannedMaintenance, int maintenances, int maintenancesDuringEpisode, long goodParts,
        double possibleParts, int episodesMaintained) {

    /** Key of sudden faults in the per-mode maps. */
    public static final String SUDDEN = "SUDDEN";

    /** Production efficiency: good parts / parts possible at nominal cycle time. */
    public double efficiency() {
        return possibleParts == 0 ? 0 : goodParts / possibleParts;
    }

    public static FleetOutcome of(final FleetRun.Outcome run) {
        final List<EvaluationMetrics.Failure> failures = new ArrayList<>();
        final Map<String, Integer> byMode = new LinkedHashMap<>();
        final Map<String, Duration> downtime = new LinkedHashMap<>();
        for (final DegradationMode mode : DegradationMode.values()) {
            byMode.put(mode.name(), 0);
            downtime.put(mode.name(), Duration.ZERO);
        }
        byMode.put(SUDDEN, 0);
        downtime.put(SUDDEN, Duration.ZERO);
        int sudden = 0;
        Duration unplanned = Duration.ZERO;
        Duration planned = Duration.ZERO;
        int maintenances = 0;
        int during = 0;
        int maintained = 0;
        long good = 0;
        double possible = 0;
        final double seconds = Duration.between(run.start(), run.end()).toSeconds();
        for (final SimulatedMachine machine : run.machines()) {
            final Map<Instant, String> modeAt = new LinkedHashMap<>();
            for (final GroundTruthEvent event : machine.groundTruth()) {
                if (event instanceof GroundTruthEvent.EpisodeEnded e) {
                    if (e.outcome() == GroundTruthEvent.Outcome.FAILED) {
                        failures.add(new EvaluationMetrics.Failure(e.machineId(), e.at(), e.episode().mode().name()));
                        modeAt.put(e.at(), e.episode().mode().name());
                    } else {
                        maintained++;
                    }
                } else if (event instanceof GroundTruthEvent.SuddenFault) {
                    sudden++;
                } else if (event instanceof GroundTruthEvent.Maintenance m) {
                    maintenances++;
                    during += m.duringEpisode() ? 1 : 0;
                    planned = planned.plus(Duration.between(m.at(), m.end().isAfter(run.end()) ? run.end()
                            : m.end()));
                }
            }
            for (final FaultRecord fault : machine.faultLog()) {
                final Instant back = fault.repairedAt() == null || fault.repairedAt().isAfter(run.end()) ? run.end()
                        : fault.repairedAt();
                final Duration down = Duration.between(fault.failedAt(), back);
                final String mode = modeAt.getOrDefault(fault.failedAt(), SUDDEN);
                byMode.merge(mode, 1, Integer::sum);
                downtime.merge(mode, down, Duration::plus);
                unplanned = unplanned.plus(down);
            }
            good += machine.snapshot().good();
            possible += seconds / machine.profile().nominalCycle().toSeconds();
        }
        return new FleetOutcome(List.copyOf(failures), sudden, byMode, downtime, unplanned, planned, maintenances,
                during, good, possible, maintained);
    }
}
