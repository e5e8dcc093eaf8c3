package io.plantmesh.maintenance.eval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import io.plantmesh.devices.simulator.FloorLayout;
import io.plantmesh.devices.simulator.MachineSpec;
import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.degradation.OperatingProgram;
import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.maintenance.model.FailureLevels;
import io.plantmesh.maintenance.model.HealthAlarm;
import io.plantmesh.maintenance.model.HealthAssessment;
import io.plantmesh.maintenance.model.MachineHealthModel;
import io.plantmesh.maintenance.model.MachineSample;
import io.plantmesh.maintenance.model.ModelSettings;
import io.plantmesh.maintenance.model.Signal;
import io.plantmesh.twin.model.machine.MachineState;

/**
 * One seeded run of a simulated fleet with the health model, in simulated time as fast as the CPU allows: every
 * {@code sampleInterval} each machine is advanced, its snapshot becomes a sample for its model, and a simple shop
 * floor keeps it busy (jobs of 4..12 h of the work order's program, sometimes an idle stretch of 2..8 h after which
 * it starts cold). With {@code predictive} on, a PREDICTED_FAILURE alarm schedules planned maintenance after
 * {@code reactionDelay} (the MES moves the work away; the machine stops its job and is maintained for
 * {@code plannedMaintenanceShare} of its type's MTTR). Deterministic under the seed: machines are advanced in lock
 * step, so the failure levels the models learn from each other come in the same order.
 */
public final class FleetRun {

    /**
     * What to run.
     *
     * @param predictive act on alarms (true) or only watch them (false, the baseline)
     * @param chartMachines machines whose health is recorded for the chart; null: all machines
     */
    public record Options(int machines, Duration period, long seed, boolean predictive, Duration sampleInterval,
            ModelSettings settings, DegradationSettings degradation, Duration reactionDelay,
            double plannedMaintenanceShare, Set<String> chartMachines) {

        public Options {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(sampleInterval, "sampleInterval");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(degradation, "degradation");
            Objects.requireNonNull(reactionDelay, "reactionDelay");
            chartMachines = chartMachines == null ? null : Set.copyOf(chartMachines);
            if (machines < 1) {
                throw new IllegalArgumentException("--machines must be at least 1, was " + machines);
            }
        }

        public Options withPredictive(final boolean value) {
            return new Options(machines, period, seed, value, sampleInterval, settings, degradation, reactionDelay,
                    plannedMaintenanceShare, chartMachines);
        }

        public Options withChartMachines(final Set<String> value) {
            return new Options(machines, period, seed, predictive, sampleInterval, settings, degradation,
                    reactionDelay, plannedMaintenanceShare, value);
        }
    }

    /** One point of a machine's health for the chart. */
    public record HealthPoint(Instant at, double evidence, Double anomalyScore, String suspected, boolean alarm) {
    }

    /**
     * What happened.
     *
     * @param machines the simulated machines after the run (their ground truth, fault logs and counters)
     * @param alarms every PREDICTED_FAILURE raise
     * @param health per chart machine, its assessments over time
     */
    public record Outcome(Options options, Instant start, Instant end, List<SimulatedMachine> machines,
            List<EvaluationMetrics.AlarmRaise> alarms, Map<String, List<HealthPoint>> health, long samples,
            long assessments, int maintenanceOrders, Duration wallTime) {
    }

    /** Plant time the runs start at (a Monday morning); fixed so that a seed gives the same run on any day. */
    public static final Instant START = Instant.parse("2026-01-05T06:00:00Z");

    private final Options options;

