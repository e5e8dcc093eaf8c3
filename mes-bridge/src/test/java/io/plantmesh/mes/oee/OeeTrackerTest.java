package io.plantmesh.mes.oee;

import static io.plantmesh.mes.oee.OeeCalculatorTest.at;
import static io.plantmesh.twin.model.machine.MachineState.DOWN;
import static io.plantmesh.twin.model.machine.MachineState.IDLE;
import static io.plantmesh.twin.model.machine.MachineState.MAINTENANCE;
import static io.plantmesh.twin.model.machine.MachineState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;

import org.assertj.core.data.Offset;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;

class OeeTrackerTest {

    private static final Offset<Double> EXACT = within(1e-12);
    private static final ThingId LINE = ThingId.of("plant1:line-1");
    private static final ThingId OTHER_LINE = ThingId.of("plant1:line-2");
    private static final ThingId M1 = ThingId.of("plant1:machine-1-01");
    private static final ThingId M2 = ThingId.of("plant1:machine-1-02");
    private static final ThingId M3 = ThingId.of("plant1:machine-2-01");

    private final OeeTracker tracker = new OeeTracker(OeeConfig.defaults());

    /** The calculator's worked example, fed as the twin would show it, with repeats and a stale observation. */
    @Test
    void observationsBecomeIntervalsAndSamples() {
        feedWorkedExample(tracker, M1, LINE);

        final MachineHistory history = tracker.history(M1).orElseThrow();
        assertThat(history.closed()).containsExactly(
                new StateInterval(RUNNING, at("09:30"), at("10:20")),
                new StateInterval(DOWN, at("10:20"), at("10:30")),
                new StateInterval(MAINTENANCE, at("10:30"), at("10:45")));
        assertThat(history.state()).isEqualTo(RUNNING);
        assertThat(history.since()).isEqualTo(at("10:45"));
        assertThat(history.counters()).containsExactly(
                new CounterSample(at("09:50"), 100, 5),
                new CounterSample(at("10:10"), 110, 5),
                new CounterSample(at("10:50"), 120, 7));
        assertThat(history.lastObservedAt()).isEqualTo(at("10:50"));
    }

    @Test
    void machineOeeOverTheWindowAndTheShift() {
        feedWorkedExample(tracker, M1, LINE);

        final MachineTwin.Oee oee = tracker.machineOee(M1, at("11:00"));

        assertThat(oee.availability()).isCloseTo(35.0 / 45, EXACT);
        assertThat(oee.performance()).isCloseTo(22.0 / 35, EXACT);
        assertThat(oee.quality()).isCloseTo(20.0 / 22, EXACT);
        assertThat(oee.oee()).isCloseTo(20.0 / 45, EXACT);
        assertThat(oee.window()).isEqualTo("PT1H");
        assertThat(oee.computedAt()).isEqualTo(at("11:00"));
        // early shift from 06:00; history from 09:30: planned 90 - 15 min, running 50 + 15 min, same pieces
        final MachineTwin.ShiftOee shift = oee.shift();
        assertThat(shift.name()).isEqualTo("early");
        assertThat(shift.start()).isEqualTo(at("06:00"));
        assertThat(shift.availability()).isCloseTo(65.0 / 75, EXACT);
        assertThat(shift.performance()).isCloseTo(22.0 / 65, EXACT);
        assertThat(shift.quality()).isCloseTo(20.0 / 22, EXACT);
        assertThat(shift.oee()).isCloseTo(20.0 / 75, EXACT);
    }

    @Test
    void staleObservationIsIgnored() {
        feedWorkedExample(tracker, M1, LINE);
        final MachineHistory before = tracker.history(M1).orElseThrow();

        final boolean applied = tracker.observe(M1, LINE, DOWN, at("10:40"), 999, 99, 60_000.0, at("10:40"));

        assertThat(applied).isFalse();
        assertThat(tracker.history(M1)).contains(before);
    }

