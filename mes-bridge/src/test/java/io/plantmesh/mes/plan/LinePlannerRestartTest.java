package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** A restart mid-run (fresh memory, current twins) changes nothing but what the state demands. */
class LinePlannerRestartTest {

    private static final MesRules RULES = MesRules.defaults().withMaxQueuePerMachine(2);

    private final LinePlanner planner = new LinePlanner(RULES);

    /** Four machines, twelve orders of 5 pieces, run for {@code ticks} ticks of 2 s (1 good piece a tick). */
    private static LineFixture midRun(final LinePlanner planner, final PlannerMemory memory, final int ticks) {
        final LineFixture f = LineFixture.withMachines(4).capabilities(4, "milling");
        for (int n = 1; n <= 12; n++) {
            f.order(newOrder(n).priority(1 + n % 3).quantity(5).capability(n % 4 == 0 ? "milling" : null));
        }
        for (int tick = 0; tick < ticks; tick++) {
            f.step(planner, memory);
            if (tick < ticks - 1) {
                f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
            }
        }
        return f;
    }

    @Test
    void freshMemoryOnAnAppliedMidRunViewDecidesWhatTheRunningMemoryDecides() {
        for (final int ticks : new int[] {1, 2, 5, 9, 14}) {
            final PlannerMemory memory = new PlannerMemory();
            final LineFixture f = midRun(planner, memory, ticks);
            assertThat(f.view().orders().values()).as("mid-run after %d ticks", ticks)
                    .anyMatch(o -> o.twin().status().status() == WorkOrderStatus.DISPATCHED
                            || o.twin().status().status() == WorkOrderStatus.RUNNING);

            final List<Action> afterRestart = f.plan(new LinePlanner(RULES), new PlannerMemory());
            final List<Action> continued = f.plan(planner, memory);

            assertThat(withoutCommands(afterRestart)).as("plan after restart at tick %d", ticks)
                    .isEqualTo(withoutCommands(continued));
            // the only order changes: machines that started their order in the last plan now run it
            assertThat(afterRestart).as("plan after restart at tick %d", ticks).allSatisfy(a -> assertThat(a)
                    .isInstanceOfAny(Action.UpdateOrder.class, Action.CommandMachine.class));
            assertThat(updates(afterRestart)).allSatisfy(u -> {
                assertThat(u.before().twin().status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
                assertThat(u.after().status().status()).isEqualTo(WorkOrderStatus.RUNNING);
                assertThat((Object) u.after().status().machine()).isEqualTo(u.before().twin().status().machine());
                assertThat(LinePlanner.reportedJob(f.view().machines().get(u.after().status().machine()).twin()))
                        .isEqualTo(u.orderId().toString());
            });
            // the only commands: starts for machines that stopped a finished order in the last plan
            assertThat(commands(afterRestart)).allSatisfy(c -> {
                assertThat(c.command()).isEqualTo("startJob");
                assertThat(f.machine(machineNumber(c)).state().state()).isEqualTo(MachineState.IDLE);
            });
        }
    }

    private static List<Action> withoutCommands(final List<Action> plan) {
        return plan.stream().filter(a -> !(a instanceof Action.CommandMachine)).toList();
    }

    @Test
    void runResumedWithFreshMemoryCompletesEveryOrderOnceWithExactCounts() {
        final LineFixture f = midRun(planner, new PlannerMemory(), 9);
        f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        final PlannerMemory afterRestart = new PlannerMemory();

        for (int tick = 0; tick < 300 && !allCompleted(f); tick++) {
            f.step(new LinePlanner(RULES), afterRestart);
            f.assertConsistent(RULES);
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        }

        assertThat(allCompleted(f)).isTrue();
        for (int n = 1; n <= 12; n++) {
            assertThat(f.order(n).progress().good()).as("good of order %d", n).isEqualTo(5);
        }
        assertThat(f.commandsSent().stream().filter(c -> c.command().equals("startJob"))
                .map(Action.CommandMachine::workOrder).toList()).hasSize(12).doesNotHaveDuplicates();
        assertThat(f.conflicts()).isZero();
    }

    @Test
    void machineThatStartedWhileTheBridgeWasDownOnlyMovesItsOrderToRunning() {
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(2).order(newOrder(1)).order(newOrder(2)).order(newOrder(3));
        f.step(planner, memory);
        assertThat(f.machine(1).state().state()).isEqualTo(MachineState.RUNNING);

        final List<Action> afterRestart = f.advance(Duration.ofSeconds(3)).plan(planner, new PlannerMemory());

        assertThat(afterRestart).allSatisfy(a -> assertThat(a).isInstanceOf(Action.UpdateOrder.class));
        assertThat(updates(afterRestart)).extracting(Action.UpdateOrder::orderId)
                .containsExactlyInAnyOrder(orderId(1), orderId(2));
        assertThat(updates(afterRestart)).allSatisfy(u -> {
            assertThat(u.after().status().status()).isEqualTo(WorkOrderStatus.RUNNING);
            assertThat((Object) u.after().status().machine()).isEqualTo(u.before().twin().status().machine());
        });
    }

    @Test
    void unansweredStartIsSentAgainAfterARestartAndNothingElse() {
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(2).machinesObey(false).order(newOrder(1)).order(newOrder(2));
        f.step(planner, memory);

        assertThat(f.advance(Duration.ofSeconds(1)).plan(planner, memory)).isEmpty();
        final List<Action> afterRestart = f.plan(planner, new PlannerMemory());

        assertThat(afterRestart).allSatisfy(a -> assertThat(a).isInstanceOf(Action.CommandMachine.class));
        assertThat(commands(afterRestart)).extracting(Action.CommandMachine::workOrder)
                .containsExactly(orderId(1).toString(), orderId(2).toString());
    }

    @Test
    void dispatchedOrderWithoutPlanOnAnUpMachineIsNotRedispatched() {
        // written by another client: DISPATCHED to machine 2 without planned times
        final LineFixture f = LineFixture.withMachines(2)
                .order(newOrder(1).build().dispatchTo(machineId(2), NOW.minusSeconds(5)));

        final List<Action> plan = f.step(planner, new PlannerMemory());

        assertThat(updates(plan)).isEmpty();
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat(f.machine(2).job().desired().workOrder()).isEqualTo(orderId(1).toString());
    }

    @Test
    void machineRebootedDuringTheOutageIsRestartedAndCountsOnFromZero() {
        final WorkOrderTwin one = LineFixture.running(newOrder(1).build(), machineId(1), NOW.minusSeconds(600),
                new WorkOrderTwin.Progress(4, 1, new WorkOrderTwin.CounterBase(machineId(1), 100, 5),
                        NOW.minusSeconds(60)));
        final LineFixture f = LineFixture.withMachines(1).order(one).desired(1, orderId(1))
                .reports(1, null, MachineState.IDLE, NOW.minusSeconds(30))
                .counters(1, 0, 0);
        final PlannerMemory memory = new PlannerMemory();

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).isEmpty();
        assertThat(commands(plan)).singleElement().satisfies(c -> {
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.workOrder()).isEqualTo(orderId(1).toString());
        });
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        f.produce(1, 3, 0).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.order(1).progress().good()).isEqualTo(7);
        assertThat(f.order(1).progress().scrap()).isEqualTo(1);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
    }

    @Test
    void freshMemoryStartsTheQualityWindowAfresh() {
        // all-time scrap share 6 of 21 is above the threshold, but none of it is known to be recent
        final WorkOrderTwin one = LineFixture.running(newOrder(1).quantity(100).build(), machineId(1),
                NOW.minusSeconds(600), new WorkOrderTwin.Progress(15, 6,
                        new WorkOrderTwin.CounterBase(machineId(1), 15, 6), NOW.minusSeconds(60)));
        final LineFixture f = LineFixture.withMachines(1).order(one).desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(600)).counters(1, 15, 6);

        assertThat(updates(f.step(planner, new PlannerMemory()))).isEmpty();
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
    }

    private static int machineNumber(final Action.CommandMachine c) {
        final String name = c.machine().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private static boolean allCompleted(final LineFixture f) {
        for (int n = 1; n <= 12; n++) {
            if (f.status(n) != WorkOrderStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }
}
