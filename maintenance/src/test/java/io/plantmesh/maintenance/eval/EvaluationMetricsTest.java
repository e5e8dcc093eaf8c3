package io.plantmesh.maintenance.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.plantmesh.maintenance.eval.EvaluationMetrics.AlarmRaise;
import io.plantmesh.maintenance.eval.EvaluationMetrics.Failure;
import io.plantmesh.maintenance.eval.EvaluationMetrics.Result;

class EvaluationMetricsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration HORIZON = Duration.ofHours(8);

    private static Instant h(final double hours) {
        return T0.plusSeconds(Math.round(hours * 3600));
    }

    @Test
    void handMadeCaseWithKnownPrecisionRecallAndLeadTimes() {
        final List<Failure> failures = List.of(
                new Failure("A", h(10), "BEARING_WEAR"),
                new Failure("A", h(40), "TOOL_WEAR"),
                new Failure("B", h(20), "HYDRAULIC_LEAK"));
        final List<AlarmRaise> alarms = List.of(
                new AlarmRaise("A", h(5), "BEARING_WEAR"),      // true: A fails at 10 (lead 5 h)
                new AlarmRaise("A", h(8), "BEARING_WEAR"),      // true: same failure, later
                new AlarmRaise("A", h(20), "TOOL_WEAR"),        // false: A's next failure (40) is 20 h away
                new AlarmRaise("B", h(17), "BEARING_WEAR"),     // true: B fails at 20 (lead 3 h), wrong mode
                new AlarmRaise("B", h(30), "HYDRAULIC_LEAK"));  // false: nothing follows
        final Result r = EvaluationMetrics.evaluate(alarms, failures, HORIZON, 2, Duration.ofDays(7));

        assertThat(r.alarms()).isEqualTo(5);
        assertThat(r.truePositives()).isEqualTo(3);
        assertThat(r.falsePositives()).isEqualTo(2);
        assertThat(r.failures()).isEqualTo(3);
        assertThat(r.detected()).isEqualTo(2);
        assertThat(r.precision()).isCloseTo(0.6, within(1e-12));
        assertThat(r.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.f1()).isCloseTo(2 * 0.6 * (2.0 / 3) / (0.6 + 2.0 / 3), within(1e-12));
        assertThat(r.leadTimes()).containsExactly(Duration.ofHours(5), Duration.ofHours(3));
        // nearest rank: the median of {3 h, 5 h} is 3 h, the 10th percentile 3 h
        assertThat(r.medianLead()).isEqualTo(Duration.ofHours(3));
        assertThat(r.p10Lead()).isEqualTo(Duration.ofHours(3));
        // 2 false alarms over 2 machines x 1 week
        assertThat(r.falseAlarmsPerMachineWeek()).isCloseTo(1.0, within(1e-12));
        assertThat(r.modeCorrect()).isEqualTo(1);
    }

    @Test
    void anAlarmExactlyAHorizonBeforeTheFailureCountsAndOneJustEarlierDoesNot() {
        final List<Failure> failures = List.of(new Failure("A", h(10), "BEARING_WEAR"));
        assertThat(EvaluationMetrics.evaluate(List.of(new AlarmRaise("A", h(2), "BEARING_WEAR")), failures, HORIZON,
                1, Duration.ofDays(7)).truePositives()).isEqualTo(1);
        assertThat(EvaluationMetrics.evaluate(List.of(new AlarmRaise("A", h(1.99), "BEARING_WEAR")), failures,
                HORIZON, 1, Duration.ofDays(7)).truePositives()).isZero();
        // an alarm after the failure, or on another machine, is false
        assertThat(EvaluationMetrics.evaluate(List.of(new AlarmRaise("A", h(10), null),
                new AlarmRaise("B", h(9), null)), failures, HORIZON, 2, Duration.ofDays(7)).falsePositives())
                .isEqualTo(2);
    }

    @Test
    void emptyCasesAreNotANumberRatherThanPerfect() {
        final Result none = EvaluationMetrics.evaluate(List.of(), List.of(), HORIZON, 3, Duration.ofDays(14));
        assertThat(none.precision()).isNaN();
        assertThat(none.recall()).isNaN();
        assertThat(none.f1()).isNaN();
        assertThat(none.medianLead()).isNull();
        assertThat(none.falseAlarmsPerMachineWeek()).isZero();
        final Result missed = EvaluationMetrics.evaluate(List.of(), List.of(new Failure("A", h(3), "TOOL_WEAR")),
                HORIZON, 1, Duration.ofDays(7));
        assertThat(missed.recall()).isZero();
    }

    @Test
    void perModeRecallCountsTheModesFailuresAndPrecisionTheAlarmsNamingIt() {
        final List<Failure> failures = List.of(
                new Failure("A", h(10), "BEARING_WEAR"),
                new Failure("B", h(10), "TOOL_WEAR"),
                new Failure("C", h(10), "TOOL_WEAR"));
        final List<AlarmRaise> alarms = List.of(
                new AlarmRaise("A", h(4), "BEARING_WEAR"),
                new AlarmRaise("B", h(6), "TOOL_WEAR"),
                new AlarmRaise("D", h(6), "TOOL_WEAR"));
        final Map<String, Result> byMode = EvaluationMetrics.byMode(alarms, failures, HORIZON, 4, Duration.ofDays(7),
                List.of("BEARING_WEAR", "TOOL_WEAR", "HYDRAULIC_LEAK"));
        assertThat(byMode.get("BEARING_WEAR").recall()).isEqualTo(1.0);
        assertThat(byMode.get("BEARING_WEAR").precision()).isEqualTo(1.0);
        assertThat(byMode.get("TOOL_WEAR").recall()).isEqualTo(0.5);
        assertThat(byMode.get("TOOL_WEAR").precision()).isEqualTo(0.5);
        assertThat(byMode.get("TOOL_WEAR").medianLead()).isEqualTo(Duration.ofHours(4));
        assertThat(byMode.get("HYDRAULIC_LEAK").recall()).isNaN();
        assertThat(byMode.get("HYDRAULIC_LEAK").precision()).isNaN();
    }
}