    @Test
    void sameStateWithAnotherSinceStartsNoInterval() {
        observe(M1, RUNNING, "09:00", 0, 0, "09:00");
        observe(M1, RUNNING, "09:40", 0, 0, "09:45");

        final MachineHistory history = tracker.history(M1).orElseThrow();
        assertThat(history.closed()).isEmpty();
        assertThat(history.since()).isEqualTo(at("09:00"));
    }

    @Test
    void changeDatedBeforeTheCurrentIntervalTakesEffectAtItsStart() {
        observe(M1, RUNNING, "09:00", 0, 0, "09:00");
        observe(M1, IDLE, "09:30", 0, 0, "09:30");
        observe(M1, DOWN, "09:20", 0, 0, "09:35");

        final MachineHistory history = tracker.history(M1).orElseThrow();
        assertThat(history.closed()).containsExactly(new StateInterval(RUNNING, at("09:00"), at("09:30")));
        assertThat(history.state()).isEqualTo(DOWN);
        assertThat(history.since()).isEqualTo(at("09:30"));
    }

    @Test
    void historyOlderThanTheRetentionIsPrunedKeepingABaseSample() {
        observe(M1, RUNNING, "09:00", 10, 0, "09:00");
        observe(M1, IDLE, "10:00", 20, 0, "10:00");
        observe(M1, RUNNING, "11:00", 30, 0, "11:00");
        // 24 h later: intervals ended by 11:30 the day before are gone; the 11:00 sample stays as the base
        final Instant nextDay = at("11:30").plus(Duration.ofDays(1));
        tracker.observe(M1, LINE, RUNNING, at("11:00"), 40, 0, null, nextDay);

        final MachineHistory history = tracker.history(M1).orElseThrow();
        assertThat(history.closed()).isEmpty();
        assertThat(history.counters()).containsExactly(new CounterSample(at("11:00"), 30, 0),
                new CounterSample(nextDay, 40, 0));
        assertThat(tracker.machineFigures(M1, nextDay.minus(Duration.ofHours(1)), nextDay).good()).isEqualTo(10);
    }

