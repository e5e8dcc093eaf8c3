package io.plantmesh.devices.simulator.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.twin.model.machine.MachineState;

class DegradationModesTest {

    private static final Instant START = Instant.parse("2026-11-26T06:00:00Z");
    private static final String ID = "plant1:machine-1-03";
    private static final String ORDER = "plant1:wo-100001";
    /** Onsets early and sudden faults rare, so that the first episode is what a test sees. */
    private static final DegradationSettings SOON = DegradationSettings.defaults()
            .withMeanTimeToOnset(Duration.ofHours(6)).withSuddenMtbfFactor(1000);

    private static SimulatedMachine machine(final MachineType type, final long seed,
            final DegradationSettings settings) {
        return SimulatedMachine.create(ID, "L1M03", type, type.profile(), seed, START, settings);
    }

    /** The first seed (from 1) whose first episode has {@code mode}; bounded. */
    private static SimulatedMachine withFirstEpisode(final MachineType type, final DegradationMode mode) {
        for (long seed = 1; seed < 500; seed++) {
            final SimulatedMachine m = machine(type, seed, SOON);
            if (m.currentEpisode().orElseThrow().mode() == mode) {
                return m;
            }
        }
        throw new AssertionError("no seed below 500 starts " + type + " with " + mode);
    }

    /** Keeps the machine producing one long job (resumed after repairs and maintenance). */
    private static void keepBusy(final SimulatedMachine m) {
        final MachineSnapshot s = m.snapshot();
        if (s.state() == MachineState.IDLE) {
            m.startJob(ORDER, "10");
        }
    }

    /** Snapshots every 5 min from now until {@code end}, keeping the machine busy. */
    private static List<MachineSnapshot> run(final SimulatedMachine m, final Instant end) {
        final List<MachineSnapshot> out = new ArrayList<>();
        while (m.now().isBefore(end)) {
            keepBusy(m);
            m.advance(Duration.ofMinutes(5));
            out.add(m.snapshot());
        }
        return out;
    }

    /** The median (robust to the simulated sensor glitches) of the RUNNING samples in [from, to). */
    private static double mean(final List<MachineSnapshot> snapshots, final Instant from, final Instant to,
            final ToDoubleFunction<MachineSnapshot> value) {
        final double[] values = snapshots.stream()
                .filter(s -> s.state() == MachineState.RUNNING && !s.at().isBefore(from) && s.at().isBefore(to))
                .mapToDouble(value).sorted().toArray();
        assertThat(values).as("RUNNING samples in [" + from + ", " + to + ")").isNotEmpty();
        return values[values.length / 2];
    }

    /** Quarter i (0..3) of the episode's life, as [from, to). */
    private static Instant at(final DegradationEpisode e, final double fraction) {
        final long span = Duration.between(e.onset(), e.failureAt()).toSeconds();
        return e.onset().plusSeconds(Math.round(span * fraction));
    }

    @Test
    void bearingWearRaisesVibrationAndTemperatureSlowlyThenFasterAndEndsInItsFailure() {
        final SimulatedMachine m = withFirstEpisode(MachineType.CNC_MILL, DegradationMode.BEARING_WEAR);
        final DegradationEpisode e = m.currentEpisode().orElseThrow();
        final List<MachineSnapshot> s = run(m, e.failureAt().plus(Duration.ofMinutes(30)));

        final double normal = mean(s, e.onset().minus(Duration.ofHours(3)), e.onset(), MachineSnapshot::vibration);
        final double q1 = mean(s, at(e, 0.0), at(e, 0.25), MachineSnapshot::vibration);
        final double q2 = mean(s, at(e, 0.25), at(e, 0.5), MachineSnapshot::vibration);
        final double q4 = mean(s, at(e, 0.75), at(e, 1.0), MachineSnapshot::vibration);
        // slowly, then faster: the last quarter rises more than the first two together
        assertThat(q4 - q2).isGreaterThan(q2 - normal);
        assertThat(q4).isGreaterThan(1.5 * normal);
        assertThat(q1).isLessThan(1.1 * normal);
        final double tempNormal = mean(s, e.onset().minus(Duration.ofHours(3)), e.onset(),
                MachineSnapshot::temperature);
        assertThat(mean(s, at(e, 0.75), at(e, 1.0), MachineSnapshot::temperature)).isGreaterThan(tempNormal + 3);

        // DOWN at the episode's failure time with the type's bearing failure as reason
        assertThat(m.faultLog()).first().satisfies(f -> {
            assertThat(f.failedAt()).isEqualTo(e.failureAt());
            assertThat(f.mode().code()).isEqualTo("SPINDLE_BEARING");
            assertThat(f.driftOnset()).isEqualTo(e.onset());
        });
        assertThat(m.groundTruth()).first().isEqualTo(new GroundTruthEvent.EpisodeEnded(ID, MachineType.CNC_MILL, e,
                GroundTruthEvent.Outcome.FAILED, e.failureAt()));
    }

