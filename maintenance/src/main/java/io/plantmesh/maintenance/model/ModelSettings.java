package io.plantmesh.maintenance.model;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tunable parameters of the health model (all durations plant time). {@link #defaults()} is what
 * {@code docs/maintenance.md} documents and the evaluation measures; tune them to a real plant's signals there.
 *
 * @param window length of an evaluation window: samples are summarised per window (median per signal)
 * @param minSamples a window with fewer steady samples is not evaluated
 * @param steadyAfter samples count only after the machine has been RUNNING this long (warm-up, thermal settling)
 * @param minLearnWindows windows of a regime learned before it is judged
 * @param learnWindows windows of a regime learned before its normal behaviour is frozen
 * @param relativeSigmaFloor the standard deviation of a signal's window median is taken as at least this share of its
 * mean (a perfectly quiet signal would otherwise alarm on the smallest change)
 * @param ewmaWeight weight of the newest window in the smoothed mode evidence
 * @param detectThreshold smoothed evidence (standard deviations) from which a mode is suspected, two windows in a row
 * @param trendThreshold smoothed evidence from which a mode's trend is fitted
 * @param clearThreshold a suspected mode whose evidence stays below this for {@code clearWindows} windows is dropped
 * @param clearWindows see {@code clearThreshold}
 * @param horizon a failure predicted within this raises the PREDICTED_FAILURE alarm (and asks for maintenance)
 * @param alarmProbability ... when the estimated probability of the failure within the horizon is at least this (a
 * point estimate near the horizon's end would raise alarms that are as likely early as not)
 * @param imminentShare a progression at this share of the failure level raises the alarm even without a trend fit
 * @param graceWindows after a restart, no new alarm for this many evaluated windows
 * @param maxTrendPoints trend points kept per mode
 * @param fitSpan the time to failure is fitted on the trend of this last stretch (a local fit follows wear that grows
 * faster or slower than quadratic)
 * @param defaultFailureLevels progression (relative deviation from normal) at which a machine fails, per progression
 * signal, until failures teach better ({@link FailureLevels})
 * @param minTrendPoints fewer trend points give no time-to-failure estimate
 * @param minSlopeT the trend must rise by at least this many standard errors
 * @param confidence confidence level of the time-to-failure interval
 * @param relativeModelError extra uncertainty of the time to failure, as a share of it
 * @param scrapDecay per window, how much of the scrap history is kept (0.9: about the last 10 windows)
 * @param anomalyScore an anomaly score at or above this for {@code anomalyWindows} windows raises an ANOMALY alarm
 * when no mode explains it
 * @param anomalyWindows see {@code anomalyScore}
 */
public record ModelSettings(Duration window, int minSamples, Duration steadyAfter, int minLearnWindows,
        int learnWindows, double relativeSigmaFloor, double ewmaWeight, double detectThreshold, double trendThreshold,
        double clearThreshold, int clearWindows, Duration horizon, double alarmProbability, double imminentShare,
        int graceWindows, int maxTrendPoints, Duration fitSpan, Map<Signal, Double> defaultFailureLevels,
        int minTrendPoints, double minSlopeT, double confidence, double relativeModelError, double scrapDecay,
        double anomalyScore, int anomalyWindows) {

    public ModelSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(steadyAfter, "steadyAfter");
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(fitSpan, "fitSpan");
        defaultFailureLevels = Map.copyOf(defaultFailureLevels);
        final boolean valid = !window.isNegative() && !window.isZero() && minSamples >= 1 && minLearnWindows >= 2
                && learnWindows >= minLearnWindows && relativeSigmaFloor > 0 && ewmaWeight > 0 && ewmaWeight <= 1
                && detectThreshold > trendThreshold && trendThreshold > clearThreshold && clearThreshold >= 0
                && clearWindows >= 1 && !horizon.isNegative() && !horizon.isZero() && alarmProbability > 0
                && alarmProbability < 1 && imminentShare > 0 && imminentShare <= 1 && graceWindows >= 0
                && maxTrendPoints >= minTrendPoints && !fitSpan.isNegative() && !fitSpan.isZero()
                && scrapDecay > 0 && scrapDecay < 1 && anomalyScore > 0 && anomalyScore < 1 && anomalyWindows >= 1;
        if (!valid) {
            throw new IllegalArgumentException("health model settings out of range (see ModelSettings' Javadoc): "
                    + "window=" + window + ", minSamples=" + minSamples + ", learn=" + minLearnWindows + ".."
                    + learnWindows + ", thresholds detect=" + detectThreshold + " > trend=" + trendThreshold
                    + " > clear=" + clearThreshold + ", horizon=" + horizon + ", imminentShare=" + imminentShare);
        }
    }

    /** The defaults documented in docs/maintenance.md. */
    public static ModelSettings defaults() {
        final Map<Signal, Double> levels = new EnumMap<>(Signal.class);
        levels.put(Signal.VIBRATION, 1.3);
        levels.put(Signal.SPINDLE_LOAD, 0.6);
        levels.put(Signal.POWER, 0.2);
        levels.put(Signal.HYDRAULIC_PRESSURE, 0.3);
        levels.put(Signal.CYCLE_TIME, 0.25);
        return new ModelSettings(Duration.ofMinutes(10), 3, Duration.ofMinutes(45), 12, 24, 0.01, 0.3, 4.0, 2.0, 1.5,
                6, Duration.ofHours(8), 0.95, 0.85, 2, 288, Duration.ofHours(4), levels, 4, 2.0, 0.9, 0.25, 0.9,
                0.9999, 6);
    }

    public ModelSettings withWindow(final Duration value, final Duration steady) {
        return new ModelSettings(value, minSamples, steady, minLearnWindows, learnWindows, relativeSigmaFloor,
                ewmaWeight, detectThreshold, trendThreshold, clearThreshold, clearWindows, horizon, alarmProbability,
                imminentShare, graceWindows, maxTrendPoints, fitSpan, defaultFailureLevels, minTrendPoints, minSlopeT,
                confidence, relativeModelError, scrapDecay, anomalyScore, anomalyWindows);
    }

    public ModelSettings withLearning(final int min, final int max) {
        return new ModelSettings(window, minSamples, steadyAfter, min, max, relativeSigmaFloor, ewmaWeight,
                detectThreshold, trendThreshold, clearThreshold, clearWindows, horizon, alarmProbability,
                imminentShare, graceWindows, maxTrendPoints, fitSpan, defaultFailureLevels, minTrendPoints, minSlopeT,
                confidence, relativeModelError, scrapDecay, anomalyScore, anomalyWindows);
    }

    public ModelSettings withHorizon(final Duration value) {
        return new ModelSettings(window, minSamples, steadyAfter, minLearnWindows, learnWindows, relativeSigmaFloor,
                ewmaWeight, detectThreshold, trendThreshold, clearThreshold, clearWindows, value, alarmProbability,
                imminentShare, graceWindows, maxTrendPoints, fitSpan, defaultFailureLevels, minTrendPoints, minSlopeT,
                confidence, relativeModelError, scrapDecay, anomalyScore, anomalyWindows);
    }

    public ModelSettings withThresholds(final double detect, final double trend, final double clear) {
        return new ModelSettings(window, minSamples, steadyAfter, minLearnWindows, learnWindows, relativeSigmaFloor,
                ewmaWeight, detect, trend, clear, clearWindows, horizon, alarmProbability, imminentShare,
                graceWindows, maxTrendPoints, fitSpan, defaultFailureLevels, minTrendPoints, minSlopeT, confidence,
                relativeModelError, scrapDecay, anomalyScore, anomalyWindows);
    }

    public ModelSettings withFailureLevel(final Signal signal, final double level) {
        final Map<Signal, Double> levels = new EnumMap<>(defaultFailureLevels);
        levels.put(signal, level);
        return new ModelSettings(window, minSamples, steadyAfter, minLearnWindows, learnWindows, relativeSigmaFloor,
                ewmaWeight, detectThreshold, trendThreshold, clearThreshold, clearWindows, horizon, alarmProbability,
                imminentShare, graceWindows, maxTrendPoints, fitSpan, levels, minTrendPoints, minSlopeT, confidence,
                relativeModelError, scrapDecay, anomalyScore, anomalyWindows);
    }

    public FailureTimeEstimator estimator() {
        return new FailureTimeEstimator(minTrendPoints, minSlopeT, confidence, relativeModelError);
    }
}
