package io.plantmesh.maintenance.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Scores failure predictions against the ground truth, event by event.
 *
 * <ul>
 *     <li>A <b>prediction</b> is the raise of a PREDICTED_FAILURE alarm on a machine at time {@code r}. It is a
 *     <b>true positive</b> if that machine has a degradation failure {@code F} with {@code r < F <= r + horizon}
 *     (the alarm said "within the horizon"), else a <b>false positive</b> (too early, or no failure at all).</li>
 *     <li>A degradation failure is <b>detected</b> if at least one true positive points at it; its <b>lead time</b>
 *     is {@code F} minus the earliest such raise.</li>
 *     <li>precision = TP / (TP + FP), recall = detected / failures, F1 their harmonic mean; lead-time median and 10th
 *     percentile by nearest rank (Commons Math {@link Percentile}, estimation type R_1); false alarms per machine
 *     per week = FP / (machines x weeks).</li>
 * </ul>
 * Sudden faults (no precursor) are not failures to predict here; an alarm before one is a false positive.
 */
public final class EvaluationMetrics {

    private EvaluationMetrics() {
    }

    /** A PREDICTED_FAILURE alarm raised at {@code at}, naming {@code mode} (null if none). */
    public record AlarmRaise(String machineId, Instant at, String mode) {

        public AlarmRaise {
            Objects.requireNonNull(machineId, "machineId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A degradation failure of the ground truth. */
    public record Failure(String machineId, Instant at, String mode) {

        public Failure {
            Objects.requireNonNull(machineId, "machineId");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The scores.
     *
     * @param precision NaN without alarms
     * @param recall NaN without failures
     * @param f1 NaN if precision or recall is NaN or both are 0
     * @param leadTimes of the detected failures
     * @param medianLead null without detected failures
     * @param p10Lead null without detected failures
     * @param modeCorrect detected failures whose earliest true alarm named their mode
     */
    public record Result(int alarms, int truePositives, int falsePositives, int failures, int detected,
            double precision, double recall, double f1, List<Duration> leadTimes, Duration medianLead,
            Duration p10Lead, double falseAlarmsPerMachineWeek, int modeCorrect) {
    }

    /**
     * Scores {@code alarms} against {@code failures}.
     *
     * @param machines how many machines were watched
     * @param period how long they were watched
     */
    public static Result evaluate(final List<AlarmRaise> alarms, final List<Failure> failures,
            final Duration horizon, final int machines, final Duration period) {
        final List<Failure> byTime = failures.stream().sorted(Comparator.comparing(Failure::at)).toList();
        final Map<Failure, AlarmRaise> earliest = new LinkedHashMap<>();
        int truePositives = 0;
        int falsePositives = 0;
        for (final AlarmRaise alarm : alarms) {
            final Failure hit = byTime.stream()
                    .filter(f -> f.machineId().equals(alarm.machineId()) && f.at().isAfter(alarm.at())
                            && !f.at().isAfter(alarm.at().plus(horizon)))
                    .findFirst()
                    .orElse(null);
            if (hit == null) {
                falsePositives++;
                continue;
            }
            truePositives++;
            final AlarmRaise before = earliest.get(hit);
            if (before == null || alarm.at().isBefore(before.at())) {
                earliest.put(hit, alarm);
            }
        }
        final List<Duration> leads = new ArrayList<>();
        int modeCorrect = 0;
        for (final Failure failure : byTime) {
            final AlarmRaise first = earliest.get(failure);
            if (first != null) {
                leads.add(Duration.between(first.at(), failure.at()));
                modeCorrect += Objects.equals(first.mode(), failure.mode()) ? 1 : 0;
            }
        }
        final int detected = leads.size();
        final double precision = alarms.isEmpty() ? Double.NaN : (double) truePositives / alarms.size();
        final double recall = failures.isEmpty() ? Double.NaN : (double) detected / failures.size();
        final double f1 = Double.isNaN(precision) || Double.isNaN(recall) || precision + recall == 0 ? Double.NaN
                : 2 * precision * recall / (precision + recall);
        final double weeks = period.toSeconds() / (7 * 86_400.0);
        final double falseRate = machines == 0 || weeks == 0 ? Double.NaN : falsePositives / (machines * weeks);
        return new Result(alarms.size(), truePositives, falsePositives, failures.size(), detected, precision, recall,
                f1, List.copyOf(leads), percentile(leads, 50), percentile(leads, 10), falseRate, modeCorrect);
    }

    /**
     * Scores per mode: recall and lead times over the failures of the mode, precision over the alarms naming it.
     *
     * @param modes the modes to report, in order
     */
    public static Map<String, Result> byMode(final List<AlarmRaise> alarms, final List<Failure> failures,
            final Duration horizon, final int machines, final Duration period, final List<String> modes) {
        final Map<String, Result> result = new LinkedHashMap<>();
        final Set<String> seen = new HashSet<>();
        for (final String mode : modes) {
            if (!seen.add(mode)) {
                continue;
            }
            final List<Failure> ofMode = failures.stream().filter(f -> mode.equals(f.mode())).toList();
            final List<AlarmRaise> naming = alarms.stream().filter(a -> mode.equals(a.mode())).toList();
            // recall against this mode's failures; precision of the alarms naming the mode, against all failures
            final Result recall = evaluate(alarms, ofMode, horizon, machines, period);
            final Result precision = evaluate(naming, failures, horizon, machines, period);
            result.put(mode, new Result(precision.alarms(), precision.truePositives(), precision.falsePositives(),
                    recall.failures(), recall.detected(), precision.precision(), recall.recall(),
                    Double.isNaN(precision.precision()) || Double.isNaN(recall.recall())
                            || precision.precision() + recall.recall() == 0 ? Double.NaN
                            : 2 * precision.precision() * recall.recall()
                            / (precision.precision() + recall.recall()),
                    recall.leadTimes(), recall.medianLead(), recall.p10Lead(), precision.falseAlarmsPerMachineWeek(),
                    recall.modeCorrect()));
        }
        return result;
    }

    /** Nearest-rank percentile of durations; null for none. */
    static Duration percentile(final List<Duration> values, final double p) {
        if (values.isEmpty()) {
            return null;
        }
        final double[] seconds = values.stream().mapToDouble(d -> d.toMillis() / 1000.0).toArray();
        final double value = new Percentile().withEstimationType(EstimationType.R_1).evaluate(seconds, p);
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
