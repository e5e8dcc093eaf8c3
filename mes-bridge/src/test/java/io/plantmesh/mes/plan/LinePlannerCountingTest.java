package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.machineJobs;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updated;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Counting: RUNNING, progress, completion, counter resets, idempotence and determinism (step 1). */
class LinePlannerCountingTest {

    private static final MesRules RULES = MesRules.defaults();
    private static final Instant STARTED = NOW.minusSeconds(30);

    private final LinePlanner planner = new LinePlanner(RULES);
    private final PlannerMemory memory = new PlannerMemory();

    /** Order 1 (10 pieces) DISPATCHED to machine 1, which reports it RUNNING since 30 s with counters 500/20. */
    private static LineFixture dispatchedAndReportedRunning() {
        return LineFixture.withMachines(2)
                .order(LineFixture.dispatched(newOrder(1).build(), machineId(1), NOW.minusSeconds(60),
                        NOW.minusSeconds(60), NOW.plusSeconds(840)))
                .desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, STARTED)
                .counters(1, 500, 20);
    }

    /** As {@link #dispatchedAndReportedRunning()}, after the plan that made order 1 RUNNING (base 500/20 at NOW). */
    private LineFixture running() {
        final LineFixture f = dispatchedAndReportedRunning();
        f.step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        return f;
    }

    @Test
    void dispatchedOrderTheMachineRunsBecomesRunningWithTheMachinesCountersAsBase() {
        final LineFixture f = dispatchedAndReportedRunning();
        final long revision = f.revision(orderId(1));

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).hasSize(1);
        assertThat(updates(plan).get(0).before().revision()).isEqualTo(revision);
        final WorkOrderTwin one = f.order(1);
        assertThat(one.status().status()).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat((Object) one.status().machine()).isEqualTo(machineId(1));
        assertThat(one.status().times()).containsEntry(WorkOrderStatus.RUNNING, STARTED);
        assertThat(one.status().plannedStart()).isEqualTo(NOW.minusSeconds(60));
        assertThat(one.status().plannedEnd()).isEqualTo(NOW.plusSeconds(840));
        assertThat(one.progress()).isEqualTo(new WorkOrderTwin.Progress(0, 0,
                new WorkOrderTwin.CounterBase(machineId(1), 500, 20), NOW));
        assertThat(commands(plan)).isEmpty();
        assertThat(machineJobs(plan)).isEmpty();
    }

    @Test
    void runningTimeIsNeverLaterThanNow() {
        final LineFixture f = dispatchedAndReportedRunning()
                .reports(1, orderId(1), MachineState.RUNNING, NOW.plusSeconds(10));

        f.step(planner, memory);

        assertThat(f.order(1).status().times()).containsEntry(WorkOrderStatus.RUNNING, NOW);
    }

    @Test
    void dispatchedOrderTheMachineReportsButDoesNotRunStaysDispatched() {
        final LineFixture f = dispatchedAndReportedRunning()
                .reports(1, orderId(1), MachineState.SETUP, STARTED);

        assertThat(updates(f.step(planner, memory))).isEmpty();
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);
    }

    @Test
    void counterGrowthIsWrittenAsProgressAtMostEveryProgressInterval() {
        final LineFixture f = running();

        assertThat(updates(f.produce(1, 3, 1).advance(Duration.ofSeconds(1)).step(planner, memory))).isEmpty();

        final List<Action> plan = f.produce(1, 2, 0).advance(Duration.ofSeconds(1)).step(planner, memory);
        assertThat(updates(plan)).hasSize(1);
        assertThat(updates(plan).get(0).why()).isEqualTo("progress 5/10 good, 1 scrap");
        assertThat(f.order(1).progress()).isEqualTo(new WorkOrderTwin.Progress(5, 1,
                new WorkOrderTwin.CounterBase(machineId(1), 505, 21), NOW.plusSeconds(2)));
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);

        // no growth, nothing written even when due
        assertThat(updates(f.advance(Duration.ofSeconds(10)).step(planner, memory))).isEmpty();
        // growth after a long pause is written at once
        f.produce(1, 1, 0).step(planner, memory);
        assertThat(f.order(1).progress().good()).isEqualTo(6);
    }

    @Test
    void goodReachingTheQuantityCompletesAtOnceAndStopsTheMachine() {
        final LineFixture f = running().machinesObey(false);

        final List<Action> plan = f.produce(1, 10, 2).advance(Duration.ofMillis(500)).step(planner, memory);

        final WorkOrderTwin done = f.order(1);
        assertThat(done.status().status()).isEqualTo(WorkOrderStatus.COMPLETED);
        assertThat(done.status().times()).containsEntry(WorkOrderStatus.COMPLETED, f.now())
                .containsEntry(WorkOrderStatus.RUNNING, STARTED);
        assertThat(done.status().reason()).isEqualTo("10 good, 2 scrap");
        assertThat(done.progress()).isEqualTo(new WorkOrderTwin.Progress(10, 2,
                new WorkOrderTwin.CounterBase(machineId(1), 510, 22), f.now()));
        assertThat(updates(plan).get(0).why()).isEqualTo("completed: 10 good >= 10");
        assertThat(commands(plan)).singleElement().satisfies(c -> {
            assertThat((Object) c.machine()).isEqualTo(machineId(1));
            assertThat(c.command()).isEqualTo("stopJob");
            assertThat(c.workOrder()).isEqualTo(orderId(1).toString());
        });
        assertThat(machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
        assertThat(f.line().schedule()).isEmpty();
        // a completed order is never touched again
        assertThat(updates(f.produce(1, 5, 0).advance(Duration.ofSeconds(5)).step(planner, memory))).isEmpty();
    }

    @Test
    void overshootIsCountedInFull() {
        final LineFixture f = running();

        f.produce(1, 12, 0).advance(Duration.ofSeconds(2)).step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.COMPLETED);
        assertThat(f.order(1).progress().good()).isEqualTo(12);
    }

    @Test
    void nextOrderStartsAfterTheMachineStoppedTheCompletedOne() {
        final LineFixture g = running().order(LineFixture.dispatched(newOrder(2).build(), machineId(1), NOW,
                NOW.plusSeconds(840), NOW.plusSeconds(1740)));

        final List<Action> done = g.produce(1, 10, 0).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(machineJobs(done)).containsExactly(new Action.SetMachineJob(machineId(1),
                new MachineTwin.Assignment(orderId(2).toString(), "10")));
        assertThat(commands(done)).extracting(Action.CommandMachine::command).containsExactly("stopJob");
        assertThat(g.machine(1).state().state()).isEqualTo(MachineState.IDLE);

        final List<Action> next = g.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(commands(next)).singleElement().satisfies(c -> {
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.workOrder()).isEqualTo(orderId(2).toString());
        });
    }

    @Test
    void counterResetIsCountedFromZero() {
        final WorkOrderTwin one = LineFixture.running(newOrder(1).build(), machineId(1), NOW.minusSeconds(600),
                new WorkOrderTwin.Progress(4, 1, new WorkOrderTwin.CounterBase(machineId(1), 100, 5),
                        NOW.minusSeconds(10)));
        final LineFixture f = LineFixture.withMachines(1).order(one).desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(5))
                // the machine restarted: its counters began again at zero
                .counters(1, 3, 0);

        f.step(planner, memory);

        assertThat(f.order(1).progress()).isEqualTo(new WorkOrderTwin.Progress(7, 1,
                new WorkOrderTwin.CounterBase(machineId(1), 3, 0), NOW));
    }

    @Test
    void firstReadingOnAMachineOnlySetsTheBase() {
        final WorkOrderTwin one = LineFixture.running(newOrder(1).build(), machineId(1), NOW.minusSeconds(600),
                new WorkOrderTwin.Progress(4, 1, new WorkOrderTwin.CounterBase(machineId(2), 100, 5),
                        NOW.minusSeconds(1)));
        final LineFixture f = LineFixture.withMachines(2).order(one).desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(5))
                .counters(1, 300, 30);

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan).get(0).why()).isEqualTo("counting on plant1:machine-1-01");
        assertThat(f.order(1).progress()).isEqualTo(new WorkOrderTwin.Progress(4, 1,
                new WorkOrderTwin.CounterBase(machineId(1), 300, 30), NOW));
    }

    @Test
    void runningOrderIsOnlyCountedWhileItsMachineReportsIt() {
        final LineFixture f = running();
        f.reports(1, orderId(77), MachineState.RUNNING, NOW).produce(1, 5, 0).advance(Duration.ofSeconds(3));

        final WorkOrderTwin before = f.order(1);
        final List<Action> plan = f.step(planner, memory);

        // nothing is counted for order 1; its counter base is dropped (the machine's counters are not its own now)
        assertThat(updated(plan, 1)).hasValueSatisfying(o -> {
            assertThat(o.progress().good()).isEqualTo(before.progress().good());
            assertThat(o.progress().scrap()).isEqualTo(before.progress().scrap());
            assertThat(o.progress().base()).isNull();
            assertThat(o.status()).isEqualTo(before.status());
        });
        assertThat(commands(plan)).extracting(Action.CommandMachine::command, Action.CommandMachine::workOrder)
                .containsExactly(tuple("stopJob", orderId(77).toString()));
    }

    @Test
    void runningOrderResumedAfterItsMachineRanAnotherJobCountsOnlyItsOwnPieces() {
        final WorkOrderTwin one = LineFixture.running(newOrder(1).quantity(100).build(), machineId(1),
                NOW.minusSeconds(600), new WorkOrderTwin.Progress(10, 0,
                        new WorkOrderTwin.CounterBase(machineId(1), 100, 0), NOW.minusSeconds(10)));
        final LineFixture f = LineFixture.withMachines(1).order(one).desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(600)).counters(1, 100, 0);
        assertThat(updates(f.step(planner, memory))).isEmpty();
        // someone runs job wo-000077 on the machine: 30 pieces; the MES stops it and starts order 1 again
        f.reports(1, orderId(77), MachineState.RUNNING, f.now()).advance(Duration.ofSeconds(2)).produce(1, 30, 0);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.machine(1).state().state()).isEqualTo(MachineState.IDLE);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.machine(1).job().reported().workOrder()).isEqualTo(orderId(1).toString());

        // order 1 has made nothing since: its count stays 10
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        f.produce(1, 1, 0).advance(Duration.ofSeconds(2)).step(planner, memory);

        assertThat(f.order(1).progress().good()).isEqualTo(11);
    }

    @Test
    void sameViewTwiceWritesOnce() {
        final LineFixture f = running().produce(1, 4, 0).advance(Duration.ofSeconds(2));
        final LineView before = f.view();
        final Instant at = f.now();

        final List<Action> first = planner.plan(before, at, memory);
        f.apply(first, memory);
        assertThat(updates(first)).hasSize(1);
        final WorkOrderTwin afterFirst = f.order(1);
        final long revision = f.revision(orderId(1));

        // the event arrives again: the bridge plans on the view it now reads, and nothing is left to do
        assertThat(updates(f.plan(planner, memory))).isEmpty();
        // a copy of the first plan computed from the old view only carries writes at an old revision: they conflict
        final List<Action> duplicate = planner.plan(before, at, memory);
        assertThat(updates(duplicate)).isEqualTo(updates(first));
        f.apply(duplicate, memory);
        assertThat(f.conflicts()).isEqualTo(1);
        assertThat(f.order(1)).isEqualTo(afterFirst);
        assertThat(f.revision(orderId(1))).isEqualTo(revision);
        assertThat(f.order(1).progress().good()).isEqualTo(4);
    }

    @Test
    void sameViewAndFreshMemoryGiveTheSamePlan() {
        final LineFixture f = LineFixture.withMachines(4).capabilities(2, "milling").material("RAW-1001", 30);
        for (int n = 1; n <= 14; n++) {
            f.order(newOrder(n).priority(1 + n % 3).quantity(3 + n % 4).capability(n % 5 == 0 ? "milling" : null)
                    .needs("RAW-1001", n % 7 == 0 ? 50 : 5));
        }
        final PlannerMemory run = new PlannerMemory();
        for (int tick = 0; tick < 12; tick++) {
            if (tick == 6) {
                f.down(3, "fault");
            }
            f.step(planner, run);
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        }
        final LineView view = f.view();

        final List<Action> a = new LinePlanner(RULES).plan(view, f.now(), new PlannerMemory());
        final List<Action> b = new LinePlanner(RULES).plan(view, f.now(), new PlannerMemory());

        assertThat(a).isNotEmpty().isEqualTo(b);
    }

    @Test
    void fullRunCompletesEveryOrderWithExactCountsAndStartsEachOnce() {
        final LineFixture f = LineFixture.withMachines(4);
        for (int n = 1; n <= 10; n++) {
            f.order(newOrder(n).priority(1 + n % 4).quantity(5));
        }
        int ticks = 0;
        while (ticks < 300 && !allCompleted(f, 10)) {
            f.step(planner, memory);
            f.assertConsistent(RULES);
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
            ticks++;
        }

        assertThat(allCompleted(f, 10)).as("all orders completed after %d ticks", ticks).isTrue();
        for (int n = 1; n <= 10; n++) {
            assertThat(f.order(n).progress().good()).as("good of order %d", n).isEqualTo(5);
        }
        final List<String> started = f.commandsSent().stream().filter(c -> c.command().equals("startJob"))
                .map(Action.CommandMachine::workOrder).toList();
        assertThat(started).hasSize(10).doesNotHaveDuplicates();
        long made = 0;
        for (int m = 1; m <= 4; m++) {
            made += f.machine(m).counters().good();
        }
        assertThat(made).isEqualTo(50);
        assertThat(f.conflicts()).isZero();
        // the line is left clean
        f.step(planner, memory);
        assertThat(f.line().schedule()).isEmpty();
        for (int m = 1; m <= 4; m++) {
            assertThat(f.machine(m).job().desired()).isEqualTo(MachineTwin.Assignment.NONE);
            assertThat(f.machine(m).state().state()).isEqualTo(MachineState.IDLE);
        }
    }

    private static boolean allCompleted(final LineFixture f, final int orders) {
        for (int n = 1; n <= orders; n++) {
            if (f.status(n) != WorkOrderStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }
}
