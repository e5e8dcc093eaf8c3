package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** A repaired machine gets work again: queued orders move to it when they start early enough there (step 7). */
class LinePlannerRebalanceTest {

    private static final MesRules RULES = MesRules.defaults();
    private static final Duration TEN_PIECES = RULES.setupTime().plus(RULES.defaultCycleTime().multipliedBy(10));

    private static MesRules withRebalanceThreshold(final Duration threshold) {
        final MesRules d = MesRules.defaults();
        return new MesRules(d.maxQueuePerMachine(), d.defaultCycleTime(), d.setupTime(), d.progressInterval(),
                d.commandRetry(), d.qualityWindow(), d.qualityMinPieces(), d.scrapThreshold(), threshold);
    }

    /**
     * Machine 1 is DOWN while orders 1..9 (10 pieces each, ranked by id) fill machines 2, 3 and 4 (three each:
     * 2 = 1, 4, 7; 3 = 2, 5, 8; 4 = 3, 6, 9); the heads 1, 2, 3 run (nothing counted yet). Then machine 1 is repaired.
     */
    private static LineFixture fullLineWithRepairedMachine(final LinePlanner planner, final PlannerMemory memory,
            final boolean machinesStart) {
        final LineFixture f = LineFixture.withMachines(4).down(1, "spindle fault").machinesObey(machinesStart);
        for (int n = 1; n <= 9; n++) {
            f.order(newOrder(n));
        }
        f.step(planner, memory);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(List.of(1L, 4L, 7L)).allSatisfy(n -> assertThat((Object) f.machineOf(n)).isEqualTo(machineId(2)));
        assertThat(List.of(2L, 5L, 8L)).allSatisfy(n -> assertThat((Object) f.machineOf(n)).isEqualTo(machineId(3)));
        assertThat(List.of(3L, 6L, 9L)).allSatisfy(n -> assertThat((Object) f.machineOf(n)).isEqualTo(machineId(4)));
        f.advance(Duration.ofSeconds(2)).state(1, MachineState.IDLE, "repaired");
        return f;
    }

    @Test
    void repairedMachineTakesTheQueuedOrdersThatStartEnoughEarlierThere() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = fullLineWithRepairedMachine(planner, memory, true);
        assertThat(List.of(1L, 2L, 3L)).allSatisfy(n -> assertThat(f.status(n)).isEqualTo(WorkOrderStatus.RUNNING));
        final Instant now = f.now();

        final List<Action> plan = f.step(planner, memory);

