package io.plantmesh.maintenance.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * What a machine showed at one moment, as the health model needs it: state (and since when), the program (operating
 * regime), the process values it reports and its counters.
 *
 * @param machineClass what kind of machine (its model attribute), for failure levels learned across machines; null if
 * unknown
 * @param program the running program or recipe; null if the machine does not report one
 * @param values process values by signal (only those the machine reports; never {@link Signal#SCRAP_RATE})
 * @param good good parts counter, null if unknown
 * @param scrap scrap parts counter, null if unknown
 * @param stateReason why the machine is in its state (e.g. the DOWN reason); null if none
 */
public record MachineSample(String machineId, String machineClass, Instant at, MachineState state, Instant stateSince,
        String stateReason, String program, Map<Signal, Double> values, Long good, Long scrap) {

    public MachineSample {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateSince, "stateSince");
        final Map<Signal, Double> copy = new EnumMap<>(Signal.class);
        if (values != null) {
            values.forEach((signal, value) -> {
                if (value != null && Double.isFinite(value)) {
                    copy.put(signal, value);
                }
            });
        }
        values = copy;
    }
}