    @Test
    void toolWearRaisesSpindleLoadAndScrap() {
        final SimulatedMachine m = withFirstEpisode(MachineType.LATHE, DegradationMode.TOOL_WEAR);
        final DegradationEpisode e = m.currentEpisode().orElseThrow();
        final List<MachineSnapshot> s = run(m, e.failureAt().minusSeconds(1));

        final double normal = mean(s, e.onset().minus(Duration.ofHours(3)), e.onset(), snap -> snap.spindleLoad());
        assertThat(mean(s, at(e, 0.8), at(e, 1.0), snap -> snap.spindleLoad())).isGreaterThan(1.3 * normal);
        // scrap share of the last 40 % of the episode against the normal scrap rate of a lathe (1.5 %)
        final MachineSnapshot late = last(s, at(e, 0.6));
        final MachineSnapshot end = s.get(s.size() - 1);
        final double after = (double) (end.scrap() - late.scrap())
                / (end.good() + end.scrap() - late.good() - late.scrap());
        assertThat(after).isGreaterThan(2 * MachineType.LATHE.profile().scrapRate());
    }

    @Test
    void aHydraulicLeakLowersPressureAndStretchesTheCycle() {
        final SimulatedMachine m = withFirstEpisode(MachineType.LATHE, DegradationMode.HYDRAULIC_LEAK);
        final DegradationEpisode e = m.currentEpisode().orElseThrow();
        final List<MachineSnapshot> s = run(m, e.failureAt().minusSeconds(1));

        final Instant before = e.onset().minus(Duration.ofHours(3));
        assertThat(mean(s, at(e, 0.8), at(e, 1.0), snap -> snap.hydraulicPressure()))
                .isLessThan(0.85 * mean(s, before, e.onset(), snap -> snap.hydraulicPressure()));
        assertThat(mean(s, at(e, 0.8), at(e, 1.0), snap -> snap.lastCycleTimeMs()))
                .isGreaterThan(1.1 * mean(s, before, e.onset(), snap -> snap.lastCycleTimeMs()));
    }