    public FleetRun(final Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The machines of the fleet: the demo plant's layout for the seed, as many lines as needed. */
    public static List<MachineSpec> layout(final int machines, final long seed) {
        final int perLine = 10;
        final int lines = (machines + perLine - 1) / perLine;
        return FloorLayout.demo("plant1", seed, lines, perLine, 3).subList(0, machines);
    }

    public Outcome run() {
        final long began = System.nanoTime();
        final List<MachineSpec> specs = layout(options.machines(), options.seed());
        final FailureLevels levels = new FailureLevels(options.settings().defaultFailureLevels());
        final List<Driver> drivers = new ArrayList<>();
        for (final MachineSpec spec : specs) {
            drivers.add(new Driver(spec));
        }
        final Instant end = START.plus(options.period());
        final List<EvaluationMetrics.AlarmRaise> alarms = new ArrayList<>();
        final Map<String, List<HealthPoint>> health = new LinkedHashMap<>();
        specs.stream().map(MachineSpec::machineId)
                .filter(id -> options.chartMachines() == null || options.chartMachines().contains(id))
                .forEach(id -> health.put(id, new ArrayList<>()));
        long samples = 0;
        long assessments = 0;
        int orders = 0;
        for (Instant t = START.plus(options.sampleInterval()); !t.isAfter(end); t = t.plus(options.sampleInterval())) {
            for (final Driver d : drivers) {
                d.drive(t);
                d.machine.step(t);
                final MachineSnapshot snapshot = d.machine.snapshot();
                samples++;
                final Optional<HealthAssessment> assessment = d.model.accept(sampleOf(snapshot), levels);
                if (assessment.isEmpty()) {
                    continue;
                }
                assessments++;
                final HealthAssessment a = assessment.get();
                for (final HealthAlarm raised : a.raised()) {
                    if (raised.code().equals(HealthAlarm.PREDICTED_FAILURE)) {
                        alarms.add(new EvaluationMetrics.AlarmRaise(d.id, a.at(), raised.failureMode()));
                        if (options.predictive() && d.maintenanceAt == null) {
                            d.maintenanceAt = t.plus(options.reactionDelay());
                            d.maintenanceReason = raised.message();
                            orders++;
                        }
                    }
                }
                final List<HealthPoint> series = health.get(d.id);
                if (series != null) {
                    series.add(new HealthPoint(a.at(), a.modeScores().values().stream().mapToDouble(v -> v)
                            .max().orElse(0), a.anomalyScore(), a.suspectedMode() == null ? null
                            : a.suspectedMode().name(), a.failurePredicted()));
                }
            }
        }
        return new Outcome(options, START, end, drivers.stream().map(d -> d.machine).toList(), List.copyOf(alarms),
                health, samples, assessments, orders, Duration.ofNanos(System.nanoTime() - began));
    }

    /** The model's view of a snapshot: what a machine twin would show. */
    public static MachineSample sampleOf(final MachineSnapshot s) {
        final Map<Signal, Double> values = new EnumMap<>(Signal.class);
        values.put(Signal.VIBRATION, s.vibration());
        values.put(Signal.TEMPERATURE, s.temperature());
        values.put(Signal.POWER, s.power());
        if (s.spindleLoad() != null) {
            values.put(Signal.SPINDLE_LOAD, s.spindleLoad());
        }
        if (s.hydraulicPressure() != null) {
            values.put(Signal.HYDRAULIC_PRESSURE, s.hydraulicPressure());
        }
        if (s.lastCycleTimeMs() != null) {
            values.put(Signal.CYCLE_TIME, s.lastCycleTimeMs());
        }
        return new MachineSample(s.machineId(), s.type().name(), s.at(), s.state(), s.stateSince(), s.stateReason(),
                s.program(), values, s.good(), s.scrap());
    }

    /** One machine, its model and the shop floor around it. */
    private final class Driver {

        final String id;
        final SimulatedMachine machine;
        final MachineHealthModel model;
        final Random floor;
        final int index;
        int jobs;
        long partsAtJobStart;
        long jobParts;
        Instant idleUntil;
        Instant maintenanceAt;
        String maintenanceReason;

        Driver(final MachineSpec spec) {
            this.id = spec.machineId();
            this.index = spec.position() + 100 * spec.line();
            this.machine = SimulatedMachine.create(spec.machineId(), spec.key(), spec.type(), spec.type().profile(),
                    options.seed(), START, options.degradation());
            this.model = new MachineHealthModel(spec.machineId(), options.settings());
            this.floor = new Random(new SplittableRandom(options.seed() * 31 + spec.machineId().hashCode())
                    .nextLong());
        }

        void drive(final Instant t) {
            final MachineSnapshot s = machine.snapshot();
            if (maintenanceAt != null && !t.isBefore(maintenanceAt)) {
                maintenanceAt = null;
                final boolean up = s.state() == MachineState.IDLE || s.state() == MachineState.SETUP
                        || s.state() == MachineState.RUNNING;
                if (up) {
                    if (s.job() != null) {
                        machine.stopJob();
                    }
                    final Duration planned = Duration.ofSeconds(Math.round(machine.profile().mttr().toSeconds()
                            * options.plannedMaintenanceShare()));
                    machine.startMaintenance(planned, maintenanceReason);
                }
                return;
            }
            if (s.state() == MachineState.RUNNING && s.job() != null
                    && s.good() + s.scrap() - partsAtJobStart >= jobParts) {
                machine.stopJob();
                if (floor.nextDouble() < 0.15) {
                    // no order for this machine for a while: it stands still and cools down
                    idleUntil = t.plus(Duration.ofMinutes(120 + floor.nextInt(361)));
                }
                return;
            }
            if (s.state() != MachineState.IDLE || (idleUntil != null && t.isBefore(idleUntil))) {
                return;
            }
            if (s.job() != null) {
                // held after a repair or maintenance: resume it
                machine.startJob(s.job().workOrder(), s.job().operation());
                return;
            }
            jobs++;
            final String order = "plant1:wo-" + (index * 10_000 + jobs);
            final double hours = 4 + 8 * floor.nextDouble();
            final double cycleSeconds = machine.profile().nominalCycle().toSeconds()
                    * OperatingProgram.forWorkOrder(order).cycle();
            jobParts = Math.max(1, Math.round(hours * 3600 / cycleSeconds));
            partsAtJobStart = s.good() + s.scrap();
            machine.startJob(order, "10");
        }
    }
}
