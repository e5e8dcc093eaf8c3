package io.plantmesh.devices.simulator.machine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The nominal behaviour of one machine: production (cycle time, scrap, setup), reliability (MTBF, MTTR, failure
 * modes) and process values per state, with the size of the drift that precedes a failure. Every machine type has a
 * default profile ({@link MachineType#profile()}); tests and scenarios shorten MTBF or MTTR with the {@code with...}
 * methods.
 *
 * @param nominalCycle mean time to make one part while RUNNING
 * @param cycleVariation coefficient of variation of the cycle time (cycle times are bounded to 0.8..1.3 x nominal)
 * @param scrapRate probability that a finished part is scrap, outside the drift window
 * @param setupTime mean changeover time (SETUP) before a new job runs
 * @param mtbf mean time between failures, counted while the machine is up (not DOWN, not in MAINTENANCE)
 * @param mttr mean time to repair, from the fault until the machine is IDLE again
 * @param spindleRpm spindle speed while RUNNING; 0 for machines without a spindle
 * @param temperatureRunning temperature the machine settles at while RUNNING, °C
 * @param temperatureIdle temperature it settles at while IDLE or in SETUP, °C
 * @param vibrationRunning vibration velocity RMS while RUNNING, mm/s
 * @param vibrationIdle vibration velocity RMS while IDLE, mm/s
 * @param powerRunning electrical power while RUNNING, kW
 * @param powerIdle electrical power while IDLE (stand-by), kW
 * @param vibrationDriftGain extra vibration at the moment of failure, as a multiple of {@code vibrationRunning}
 * @param temperatureDriftRise extra temperature at the moment of failure, °C
 * @param failureModes what can break, drawn uniformly
 */
public record MachineProfile(Duration nominalCycle, double cycleVariation, double scrapRate, Duration setupTime,
        Duration mtbf, Duration mttr, double spindleRpm, double temperatureRunning, double temperatureIdle,
        double vibrationRunning, double vibrationIdle, double powerRunning, double powerIdle,
        double vibrationDriftGain, double temperatureDriftRise, List<FailureMode> failureModes) {

    public MachineProfile {
        Objects.requireNonNull(nominalCycle, "nominalCycle");
        Objects.requireNonNull(setupTime, "setupTime");
        Objects.requireNonNull(mtbf, "mtbf");
        Objects.requireNonNull(mttr, "mttr");
        failureModes = List.copyOf(failureModes);
        final boolean positive = !nominalCycle.isNegative() && !nominalCycle.isZero() && !mtbf.isNegative()
                && !mtbf.isZero() && !mttr.isNegative() && !mttr.isZero();
        if (!positive) {
            throw new IllegalArgumentException("nominal cycle, MTBF and MTTR must be positive: cycle=" + nominalCycle
                    + ", mtbf=" + mtbf + ", mttr=" + mttr);
        }
        final boolean validScrap = scrapRate >= 0 && scrapRate < 1;
        if (!validScrap) {
            throw new IllegalArgumentException("scrap rate must be in [0, 1): " + scrapRate);
        }
        if (failureModes.isEmpty()) {
            throw new IllegalArgumentException("a machine profile needs at least one failure mode");
        }
    }

    public MachineProfile withMtbf(final Duration newMtbf) {
        return new MachineProfile(nominalCycle, cycleVariation, scrapRate, setupTime, newMtbf, mttr, spindleRpm,
                temperatureRunning, temperatureIdle, vibrationRunning, vibrationIdle, powerRunning, powerIdle,
                vibrationDriftGain, temperatureDriftRise, failureModes);
    }

    public MachineProfile withMttr(final Duration newMttr) {
        return new MachineProfile(nominalCycle, cycleVariation, scrapRate, setupTime, mtbf, newMttr, spindleRpm,
                temperatureRunning, temperatureIdle, vibrationRunning, vibrationIdle, powerRunning, powerIdle,
                vibrationDriftGain, temperatureDriftRise, failureModes);
    }

    public MachineProfile withSetupTime(final Duration newSetupTime) {
        return new MachineProfile(nominalCycle, cycleVariation, scrapRate, newSetupTime, mtbf, mttr, spindleRpm,
                temperatureRunning, temperatureIdle, vibrationRunning, vibrationIdle, powerRunning, powerIdle,
                vibrationDriftGain, temperatureDriftRise, failureModes);
    }

    public boolean hasSpindle() {
        return spindleRpm > 0;
    }
}
