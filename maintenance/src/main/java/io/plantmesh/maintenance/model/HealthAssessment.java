package io.plantmesh.maintenance.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the health model concluded about a machine at the end of a window (or when it reset after a failure or
 * maintenance).
 *
 * @param regime the operating regime (program) of the window; null for a reset
 * @param state LEARNING (the regime's normal behaviour is still being learned), GRACE (restarted: no new alarms yet)
 * or ACTIVE
 * @param anomalyScore 0..1 (chi-square probability of the window's deviations), null while learning
 * @param modeScores smoothed evidence per wear mode, in standard deviations of normal behaviour
 * @param suspectedMode null if none
 * @param progression of the suspected mode (relative deviation of its progression signal); null if none
 * @param prediction null if no failure is predicted
 * @param alarms the active alarms after this window
 * @param raised the alarms raised by this window (each is also in {@code alarms})
 * @param readings the window's signals against normal
 * @param reset why the model reset (e.g. {@code machine DOWN: SPINDLE_BEARING ...}); null for a window
 */
public record HealthAssessment(String machineId, Instant at, String regime, String state, Double anomalyScore,
        Map<WearMode, Double> modeScores, WearMode suspectedMode, Double progression, FailurePrediction prediction,
        List<HealthAlarm> alarms, List<HealthAlarm> raised, List<SignalReading> readings, String reset) {

    public static final String LEARNING = "LEARNING";
    public static final String GRACE = "GRACE";
    public static final String ACTIVE = "ACTIVE";

    public HealthAssessment {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        modeScores = Map.copyOf(modeScores);
        alarms = List.copyOf(alarms);
        raised = List.copyOf(raised);
        readings = List.copyOf(readings);
    }

    /** True if a PREDICTED_FAILURE alarm is active. */
    public boolean failurePredicted() {
        return alarms.stream().anyMatch(a -> a.code().equals(HealthAlarm.PREDICTED_FAILURE));
    }

    /**
     * A predicted failure: when, the confidence interval, and the probability of a failure within the horizon.
     *
     * @param mode the wear mode that fails
     */
    public record FailurePrediction(WearMode mode, Instant at, Instant earliest, Instant latest, double confidence,
            double probabilityWithinHorizon) {
    }

    /** One signal of a window: its median, its normal mean and standard deviation, and the z score. */
    public record SignalReading(Signal signal, double value, double normalMean, double normalSigma, double z) {

        /** Relative deviation from normal, e.g. 0.38 for 38 % above. */
        public double relative() {
            return normalMean == 0 ? 0 : value / normalMean - 1;
        }
    }
}
