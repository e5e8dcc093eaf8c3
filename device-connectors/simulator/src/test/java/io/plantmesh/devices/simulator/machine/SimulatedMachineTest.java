package io.plantmesh.devices.simulator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.machine.MachineState;

class SimulatedMachineTest {

    private static final Instant START = Instant.parse("2026-11-26T06:00:00Z");
    private static final String ID = "plant1:machine-1-03";

    @Test
    void sameSeedGivesTheSameMachineAndAnotherSeedDoesNot() {
        final List<MachineSnapshot> first = run(7);
        final List<MachineSnapshot> second = run(7);
        final List<MachineSnapshot> other = run(8);

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static List<MachineSnapshot> run(final long seed) {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.CNC_MILL,
                MachineType.CNC_MILL.profile().withMtbf(Duration.ofHours(6)), seed, START);
        machine.startJob("plant1:wo-100001", "0010");
        final List<MachineSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < 48 * 120; i++) {
            machine.advance(Duration.ofSeconds(30));
            snapshots.add(machine.snapshot());
        }
        assertThat(machine.faultLog()).isNotEmpty();
        return snapshots;
    }

    @Test
    void countersOnlyGrowAndGoodPlusScrapEqualsCompletedParts() {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.LATHE, 11, START);
        final List<PartCompleted> parts = new ArrayList<>();
        machine.addListener(new MachineListener() {
            @Override
            public void partCompleted(final PartCompleted part) {
                parts.add(part);
            }
        });
        assertThat(machine.startJob("plant1:wo-100002", "0020").accepted()).isTrue();

        long good = 0;
        long scrap = 0;
        for (int minute = 0; minute < 300 * 60; minute++) {
            machine.advance(Duration.ofMinutes(1));
            final MachineSnapshot s = machine.snapshot();
            assertThat(s.good()).isGreaterThanOrEqualTo(good);
            assertThat(s.scrap()).isGreaterThanOrEqualTo(scrap);
            good = s.good();
            scrap = s.scrap();
        }

        assertThat(good + scrap).isEqualTo(parts.size());
        assertThat(parts.stream().filter(PartCompleted::good).count()).isEqualTo(good);
        assertThat(good).isGreaterThan(1000);
        assertThat(scrap).isPositive();
        final double nominalMs = MachineType.LATHE.profile().nominalCycle().toMillis();
        assertThat(parts).allSatisfy(p -> assertThat(p.cycleTimeMs())
                .isBetween(0.8 * nominalMs - 1, 1.3 * nominalMs + 1));
        final double meanCycle = parts.stream().mapToDouble(PartCompleted::cycleTimeMs).average().orElseThrow();
        assertThat(meanCycle).isCloseTo(nominalMs, org.assertj.core.data.Percentage.withPercentage(3));
    }

    @Test
    void faultsHappenAtTheMtbfRate() {
        for (final MachineType type : MachineType.values()) {
            final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", type, 2024, START);
            final Duration mtbf = type.profile().mtbf();
            final long hours = 300 * mtbf.toHours();
            for (long h = 0; h < hours; h += 24) {
                machine.advance(Duration.ofHours(24));
            }
            final List<FaultRecord> faults = machine.faultLog();
            final double upHours = faults.stream()
                    .mapToDouble(f -> Duration.between(f.lifeStart(), f.failedAt()).toSeconds() / 3600.0)
                    .sum();
            final double observedMtbf = upHours / faults.size();

            assertThat(faults.size()).as("faults of %s", type).isGreaterThan(200);
            assertThat(observedMtbf).as("observed MTBF of %s", type)
                    .isBetween(0.7 * mtbf.toHours(), 1.3 * mtbf.toHours());
            final double cycleHours = mtbf.toHours() + type.profile().mttr().toSeconds() / 3600.0;
            assertThat((double) faults.size()).as("fault count of %s", type)
                    .isBetween(0.7 * hours / cycleHours, 1.3 * hours / cycleHours);
        }
    }

    @Test
    void vibrationAndTemperatureDriftBeforeEachFailure() {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.CNC_MILL,
                MachineType.CNC_MILL.profile().withMtbf(Duration.ofHours(8)).withMttr(Duration.ofHours(1)), 99,
                START);
        machine.startJob("plant1:wo-100003", "0010");
        final List<MachineSnapshot> samples = new ArrayList<>();
        for (int i = 0; i < 400 * 360; i++) {
            machine.advance(Duration.ofSeconds(10));
            samples.add(machine.snapshot());
        }
        final List<FaultRecord> faults = machine.faultLog();
        assertThat(faults).hasSizeGreaterThan(20);

        final List<MachineSnapshot> normal = samples.stream()
                .filter(s -> s.state() == MachineState.RUNNING)
                .filter(s -> faults.stream().noneMatch(f -> !s.at().isBefore(f.driftOnset())
                        && s.at().isBefore(f.failedAt())))
                .toList();
        final double normalVibration = mean(normal.stream().mapToDouble(MachineSnapshot::vibration).toArray());
        final double normalSpread = std(normal.stream().mapToDouble(MachineSnapshot::vibration).toArray());
        final double normalTemperature = mean(normal.stream().mapToDouble(MachineSnapshot::temperature).toArray());

        int checked = 0;
        int warmChecked = 0;
        for (final FaultRecord fault : faults) {
            final Duration life = Duration.between(fault.lifeStart(), fault.failedAt());
            final Instant windowStart = fault.failedAt().minus(life.dividedBy(10));
            final List<MachineSnapshot> window = running(samples, windowStart, fault.failedAt());
            if (window.size() < 5) {
                continue; // a life of a few minutes leaves too few samples to judge
            }
            checked++;
            final double windowVibration = mean(window.stream().mapToDouble(MachineSnapshot::vibration).toArray());
            final double windowTemperature = mean(window.stream().mapToDouble(MachineSnapshot::temperature)
                    .toArray());
            assertThat(windowVibration).as("vibration before %s", fault)
                    .isGreaterThan(normalVibration + 3 * normalSpread);
            // the body needs a while to warm up after a repair; judge temperature on lives long enough for that
            final boolean warm = life.compareTo(Duration.ofHours(3)) >= 0;
            if (warm) {
                warmChecked++;
                assertThat(windowTemperature).as("temperature before %s", fault)
                        .isGreaterThan(normalTemperature + 2);
            }

            // slowly, then faster: the second half of the drift window vibrates more than the first
            final Instant middle = fault.driftOnset().plus(Duration.between(fault.driftOnset(), fault.failedAt())
                    .dividedBy(2));
            final List<MachineSnapshot> early = running(samples, fault.driftOnset(), middle);
            final List<MachineSnapshot> late = running(samples, middle, fault.failedAt());
            if (early.size() >= 5 && late.size() >= 5) {
                assertThat(mean(late.stream().mapToDouble(MachineSnapshot::vibration).toArray()))
                        .isGreaterThan(mean(early.stream().mapToDouble(MachineSnapshot::vibration).toArray()));
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(warmChecked).isGreaterThan(5);
        assertThat(faults).allSatisfy(f -> assertThat(Duration.between(f.driftOnset(), f.failedAt()).toNanos())
                .isCloseTo((long) (SimulatedMachine.DRIFT_FRACTION
                        * Duration.between(f.lifeStart(), f.failedAt()).toNanos()),
                        org.assertj.core.data.Offset.offset(1_000L)));
    }

    @Test
    void aFaultIsRepairedWithinBoundsAndTheJobResumes() {
        final Duration mttr = Duration.ofHours(2);
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.PRESS,
                MachineType.PRESS.profile().withMtbf(Duration.ofHours(5)).withMttr(mttr), 5, START);
        final List<StateChange> changes = new ArrayList<>();
        machine.addListener(new MachineListener() {
            @Override
            public void stateChanged(final StateChange change) {
                changes.add(change);
            }
        });
        machine.startJob("plant1:wo-100004", "0010");
        for (int i = 0; i < 500 * 60; i++) {
            machine.advance(Duration.ofMinutes(1));
        }

        final List<FaultRecord> repaired = machine.faultLog().stream().filter(FaultRecord::repaired).toList();
        assertThat(repaired).hasSizeGreaterThan(30);
        assertThat(repaired).allSatisfy(f -> assertThat(f.repairTime())
                .isBetween(Duration.ofNanos((long) (0.3 * mttr.toNanos())),
                        Duration.ofNanos((long) (3.0 * mttr.toNanos()))));
        final double meanRepairHours = repaired.stream().mapToDouble(f -> f.repairTime().toSeconds() / 3600.0)
                .average().orElseThrow();
        assertThat(meanRepairHours).isBetween(0.7 * 2, 1.3 * 2);

        // DOWN is always followed by MAINTENANCE and IDLE; then the job restarts through SETUP to RUNNING (unless
        // the next fault comes first)
        int downs = 0;
        int resumed = 0;
        for (int i = 0; i + 4 < changes.size(); i++) {
            if (changes.get(i).to() != MachineState.DOWN) {
                continue;
            }
            downs++;
            assertThat(changes.get(i).reason()).contains(":");
            assertThat(changes.subList(i + 1, i + 3)).extracting(StateChange::to)
                    .containsExactly(MachineState.MAINTENANCE, MachineState.IDLE);
            assertThat(changes.get(i + 3).to()).isIn(MachineState.SETUP, MachineState.DOWN);
            final boolean resumedJob = changes.get(i + 3).to() == MachineState.SETUP
                    && changes.get(i + 4).to() == MachineState.RUNNING;
            if (resumedJob) {
                resumed++;
            }
        }
        assertThat(resumed).isGreaterThan(downs * 8 / 10);
    }

    @Test
    void aJobCannotStartWhileTheMachineIsDown() {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.WELDING_CELL,
                MachineType.WELDING_CELL.profile().withMtbf(Duration.ofHours(2)), 3, START);
        while (machine.state() != MachineState.DOWN) {
            machine.advance(Duration.ofMinutes(1));
        }

        final CommandOutcome whileDown = machine.startJob("plant1:wo-100005", "0010");

        assertThat(whileDown.accepted()).isFalse();
        assertThat(whileDown.message()).contains("DOWN").contains("L1M03");
        assertThat(machine.snapshot().job()).isNull();

        while (machine.state() != MachineState.IDLE) {
            machine.advance(Duration.ofMinutes(1));
        }
        assertThat(machine.startJob("plant1:wo-100005", "0010").accepted()).isTrue();
        assertThat(machine.state()).isEqualTo(MachineState.SETUP);
    }

    @Test
    void jobCommandsMoveTheMachineThroughSetupRunningHoldAndStop() {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.CNC_MILL,
                MachineType.CNC_MILL.profile().withMtbf(Duration.ofHours(100_000)), 1, START);

        assertThat(machine.holdJob().accepted()).isFalse();
        assertThat(machine.stopJob().accepted()).isFalse();
        assertThat(machine.startJob(" ", "0010").accepted()).isFalse();

        assertThat(machine.startJob("plant1:wo-100006", "0010").accepted()).isTrue();
        assertThat(machine.state()).isEqualTo(MachineState.SETUP);
        assertThat(machine.snapshot().jobId()).isEqualTo("plant1:wo-100006/0010");
        machine.advance(Duration.ofMinutes(40));
        assertThat(machine.state()).isEqualTo(MachineState.RUNNING);

        final CommandOutcome other = machine.startJob("plant1:wo-100007", "0010");
        assertThat(other.accepted()).isFalse();
        assertThat(other.message()).contains("busy with job plant1:wo-100006/0010");

        assertThat(machine.holdJob().accepted()).isTrue();
        assertThat(machine.state()).isEqualTo(MachineState.IDLE);
        assertThat(machine.snapshot().jobHeld()).isTrue();
        final long goodWhenHeld = machine.snapshot().good();
        machine.advance(Duration.ofHours(1));
        assertThat(machine.snapshot().good()).isEqualTo(goodWhenHeld);

        assertThat(machine.startJob("plant1:wo-100006", "0010").message()).contains("resumed");
        assertThat(machine.state()).isEqualTo(MachineState.RUNNING);
        machine.advance(Duration.ofHours(1));
        assertThat(machine.snapshot().good() + machine.snapshot().scrap()).isGreaterThan(goodWhenHeld);

        assertThat(machine.stopJob().accepted()).isTrue();
        assertThat(machine.state()).isEqualTo(MachineState.IDLE);
        assertThat(machine.snapshot().job()).isNull();
        assertThat(machine.snapshot().jobId()).isEmpty();
    }

    @Test
    void processValuesDependOnTheState() {
        final SimulatedMachine machine = SimulatedMachine.create(ID, "L1M03", MachineType.CNC_MILL,
                MachineType.CNC_MILL.profile().withMtbf(Duration.ofHours(100_000)), 1, START);
        machine.advance(Duration.ofHours(1));
        final MachineSnapshot idle = machine.snapshot();
        machine.startJob("plant1:wo-100008", "0010");
        machine.advance(Duration.ofHours(2));
        final MachineSnapshot running = machine.snapshot();

        assertThat(idle.spindleSpeed()).isZero();
        assertThat(running.spindleSpeed()).isCloseTo(9000, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(running.power()).isGreaterThan(3 * idle.power());
        assertThat(running.vibration()).isGreaterThan(3 * idle.vibration());
        assertThat(running.temperature()).isGreaterThan(idle.temperature() + 10);
    }

    private static List<MachineSnapshot> running(final List<MachineSnapshot> samples, final Instant from,
            final Instant to) {
        return samples.stream()
                .filter(s -> s.state() == MachineState.RUNNING && !s.at().isBefore(from) && s.at().isBefore(to))
                .toList();
    }

    private static double mean(final double[] values) {
        double sum = 0;
        for (final double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double std(final double[] values) {
        final double m = mean(values);
        double sum = 0;
        for (final double v : values) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / values.length);
    }
}
