package io.plantmesh.devices.simulator.degradation;

import java.time.Duration;
import java.util.Objects;

/**
 * Switches a machine from the classic fault model (exponential faults with a generic vibration and temperature drift
 * before each) to degradation modes with realistic signals and nuisances. Off by default ({@link #OFF}): the machines
 * then behave exactly as before.
 *
 * <p>With degradation on, per machine:
 * <ul>
 *     <li>a degradation episode of one of the type's {@link DegradationMode}s starts after an exponential time with
 *     mean {@code meanTimeToOnset} (counted from the end of the last repair or maintenance) and ends in a failure
 *     after a log-normal duration around the mode's mean, unless maintenance comes first;</li>
 *     <li>sudden faults of the type's other failure modes come without warning, exponential with mean
 *     {@code profile MTBF * suddenMtbfFactor} of up time;</li>
 *     <li>the machine reports its program (operating regime), spindle load and hydraulic pressure where it has them;
 *     each program has its own normal load and cycle time;</li>
 *     <li>a machine started cold (not running for {@code coldAfter}) runs with more vibration and load for the first
 *     minutes ({@code warmUp} time constant);</li>
 *     <li>a sample shows a sensor glitch (one value zero or several times too high) with {@code glitchProbability};
 *     sensor noise is {@code noise} (relative) on vibration, power and load.</li>
 * </ul>
 *
 * @param enabled false: the classic model, everything else here is ignored
 * @param meanTimeToOnset mean time from the end of a repair or maintenance to the next degradation onset
 * @param durationSpread sigma of the log-normal factor on a mode's mean duration
 * @param suddenMtbfFactor sudden faults have a mean time between them of the profile's MTBF times this
 * @param noise relative standard deviation of the sensor noise on vibration, power and spindle load
 * @param glitchProbability probability that one sampled value is a glitch
 * @param warmUp time constant of the extra vibration and load after a cold start
 * @param coldAfter a machine that has not run for this long starts cold
 */
public record DegradationSettings(boolean enabled, Duration meanTimeToOnset, double durationSpread,
        double suddenMtbfFactor, double noise, double glitchProbability, Duration warmUp, Duration coldAfter) {

    /** The classic fault model. */
    public static final DegradationSettings OFF = new DegradationSettings(false, Duration.ofHours(96), 0.35, 4.0,
            0.03, 0.002, Duration.ofMinutes(10), Duration.ofHours(2));

    public DegradationSettings {
        Objects.requireNonNull(meanTimeToOnset, "meanTimeToOnset");
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(coldAfter, "coldAfter");
        final boolean valid = !meanTimeToOnset.isNegative() && !meanTimeToOnset.isZero() && durationSpread >= 0
                && suddenMtbfFactor > 0 && noise >= 0 && glitchProbability >= 0 && glitchProbability < 1
                && !warmUp.isNegative() && !coldAfter.isNegative();
        if (!valid) {
            throw new IllegalArgumentException("degradation settings out of range: meanTimeToOnset="
                    + meanTimeToOnset + " (positive), durationSpread=" + durationSpread + " (>= 0), suddenMtbfFactor="
                    + suddenMtbfFactor + " (> 0), noise=" + noise + " (>= 0), glitchProbability=" + glitchProbability
                    + " (0..1), warmUp=" + warmUp + ", coldAfter=" + coldAfter + " (not negative)");
        }
    }

    /**
     * Degradation on: an onset every 96 h on average, sudden faults at a quarter of the classic rate, 3 % sensor
     * noise, one glitch in 500 samples, 10 min warm-up after 2 h without running.
     */
    public static DegradationSettings defaults() {
        return new DegradationSettings(true, OFF.meanTimeToOnset, OFF.durationSpread, OFF.suddenMtbfFactor, OFF.noise,
                OFF.glitchProbability, OFF.warmUp, OFF.coldAfter);
    }

    public DegradationSettings withMeanTimeToOnset(final Duration value) {
        return new DegradationSettings(enabled, value, durationSpread, suddenMtbfFactor, noise, glitchProbability,
                warmUp, coldAfter);
    }

    public DegradationSettings withSuddenMtbfFactor(final double value) {
        return new DegradationSettings(enabled, meanTimeToOnset, durationSpread, value, noise, glitchProbability,
                warmUp, coldAfter);
    }

    public DegradationSettings withNoise(final double value, final double glitches) {
        return new DegradationSettings(enabled, meanTimeToOnset, durationSpread, suddenMtbfFactor, value, glitches,
                warmUp, coldAfter);
    }
}