        // order 4 waited 10 min behind order 1 and starts now on machine 1; order 8 waited 25 min and starts in 15
        assertThat(updates(plan)).extracting(Action.UpdateOrder::orderId).containsExactly(orderId(4), orderId(8));
        assertThat(updates(plan).get(0).why())
                .isEqualTo("rebalanced from plant1:machine-1-02 to plant1:machine-1-01: starts 10 min earlier");
        final WorkOrderTwin four = f.order(4);
        assertThat((Object) four.status().machine()).isEqualTo(machineId(1));
        assertThat(four.status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat(four.status().plannedStart()).isEqualTo(now);
        assertThat(four.status().plannedEnd()).isEqualTo(now.plus(TEN_PIECES));
        final WorkOrderTwin eight = f.order(8);
        assertThat((Object) eight.status().machine()).isEqualTo(machineId(1));
        assertThat(eight.status().plannedStart()).isEqualTo(now.plus(TEN_PIECES));
        // the moved order keeps its dispatch time: a move is not a new dispatch
        assertThat(four.status().times().get(WorkOrderStatus.DISPATCHED)).isBefore(now);
        // heads and running orders stay
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(3));
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(4));
        assertThat((Object) f.machineOf(5)).isEqualTo(machineId(3));
        assertThat((Object) f.machineOf(6)).isEqualTo(machineId(4));
        assertThat((Object) f.machineOf(7)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(9)).isEqualTo(machineId(4));
        assertThat(f.machine(1).job().desired().workOrder()).isEqualTo(orderId(4).toString());
        assertThat(f.commandsSent()).last().satisfies(c -> {
            assertThat((Object) c.machine()).isEqualTo(machineId(1));
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.workOrder()).isEqualTo(orderId(4).toString());
        });
        f.assertConsistent(RULES);

        // the next plan only notes that machine 1 runs order 4: no order moves back or on
        final List<Action> next = f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(updates(next)).extracting(Action.UpdateOrder::orderId).containsExactly(orderId(4));
        assertThat(f.status(4)).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat(updates(f.advance(Duration.ofSeconds(2)).step(planner, memory))).isEmpty();
    }

    @Test
    void headOrdersNeverMoveEvenIfNotStarted() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        // machines do not start: heads 1, 2, 3 stay DISPATCHED
        final LineFixture f = fullLineWithRepairedMachine(planner, memory, false);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);

        f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(3));
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(4));
        assertThat((Object) f.machineOf(4)).isEqualTo(machineId(1));
    }

    @Test
    void headOrderDoesNotMoveEvenWithAZeroThreshold() {
        final LinePlanner planner = new LinePlanner(withRebalanceThreshold(Duration.ZERO));
        final PlannerMemory memory = new PlannerMemory();
        // order 1 is head of machine 1, not started yet; machine 2 comes back empty and could start it as early
        final LineFixture f = LineFixture.withMachines(2).machinesObey(false).down(2, "fault").order(newOrder(1));
        f.step(planner, memory);
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
        f.advance(Duration.ofSeconds(2)).state(2, MachineState.IDLE, "repaired");

        for (int i = 0; i < 3; i++) {
            assertThat(updates(f.advance(Duration.ofSeconds(2)).step(planner, memory))).isEmpty();
        }
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
    }

    @Test
    void gainOfExactlyTheThresholdMoves() {
        final LinePlanner planner = new LinePlanner(withRebalanceThreshold(Duration.ofMinutes(25)));
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = fullLineWithRepairedMachine(planner, memory, true);

        final List<Action> plan = f.step(planner, memory);

        // only order 7 (third on machine 2, starts in 25 min there) gains 25 min; then order 8 would gain 10 min
        assertThat(updates(plan)).extracting(Action.UpdateOrder::orderId).containsExactly(orderId(7));
        assertThat((Object) f.machineOf(7)).isEqualTo(machineId(1));
    }

    @Test
    void gainBelowTheThresholdDoesNotMove() {
        final LinePlanner planner = new LinePlanner(withRebalanceThreshold(Duration.ofMinutes(25).plusSeconds(1)));
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = fullLineWithRepairedMachine(planner, memory, true);

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).isEmpty();
        assertThat(f.machine(1).job().desired().workOrder()).isNull();
    }

    @Test
    void rebalanceOnTheAppliedViewMovesNothingMore() {
        final LinePlanner planner = new LinePlanner(RULES.withMaxQueuePerMachine(2));
        final PlannerMemory memory = new PlannerMemory();
        final WorkOrderTwin.Progress none = new WorkOrderTwin.Progress(0, 0);
        // machine 1 runs order 11 (30 min left), order 1 (milling) queued behind it; machine 2 runs order 12
        // (10 min left), order 3 (any machine) queued behind it; machine 3 (turning only) is idle and empty
        final LineFixture f = LineFixture.withMachines(3).machinesObey(false)
                .capabilities(1, "milling").capabilities(2, "milling").capabilities(3, "turning")
                .order(LineFixture.running(newOrder(11).quantity(30).build(), machineId(1), NOW, none))
                .order(LineFixture.running(newOrder(12).quantity(10).build(), machineId(2), NOW, none))
                .order(LineFixture.dispatched(newOrder(1).priority(1).capability("milling").build(), machineId(1),
                        NOW, NOW.plus(Duration.ofMinutes(30)), NOW.plus(Duration.ofMinutes(45))))
                .order(LineFixture.dispatched(newOrder(3).priority(2).build(), machineId(2), NOW,
                        NOW.plus(Duration.ofMinutes(10)), NOW.plus(Duration.ofMinutes(25))))
                .reports(1, orderId(11), MachineState.RUNNING, NOW).desired(1, orderId(11))
                .reports(2, orderId(12), MachineState.RUNNING, NOW).desired(2, orderId(12));

        final List<Action> first = f.step(planner, memory);
        assertThat(updates(first)).extracting(Action.UpdateOrder::orderId).contains(orderId(3));
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(3));

        final List<Action> second = f.plan(planner, memory);

        assertThat(updates(second)).isEmpty();
    }

    @Test
    void runningOrdersNeverMoveEvenWithAHugeGain() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        // one long running order on machine 1, machine 2 idle and empty
        final LineFixture f = LineFixture.withMachines(2).down(2, "fault").order(newOrder(1).quantity(500));
        f.step(planner, memory);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        f.state(2, MachineState.IDLE, "repaired");

        assertThat(updates(f.step(planner, memory))).isEmpty();
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
    }

    @Test
    void repairedMachineRunsOrdersAgainInAFullRun() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(3);
        for (int n = 1; n <= 12; n++) {
            f.order(newOrder(n).quantity(5));
        }
        long goodBeforeRepair = -1;
        for (int tick = 0; tick < 400 && !allDone(f, 12); tick++) {
            if (tick == 10) {
                f.down(1, "spindle fault");
            }
            if (tick == 40) {
                f.state(1, MachineState.IDLE, "repaired");
                goodBeforeRepair = f.machine(1).counters().good();
            }
            f.step(planner, memory);
            f.assertConsistent(RULES);
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        }

        assertThat(allDone(f, 12)).as("all orders completed").isTrue();
        for (int n = 1; n <= 12; n++) {
            assertThat(f.order(n).progress().good()).as("good of order %d", n).isEqualTo(5);
        }
        assertThat(f.machine(1).counters().good()).as("pieces of machine 1 after repair")
                .isGreaterThan(goodBeforeRepair);
        final long made = f.machine(1).counters().good() + f.machine(2).counters().good()
                + f.machine(3).counters().good();
        assertThat(made).isEqualTo(60);
        assertThat(f.conflicts()).isZero();
    }

    private static boolean allDone(final LineFixture f, final int orders) {
        for (int n = 1; n <= orders; n++) {
            if (f.status(n) != WorkOrderStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }
}