    @Test
    void idealCycleTimeComesFromTheTwinOrTheDefault() {
        observe(M1, RUNNING, "10:00", 0, 0, "10:00");
        tracker.observe(M1, LINE, RUNNING, at("10:00"), 10, 0, 1500.0, at("10:30"));
        observe(M2, RUNNING, "10:00", 0, 0, "10:00");
        tracker.observe(M2, LINE, RUNNING, at("10:00"), 10, 0, null, at("10:30"));

        assertThat(tracker.machineFigures(M1, at("10:00"), at("11:00")).idealTime())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(tracker.machineFigures(M2, at("10:00"), at("11:00")).idealTime())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void lineKpiSumsTheMachinesOfTheLine() {
        feedWorkedExample(tracker, M1, LINE);
        // second machine: running all the time, 30 s ideal, 30 good and 3 scrap in the window (with a reset)
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 500, 10, 30_000.0, at("09:55"));
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 520, 12, 30_000.0, at("10:15"));
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 3, 1, 30_000.0, at("10:30"));
        tracker.observe(M2, LINE, RUNNING, at("09:00"), 10, 1, 30_000.0, at("10:40"));
        // a machine of another line does not count
        tracker.observe(M3, OTHER_LINE, RUNNING, at("09:00"), 0, 0, null, at("09:00"));
        tracker.observe(M3, OTHER_LINE, RUNNING, at("09:00"), 500, 0, null, at("10:30"));

        final LineTwin.Kpi kpi = tracker.lineKpi(LINE, at("11:00"), 4);

        assertThat(tracker.machinesOf(LINE)).containsExactly(M1, M2);
        assertThat(kpi.availability()).isCloseTo(95.0 / 105, EXACT);
        assertThat(kpi.performance()).isCloseTo(38.5 / 95, EXACT);
        assertThat(kpi.quality()).isCloseTo(50.0 / 55, EXACT);
        assertThat(kpi.oee()).isCloseTo(1.0 / 3, EXACT);
        assertThat(kpi.throughput()).isCloseTo(50.0, EXACT);
        assertThat(kpi.wip()).isEqualTo(4L);
        assertThat(kpi.window()).isEqualTo("PT1H");
        assertThat(kpi.computedAt()).isEqualTo(at("11:00"));
        assertThat(kpi.shift().name()).isEqualTo("early");
        assertThat(kpi.shift().start()).isEqualTo(at("06:00"));
        // shift: M1 planned 75, running 65, ideal 22 min; M2 since 09:00: 120 min running, ideal 16.5 min
        assertThat(kpi.shift().availability()).isCloseTo(185.0 / 195, EXACT);
        assertThat(kpi.shift().performance()).isCloseTo(38.5 / 185, EXACT);
    }

    @Test
    void machineMovedToAnotherLineCountsThere() {
        observe(M1, RUNNING, "10:00", 0, 0, "10:00");
        tracker.observe(M1, OTHER_LINE, RUNNING, at("10:00"), 0, 0, null, at("10:10"));

        assertThat(tracker.machinesOf(LINE)).isEmpty();
        assertThat(tracker.machinesOf(OTHER_LINE)).containsExactly(M1);
    }

    @Test
    void unknownMachineAndLineHaveNoFiguresButAWindowAndShift() {
        final MachineTwin.Oee oee = tracker.machineOee(M1, at("11:00"));
        final LineTwin.Kpi kpi = tracker.lineKpi(LINE, at("23:00"), 0);

        assertThat(oee.oee()).isNull();
        assertThat(oee.availability()).isNull();
        assertThat(oee.window()).isEqualTo("PT1H");
        assertThat(oee.shift().name()).isEqualTo("early");
        assertThat(oee.shift().oee()).isNull();
        assertThat(kpi.oee()).isNull();
        assertThat(kpi.throughput()).isNull();
        assertThat(kpi.wip()).isZero();
        assertThat(kpi.shift().name()).isEqualTo("night");
        assertThat(kpi.shift().start()).isEqualTo(at("22:00"));
    }

    /**
     * RUNNING 09:30-10:20, DOWN 10:20-10:30, MAINTENANCE 10:30-10:45, RUNNING from 10:45; counters (100, 5) at 09:50,
     * (110, 5) at 10:10, (120, 7) at 10:50; ideal cycle time 60 s.
     */
    static void feedWorkedExample(final OeeTracker tracker, final ThingId machine, final ThingId line) {
        final Double ideal = 60_000.0;
        tracker.observe(machine, line, RUNNING, at("09:30"), 100, 5, ideal, at("09:50"));
        tracker.observe(machine, line, RUNNING, at("09:30"), 100, 5, ideal, at("09:50"));
        tracker.observe(machine, line, RUNNING, at("09:30"), 110, 5, ideal, at("10:10"));
        tracker.observe(machine, line, RUNNING, at("09:30"), 110, 5, ideal, at("10:15"));
        tracker.observe(machine, line, DOWN, at("10:20"), 110, 5, ideal, at("10:21"));
        tracker.observe(machine, line, MAINTENANCE, at("10:30"), 110, 5, ideal, at("10:31"));
        tracker.observe(machine, line, MAINTENANCE, at("10:30"), 110, 5, ideal, at("10:31"));
        // IDLE for no time at all, then RUNNING
        tracker.observe(machine, line, IDLE, at("10:45"), 110, 5, ideal, at("10:45"));
        tracker.observe(machine, line, RUNNING, at("10:45"), 110, 5, ideal, at("10:46"));
        tracker.observe(machine, line, RUNNING, at("10:45"), 120, 7, ideal, at("10:50"));
        // stale: older than the last observation
        tracker.observe(machine, line, DOWN, at("10:40"), 999, 99, ideal, at("10:40"));
    }

    private void observe(final ThingId machine, final MachineState state, final String since, final long good,
            final long scrap, final String observedAt) {
        tracker.observe(machine, LINE, state, at(since), good, scrap, null, at(observedAt));
    }
}
