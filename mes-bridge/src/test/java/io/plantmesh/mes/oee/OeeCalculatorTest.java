package io.plantmesh.mes.oee;

import static io.plantmesh.twin.model.machine.MachineState.DOWN;
import static io.plantmesh.twin.model.machine.MachineState.IDLE;
import static io.plantmesh.twin.model.machine.MachineState.MAINTENANCE;
import static io.plantmesh.twin.model.machine.MachineState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.machine.MachineState;

class OeeCalculatorTest {

    private static final Offset<Double> EXACT = within(1e-12);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant FROM = at("10:00");
    private static final Instant TO = at("11:00");

    /** The worked example of docs/mes-oee.md. */
    @Test
    void statesCrossingBothWindowEdgesWithMaintenanceExcluded() {
        final List<StateInterval> states = List.of(
                interval(RUNNING, "09:30", "10:20"),
                interval(DOWN, "10:20", "10:30"),
                interval(MAINTENANCE, "10:30", "10:45"),
                interval(RUNNING, "10:45", "11:30"));
        final List<CounterSample> counters = List.of(
                sample("09:50", 100, 5),
                sample("10:10", 110, 5),
                sample("10:50", 120, 7),
                sample("11:10", 150, 8));

        final OeeFigures figures = OeeCalculator.machine(states, counters, Duration.ofSeconds(60), FROM, TO);

        // planned: 60 min - 15 min maintenance; running: 20 min (10:00-10:20) + 15 min (10:45-11:00)
        assertThat(figures.plannedTime()).isEqualTo(Duration.ofMinutes(45));
        assertThat(figures.runningTime()).isEqualTo(Duration.ofMinutes(35));
        // 10:10 and 10:50 count against their predecessors; 11:10 is after the window
        assertThat(figures.good()).isEqualTo(20);
        assertThat(figures.scrap()).isEqualTo(2);
        assertThat(figures.idealTime()).isEqualTo(Duration.ofMinutes(22));
        assertThat(figures.availability()).isCloseTo(35.0 / 45, EXACT);
        assertThat(figures.performance()).isCloseTo(22.0 / 35, EXACT);
        assertThat(figures.quality()).isCloseTo(20.0 / 22, EXACT);
        assertThat(figures.oee()).isCloseTo(20.0 / 45, EXACT);
    }

    @Test
    void counterResetCountsTheSampleFromZero() {
        final List<StateInterval> states = List.of(interval(RUNNING, "09:00", "12:00"));
        final List<CounterSample> counters = List.of(
                sample("09:55", 500, 10),
                sample("10:15", 520, 12),
                sample("10:30", 3, 1),
                sample("10:40", 10, 1));

        final OeeFigures figures = OeeCalculator.machine(states, counters, Duration.ofSeconds(30), FROM, TO);

        // 20 + 3 (reset: counted from 0) + 7 good; 2 + 1 + 0 scrap
        assertThat(figures.good()).isEqualTo(30);
        assertThat(figures.scrap()).isEqualTo(3);
        assertThat(figures.availability()).isEqualTo(1.0);
        assertThat(figures.performance()).isCloseTo(33 * 0.5 / 60, EXACT);
        assertThat(figures.quality()).isCloseTo(30.0 / 33, EXACT);
        assertThat(figures.oee()).isCloseTo(0.25, EXACT);
    }

    @Test
    void resetOfOneCounterResetsBoth() {
        final List<CounterSample> counters = List.of(sample("10:00", 100, 1), sample("10:30", 4, 2));

        final OeeCalculator.Produced produced = OeeCalculator.produced(counters, FROM, TO);

        assertThat(produced.good()).isEqualTo(4);
        assertThat(produced.scrap()).isEqualTo(2);
    }

    @Test
    void aSampleCountsInTheRangeItClosesNotInTheOneItOpens() {
        final List<CounterSample> counters = List.of(sample("10:00", 0, 0), sample("11:00", 10, 0));

        assertThat(OeeCalculator.produced(counters, FROM, TO).good()).isEqualTo(10);
        assertThat(OeeCalculator.produced(counters, TO, at("12:00")).good()).isZero();
        assertThat(OeeCalculator.produced(counters, at("09:00"), FROM).good()).isZero();
    }

    @Test
    void theFirstSampleIsOnlyABase() {
        final List<CounterSample> counters = List.of(sample("10:10", 100, 5), sample("10:20", 101, 5));

        final OeeCalculator.Produced produced = OeeCalculator.produced(counters, FROM, TO);

        assertThat(produced.good()).isEqualTo(1);
        assertThat(produced.scrap()).isZero();
    }

    @Test
    void runningWithoutPiecesHasPerformanceZeroNoQualityAndOeeZero() {
        final List<StateInterval> states = List.of(interval(RUNNING, "09:00", "12:00"));
        final List<CounterSample> counters = List.of(sample("09:00", 7, 1), sample("10:30", 7, 1));

        final OeeFigures figures = OeeCalculator.machine(states, counters, MINUTE, FROM, TO);

        assertThat(figures.availability()).isEqualTo(1.0);
        assertThat(figures.performance()).isEqualTo(0.0);
        assertThat(figures.quality()).isNull();
        assertThat(figures.oee()).isEqualTo(0.0);
    }

