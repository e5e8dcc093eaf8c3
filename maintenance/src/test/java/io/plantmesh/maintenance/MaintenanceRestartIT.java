package io.plantmesh.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.maintenance.model.HealthAssessment;
import io.plantmesh.maintenance.model.ModelSettings;
import io.plantmesh.maintenance.support.SettableClock;
import io.plantmesh.maintenance.support.SimulatedMachinesOnTwins;
import io.plantmesh.maintenance.support.TestTwins;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * A restarted maintenance service restores its models from MongoDB, judges at once (no relearning) and raises no
 * burst of alarms: healthy machines (noise, glitches, two programs) are watched for hours, the service is stopped and
 * started again on the same database, and the machines are watched for hours more.
 */
class MaintenanceRestartIT {

    private static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");
    private static final String NS = "mr";
    private static final ThingId LINE = PlantThingIds.line(NS, 1);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aRestartedServiceRestoresItsModelsAndRaisesNoAlarms() throws Exception {
        final TestTwins twins = TestTwins.start();
        closing.add(twins);
        final SettableClock clock = new SettableClock(T0);
        final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
        final DegradationSettings noWear = DegradationSettings.defaults().withMeanTimeToOnset(Duration.ofDays(100_000))
                .withSuddenMtbfFactor(10_000).withNoise(0.03, 0.01);
        final MachineType[] types = {MachineType.CNC_MILL, MachineType.LATHE, MachineType.PRESS};
        for (int n = 1; n <= types.length; n++) {
            final ThingId id = PlantThingIds.machine(NS, 1, n);
            twins.put(MachineTwin.initial(id, LINE, "Machine " + n, DeviceBinding.hono(NS, id.toString()), T0)
                    .toThing());
            final SimulatedMachine m = SimulatedMachine.create(id.toString(), "L1M0" + n, types[n - 1],
                    types[n - 1].profile(), 40 + n, T0, noWear);
            // two work orders, two programs: the first until hour 3, the second after
            m.startJob(NS + ":wo-1" + n, "10");
            machines.put(id.toString(), m);
        }
        final SimulatedMachinesOnTwins floor = SimulatedMachinesOnTwins.connect(twins, machines);
        closing.add(floor);
        final MaintenanceConfig config = MaintenanceConfig.defaults(twins.wsEndpoint(), "ditto", "ditto",
                        List.of(NS), twins.mongoUri(), null)
                .withClock(clock)
                .withSettings(ModelSettings.defaults().withWindow(Duration.ofMinutes(5), Duration.ofMinutes(15))
                        .withLearning(6, 10))
                .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withMongoDatabase("maintenance_mr");

        final MaintenanceService first = MaintenanceService.create(config).start();
        final Instant[] t = {T0};
        run(floor, machines, clock, t, Duration.ofHours(6));
        final String mill = PlantThingIds.machine(NS, 1, 1).toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> first.latest(mill).map(HealthAssessment::state)
                .filter(HealthAssessment.ACTIVE::equals).isPresent());
        assertThat(first.counters()).doesNotContainKey("alarms.raised");
        first.close();

        final MaintenanceService second = MaintenanceService.create(config).start();
        closing.add(second);
        assertThat(second.restoredModels()).isEqualTo(machines.size());
        final List<String> states = new ArrayList<>();
        for (int step = 0; step < 4 * 60; step++) {
            run(floor, machines, clock, t, Duration.ofMinutes(1));
            second.latest(mill).map(HealthAssessment::state).ifPresent(s -> {
                if (states.isEmpty() || !states.get(states.size() - 1).equals(s)) {
                    states.add(s);
                }
            });
        }
        // judged at once (GRACE, then ACTIVE): the learned normal behaviour came back, nothing was learned anew
        assertThat(states).startsWith(HealthAssessment.GRACE).contains(HealthAssessment.ACTIVE)
                .doesNotContain(HealthAssessment.LEARNING);
        assertThat(second.counters()).doesNotContainKey("alarms.raised").containsKey("assessments");
    }

    /**
     * Advances plant time by {@code span}, one minute per step, writing the machines' twins; at hour 3 each machine
     * changes to another work order (another program).
     */
    private void run(final SimulatedMachinesOnTwins floor, final Map<String, SimulatedMachine> machines,
            final SettableClock clock, final Instant[] t, final Duration span) throws InterruptedException {
        final Instant end = t[0].plus(span);
        while (t[0].isBefore(end)) {
            t[0] = t[0].plus(Duration.ofMinutes(1));
            clock.set(t[0]);
            for (final SimulatedMachine m : machines.values()) {
                m.step(t[0]);
                final boolean change = !t[0].isBefore(T0.plus(Duration.ofHours(3))) && switched.add(m.machineId());
                if (change) {
                    m.stopJob();
                    m.startJob(NS + ":wo-2" + m.key(), "10");
                }
            }
            floor.publish();
            Thread.sleep(5);
        }
    }

    private final java.util.Set<String> switched = new java.util.HashSet<>();
}
