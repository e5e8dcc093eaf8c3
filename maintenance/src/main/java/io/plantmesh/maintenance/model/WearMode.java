package io.plantmesh.maintenance.model;

import java.util.List;
import java.util.Map;

/**
 * A degradation mode the health model recognises by its signature: which signals move, in which direction, and which
 * signal measures how far the wear has progressed (with a fallback for machines that do not report it).
 */
public enum WearMode {

    /** Vibration and temperature rise. */
    BEARING_WEAR(Map.of(Signal.VIBRATION, 1.0, Signal.TEMPERATURE, 0.5), List.of(Signal.VIBRATION)),

    /** Spindle load, power and scrap rise. */
    TOOL_WEAR(Map.of(Signal.SPINDLE_LOAD, 1.0, Signal.POWER, 0.6, Signal.SCRAP_RATE, 0.5),
            List.of(Signal.SPINDLE_LOAD, Signal.POWER)),

    /** Hydraulic pressure falls (negative weight), cycle time stretches. */
    HYDRAULIC_LEAK(Map.of(Signal.HYDRAULIC_PRESSURE, -1.0, Signal.CYCLE_TIME, 0.6),
            List.of(Signal.HYDRAULIC_PRESSURE, Signal.CYCLE_TIME));

    private final Map<Signal, Double> signature;
    private final List<Signal> progressionSignals;

    WearMode(final Map<Signal, Double> signature, final List<Signal> progressionSignals) {
        this.signature = signature;
        this.progressionSignals = progressionSignals;
    }

    /** Signal to weight; the sign is the direction the signal moves in this mode. */
    public Map<Signal, Double> signature() {
        return signature;
    }

    /** The signals that measure progression, preferred first. */
    public List<Signal> progressionSignals() {
        return progressionSignals;
    }

    /** +1 if the signal rises in this mode, -1 if it falls, 0 if it is not part of the signature. */
    public double direction(final Signal signal) {
        final Double weight = signature.get(signal);
        return weight == null ? 0 : Math.signum(weight);
    }
}