    @Test
    void downForTheWholeWindowHasAvailabilityZeroAndOeeZero() {
        final OeeFigures figures = OeeCalculator.machine(List.of(interval(DOWN, "09:00", "12:00")), List.of(),
                MINUTE, FROM, TO);

        assertThat(figures.availability()).isEqualTo(0.0);
        assertThat(figures.performance()).isNull();
        assertThat(figures.quality()).isNull();
        assertThat(figures.oee()).isEqualTo(0.0);
    }

    @Test
    void maintenanceForTheWholeWindowLeavesEverythingUndefined() {
        final OeeFigures figures = OeeCalculator.machine(List.of(interval(MAINTENANCE, "09:00", "12:00")),
                List.of(sample("09:00", 1, 0), sample("10:30", 1, 0)), MINUTE, FROM, TO);

        assertThat(figures.plannedTime()).isZero();
        assertThat(figures.availability()).isNull();
        assertThat(figures.performance()).isNull();
        assertThat(figures.quality()).isNull();
        assertThat(figures.oee()).isNull();
    }

    @Test
    void timeWithoutAKnownStateCountsNeitherAsPlannedNorAsRunning() {
        final OeeFigures figures = OeeCalculator.machine(List.of(interval(RUNNING, "10:30", "10:40"),
                interval(IDLE, "10:40", "11:00")), List.of(), MINUTE, FROM, TO);

        assertThat(figures.plannedTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(figures.availability()).isCloseTo(1.0 / 3, EXACT);
    }

    @Test
    void performanceIsCappedAtOne() {
        final List<StateInterval> states = List.of(interval(IDLE, "10:00", "10:50"),
                interval(RUNNING, "10:50", "11:00"));
        // 15 pieces at 60 s ideal in 10 min of running
        final List<CounterSample> counters = List.of(sample("10:00", 0, 0), sample("10:59", 15, 0));

        final OeeFigures figures = OeeCalculator.machine(states, counters, MINUTE, FROM, TO);

        assertThat(figures.performance()).isEqualTo(1.0);
        assertThat(figures.availability()).isCloseTo(10.0 / 60, EXACT);
        assertThat(figures.oee()).isCloseTo(10.0 / 60, EXACT);
    }

    @Test
    void lineSumsItsMachinesBeforeDividing() {
        final OeeFigures first = OeeCalculator.machine(List.of(
                interval(RUNNING, "09:30", "10:20"),
                interval(DOWN, "10:20", "10:30"),
                interval(MAINTENANCE, "10:30", "10:45"),
                interval(RUNNING, "10:45", "11:30")),
                List.of(sample("09:50", 100, 5), sample("10:10", 110, 5), sample("10:50", 120, 7)),
                Duration.ofSeconds(60), FROM, TO);
        final OeeFigures second = OeeCalculator.machine(List.of(interval(RUNNING, "09:00", "12:00")),
                List.of(sample("09:55", 500, 10), sample("10:15", 520, 12), sample("10:30", 3, 1),
                        sample("10:40", 10, 1)),
                Duration.ofSeconds(30), FROM, TO);

        final OeeFigures line = OeeCalculator.line(List.of(first, second));

        // A = (35 + 60) / (45 + 60); P = (22 + 16.5) / 95; Q = (20 + 30) / (22 + 33)
        assertThat(line.availability()).isCloseTo(95.0 / 105, EXACT);
        assertThat(line.performance()).isCloseTo(38.5 / 95, EXACT);
        assertThat(line.quality()).isCloseTo(50.0 / 55, EXACT);
        assertThat(line.oee()).isCloseTo(1.0 / 3, EXACT);
        assertThat(line.goodPerHour(Duration.ofHours(1))).isCloseTo(50.0, EXACT);
        // not the mean of the machines' OEE (4/9 and 1/4)
        assertThat(line.oee()).isNotCloseTo((20.0 / 45 + 0.25) / 2, within(1e-3));
    }

    @Test
    void lineOfNoMachinesIsUndefined() {
        final OeeFigures line = OeeCalculator.line(List.of());

        assertThat(line.oee()).isNull();
        assertThat(line.availability()).isNull();
    }

    @Test
    void overlappingIntervalsAreRefused() {
        final List<StateInterval> states = List.of(interval(RUNNING, "10:00", "10:30"),
                interval(IDLE, "10:20", "11:00"));

        assertThatThrownBy(() -> OeeCalculator.machine(states, List.of(), MINUTE, FROM, TO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlap");
    }

    @Test
    void samplesOutOfOrderAreRefused() {
        final List<CounterSample> counters = List.of(sample("10:30", 1, 0), sample("10:20", 2, 0));

        assertThatThrownBy(() -> OeeCalculator.produced(counters, FROM, TO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending order");
    }

    static Instant at(final String time) {
        return Instant.parse("2026-11-26T" + time + ":00Z");
    }

    private static StateInterval interval(final MachineState state, final String from, final String to) {
        return new StateInterval(state, at(from), at(to));
    }

    private static CounterSample sample(final String time, final long good, final long scrap) {
        return new CounterSample(at(time), good, scrap);
    }
}
