package io.plantmesh.devices.simulator.degradation;

import java.time.Duration;

/**
 * A way a machine wears out towards a failure, with the signals it shows on the way. A mode starts at a random onset
 * and its level rises from 0 at the onset to {@code severity} at the failure as {@code p^exponent} ({@code p} =
 * progress through the episode): slowly, then faster. Without maintenance before the failure the machine goes DOWN
 * with the failure code of its type.
 */
public enum DegradationMode {

    /**
     * A rolling bearing (spindle, axis drive, conveyor, gearbox) wears: vibration velocity RMS rises (at the failure
     * it is {@code 1 + vibrationDriftGain * severity} times its normal level), the body runs hotter, power rises a
     * little.
     */
    BEARING_WEAR("bearing wear: vibration and temperature rise", Duration.ofHours(20)),

    /**
     * A cutting tool wears: spindle load rises (up to +70 % of its normal level at the failure), power with it, and
     * more parts are scrap (up to 7 times the normal scrap rate).
     */
    TOOL_WEAR("tool wear: spindle load and scrap rate rise", Duration.ofHours(12)),

    /**
     * A hydraulic circuit leaks: system pressure falls (down to about 65 % of its set point at the failure), cycles
     * stretch (up to 30 % longer), the oil runs a little hotter.
     */
    HYDRAULIC_LEAK("hydraulic leak: pressure falls, cycle time stretches", Duration.ofHours(16));

    private final String description;
    private final Duration meanDuration;

    DegradationMode(final String description, final Duration meanDuration) {
        this.description = description;
        this.meanDuration = meanDuration;
    }

    public String description() {
        return description;
    }

    /** Mean time from the onset to the failure (the drawn duration is log-normal around it). */
    public Duration meanDuration() {
        return meanDuration;
    }
}
