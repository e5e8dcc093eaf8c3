package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MaintenanceWindow;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;

/** Maintenance windows: the machine's work moves away like after a fault, but before it; times go around windows. */
class LinePlannerMaintenanceTest {

    private static final MesRules RULES = MesRules.defaults();
    private static final Duration CYCLE = RULES.defaultCycleTime();
    private static final Duration SETUP = RULES.setupTime();

    private final LinePlanner planner = new LinePlanner(RULES);
    private final PlannerMemory memory = new PlannerMemory();

    private static MaintenanceWindow window(final String id, final Instant start, final Duration length) {
        return new MaintenanceWindow(id, start, start.plus(length), "predicted BEARING_WEAR failure", "maintenance",
                "BEARING_WEAR", start);
    }

    /** Two machines; orders 1 and 2 (10 pieces) run on machines 1 and 2, order 3 is queued behind 1 on machine 1. */
    private LineFixture twoMachinesBusy() {
        final LineFixture f = LineFixture.withMachines(2);
        for (int n = 1; n <= 3; n++) {
            f.order(newOrder(n).priority(n));
        }
        f.step(planner, memory);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(1));
        return f;
    }

    @Test
    void atTheWindowsStartTheMachinesOrdersMoveAndItIsStoppedThenMaintained() {
        final LineFixture f = twoMachinesBusy().advance(Duration.ofSeconds(5));
        final MaintenanceWindow w = window("mw-1", f.now(), Duration.ofHours(2));
        f.machine(1, m -> m.withMaintenance(List.of(w)));

        final List<Action> plan = f.step(planner, memory);

        // like a fault: both orders of machine 1 go to machine 2, which is up
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(2));
        assertThat(f.order(1).status().reason()).contains("plant1:machine-1-01 is reserved for maintenance until "
                + w.end() + " (window mw-1: predicted BEARING_WEAR failure)");
        // machine 1 still runs order 1: it is stopped first
        assertThat(commands(plan)).filteredOn(c -> c.machine().equals(machineId(1))).singleElement()
                .satisfies(c -> {
                    assertThat(c.command()).isEqualTo("stopJob");
                    assertThat(c.why()).contains("reserved for maintenance window mw-1");
                });

        // once IDLE without a job it is told to start its maintenance, until the window's end
        final List<Action> next = f.advance(Duration.ofSeconds(1)).step(planner, memory);
        assertThat(commands(next)).filteredOn(c -> c.machine().equals(machineId(1))).singleElement()
                .satisfies(c -> {
                    assertThat(c.command()).isEqualTo("startMaintenance");
                    assertThat(c.workOrder()).isEqualTo("mw-1");
                    assertThat(c.payload().getValue("durationMinutes").orElseThrow().asLong()).isEqualTo(120);
                    assertThat(c.payload().getValue("until").orElseThrow().asString()).isEqualTo(w.end().toString());
                });
        // not repeated before the retry interval, and nothing is dispatched to it
        assertThat(commands(f.advance(Duration.ofSeconds(1)).step(planner, memory)))
                .noneMatch(c -> c.machine().equals(machineId(1)));
        f.state(1, MachineState.MAINTENANCE, "planned maintenance");
        assertThat(commands(f.advance(RULES.commandRetry()).step(planner, memory)))
                .noneMatch(c -> c.machine().equals(machineId(1)));
        f.assertConsistent(RULES);

        // after the window the machine gets work again: a queued order is rebalanced from the full machine 2
        f.advance(Duration.ofHours(2)).state(1, MachineState.IDLE, "maintenance done");
        f.step(planner, memory);
        assertThat(List.of(f.machineOf(1), f.machineOf(3))).contains(machineId(1));
    }

    @Test
    void queuedWorkIsPlannedAroundAFutureWindowAndMovesToWhereItStartsEarlier() {
        final LineFixture f = LineFixture.withMachines(2);
        f.order(newOrder(1).priority(1).quantity(10));
        f.order(newOrder(2).priority(2).quantity(10));
        f.step(planner, memory);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        // machine 1 runs order 1 (10 min of work); a window on machine 1 starts in 5 min for 2 h
        final Instant now = f.now();
        final MaintenanceWindow w = window("mw-2", now.plus(Duration.ofMinutes(5)), Duration.ofHours(2));
        f.machine(1, m -> m.withMaintenance(List.of(w)));
        f.order(newOrder(3).priority(3).quantity(10));

        f.step(planner, memory);

        // order 3 is not planned into the window: machine 2 is free after order 2, earlier than after the window
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(2));
        assertThat(f.order(3).status().plannedStart()).isBefore(w.start().plus(Duration.ofHours(1)));
        assertThat(LinePlanner.nextWindowBoundary(f.view(), now)).contains(w.start());
        assertThat(LinePlanner.nextWindowBoundary(f.view(), w.start())).contains(w.end());
        assertThat(LinePlanner.nextWindowBoundary(f.view(), w.end())).isEmpty();
        f.assertConsistent(RULES);
    }

    @Test
    void anOrderThatCannotFinishBeforeAWindowIsPlannedAfterIt() {
        final LineFixture f = LineFixture.withMachines(1);
        final Instant start = NOW.plus(Duration.ofMinutes(10));
        final MaintenanceWindow w = window("mw-3", start, Duration.ofHours(1));
        f.machine(1, m -> m.withMaintenance(List.of(w)));
        f.order(newOrder(1).quantity(10));

        f.step(planner, memory);

        // 10 pieces + setup take 15 min: they do not fit before the window, so the order is planned after it
        assertThat(f.order(1).status().plannedStart()).isEqualTo(w.end());
        assertThat(f.order(1).status().plannedEnd()).isEqualTo(w.end().plus(CYCLE.multipliedBy(10)).plus(SETUP));
        assertThat(f.order(1).status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
    }
}