    private static MachineSnapshot last(final List<MachineSnapshot> s, final Instant notAfter) {
        return s.stream().filter(x -> !x.at().isAfter(notAfter)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void maintenanceDuringAnEpisodeResetsTheWearAndPreventsTheFailure() {
        final SimulatedMachine m = withFirstEpisode(MachineType.CNC_MILL, DegradationMode.BEARING_WEAR);
        final DegradationEpisode e = m.currentEpisode().orElseThrow();
        run(m, at(e, 0.8));
        assertThat(m.startMaintenance(Duration.ofMinutes(90), "predicted bearing failure").accepted()).isFalse();
        m.stopJob();
        assertThat(m.startMaintenance(Duration.ofMinutes(90), "predicted bearing failure").accepted()).isTrue();
        assertThat(m.state()).isEqualTo(MachineState.MAINTENANCE);
        final Instant maintained = m.now();
        final List<MachineSnapshot> after = run(m, e.failureAt().plus(Duration.ofHours(3)));

        assertThat(m.faultLog()).noneMatch(f -> f.failedAt().equals(e.failureAt()));
        assertThat(m.groundTruth()).startsWith(
                new GroundTruthEvent.EpisodeEnded(ID, MachineType.CNC_MILL, e, GroundTruthEvent.Outcome.MAINTAINED,
                        maintained),
                new GroundTruthEvent.Maintenance(ID, MachineType.CNC_MILL, maintained,
                        maintained.plus(Duration.ofMinutes(90)), "predicted bearing failure", true));
        // a new episode is drawn from the end of the maintenance
        assertThat(m.currentEpisode()).hasValueSatisfying(next ->
                assertThat(next.onset()).isAfter(maintained.plus(Duration.ofMinutes(89))));
        final double late = after.stream().filter(x -> x.state() == MachineState.RUNNING
                && x.at().isAfter(e.failureAt()) && !m.currentEpisode().orElseThrow().started(x.at()))
                .mapToDouble(MachineSnapshot::vibration).average().orElse(0);
        assertThat(late).isLessThan(MachineType.CNC_MILL.profile().vibrationRunning() * 1.4);
    }

    @Test
    void sameSeedSameEpisodesAndSignals() {
        final List<MachineSnapshot> a = run(machine(MachineType.PRESS, 7, SOON), START.plus(Duration.ofDays(4)));
        final List<MachineSnapshot> b = run(machine(MachineType.PRESS, 7, SOON), START.plus(Duration.ofDays(4)));
        final List<MachineSnapshot> c = run(machine(MachineType.PRESS, 8, SOON), START.plus(Duration.ofDays(4)));
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void programsAreOperatingRegimesWithTheirOwnLoad() {
        final SimulatedMachine m = machine(MachineType.CNC_MILL, 3, DegradationSettings.defaults()
                .withMeanTimeToOnset(Duration.ofDays(1000)).withSuddenMtbfFactor(1000).withNoise(0.0, 0.0));
        final List<Double> loads = new ArrayList<>();
        final List<String> programs = new ArrayList<>();
        for (final OperatingProgram p : OperatingProgram.STANDARD) {
            final String order = orderFor(p);
            m.startJob(order, "10");
            m.advance(Duration.ofHours(1));
            programs.add(m.snapshot().program());
            loads.add(m.snapshot().spindleLoad());
            m.stopJob();
            m.advance(Duration.ofMinutes(1));
        }
        assertThat(programs).containsExactly("P1", "P2", "P3");
        assertThat(loads.get(0)).isLessThan(loads.get(1));
        assertThat(loads.get(1)).isLessThan(loads.get(2));
    }

    private static String orderFor(final OperatingProgram program) {
        for (int n = 100000; n < 100100; n++) {
            if (OperatingProgram.forWorkOrder("plant1:wo-" + n).equals(program)) {
                return "plant1:wo-" + n;
            }
        }
        throw new AssertionError("no order for " + program);
    }

    @Test
    void aColdStartShowsExtraVibrationThatFadesAndGlitchesAreRare() {
        final DegradationSettings quiet = DegradationSettings.defaults().withMeanTimeToOnset(Duration.ofDays(1000))
                .withSuddenMtbfFactor(1000).withNoise(0.0, 0.0);
        final SimulatedMachine m = machine(MachineType.WELDING_CELL, 5, quiet);
        m.startJob(ORDER, "10");
        m.advance(Duration.ofMinutes(11).plusSeconds(1)); // setup ends within 15 min: run until RUNNING
        while (m.state() != MachineState.RUNNING) {
            m.advance(Duration.ofSeconds(30));
        }
        final double cold = m.snapshot().vibration();
        m.advance(Duration.ofMinutes(60));
        final double warm = m.snapshot().vibration();
        assertThat(cold).isGreaterThan(1.2 * warm);

        final SimulatedMachine noisy = machine(MachineType.WELDING_CELL, 5, quiet.withNoise(0.03, 0.01));
        noisy.startJob(ORDER, "10");
        int glitches = 0;
        final double normal = MachineType.WELDING_CELL.profile().vibrationRunning();
        for (int i = 0; i < 5000; i++) {
            noisy.advance(Duration.ofSeconds(30));
            final MachineSnapshot s = noisy.snapshot();
            final boolean odd = s.state() == MachineState.RUNNING && s.at().isAfter(START.plus(Duration.ofHours(2)))
                    && (s.vibration() > 2 * normal || s.vibration() == 0 || s.power() == 0 || s.temperature() < 5);
            glitches += odd ? 1 : 0;
        }
        assertThat(glitches).isBetween(5, 60);
    }

    @Test
    void theGroundTruthFileHasOneLinePerEvent(@TempDir final Path dir) {
        final Path file = dir.resolve("truth/ground-truth.jsonl");
        final SimulatedMachine m = machine(MachineType.PRESS, 11, SOON);
        try (GroundTruthFile truth = GroundTruthFile.append(file)) {
            m.addListener(truth);
            run(m, START.plus(Duration.ofDays(6)));
        }
        final List<JsonObject> lines = GroundTruthFile.read(file);
        assertThat(lines).hasSize(m.groundTruth().size()).isNotEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l.getString("machine")).isEqualTo(ID));
        assertThat(lines.stream().map(l -> l.getString("event")).distinct())
                .isSubsetOf("degradation", "sudden-fault", "maintenance");
        final JsonObject first = lines.get(0);
        assertThat(first).isEqualTo(GroundTruthFile.toJson(m.groundTruth().get(0)));
    }

    @Test
    void withDegradationOffTheMachineIsTheClassicOne() {
        final SimulatedMachine classic = SimulatedMachine.create(ID, "L1M03", MachineType.LATHE,
                MachineType.LATHE.profile().withMtbf(Duration.ofHours(5)), 9, START);
        final SimulatedMachine off = SimulatedMachine.create(ID, "L1M03", MachineType.LATHE,
                MachineType.LATHE.profile().withMtbf(Duration.ofHours(5)), 9, START, DegradationSettings.OFF);
        final Instant end = START.plus(Duration.ofDays(2));
        assertThat(run(off, end)).isEqualTo(run(classic, end));
        assertThat(off.snapshot().spindleLoad()).isNull();
        assertThat(off.snapshot().program()).isNull();
        assertThat(off.groundTruth()).isEmpty();
    }
}
