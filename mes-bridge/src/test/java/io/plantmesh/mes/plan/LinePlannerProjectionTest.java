package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.machineJobs;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.schedules;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Projections: desired jobs, the line schedule, start and stop commands and their repetition (step 8). */
class LinePlannerProjectionTest {

    private static final MesRules RULES = MesRules.defaults();
    private static final Duration TEN_PIECES = RULES.setupTime().plus(RULES.defaultCycleTime().multipliedBy(10));

    /** Two idle machines, four orders: 1 and 3 on machine 1, 2 and 4 on machine 2 (order 2 runs operation 20). */
    private static LineFixture twoMachinesFourOrders() {
        return LineFixture.withMachines(2)
                .order(newOrder(1).priority(1))
                .order(newOrder(2).priority(2).operation("20"))
                .order(newOrder(3).priority(3))
                .order(newOrder(4).priority(4))
                .machinesObey(false);
    }

    @Test
    void desiredJobIsTheFirstOrderOfEachMachineAndTheScheduleListsTheQueues() {
        final LineFixture f = twoMachinesFourOrders();

        final List<Action> plan = f.plan(new LinePlanner(RULES), new PlannerMemory());

        assertThat(machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), new MachineTwin.Assignment(orderId(1).toString(), "10")),
                new Action.SetMachineJob(machineId(2), new MachineTwin.Assignment(orderId(2).toString(), "20")));
        assertThat(schedules(plan)).containsExactly(new Action.SetLineSchedule(LineFixture.LINE, List.of(
                new LineTwin.ScheduleEntry(orderId(1), machineId(1), NOW, NOW.plus(TEN_PIECES)),
                new LineTwin.ScheduleEntry(orderId(3), machineId(1), NOW.plus(TEN_PIECES),
                        NOW.plus(TEN_PIECES.multipliedBy(2))),
                new LineTwin.ScheduleEntry(orderId(2), machineId(2), NOW, NOW.plus(TEN_PIECES)),
                new LineTwin.ScheduleEntry(orderId(4), machineId(2), NOW.plus(TEN_PIECES),
                        NOW.plus(TEN_PIECES.multipliedBy(2))))));
    }

    @Test
    void idleMachineWithADesiredJobIsToldToStartIt() {
        final LineFixture f = twoMachinesFourOrders();

        final List<Action> plan = f.plan(new LinePlanner(RULES), new PlannerMemory());

        assertThat(commands(plan)).hasSize(2);
        assertThat(commands(plan).get(0)).satisfies(c -> {
            assertThat((Object) c.machine()).isEqualTo(machineId(1));
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.workOrder()).isEqualTo(orderId(1).toString());
            assertThat(c.payload()).isEqualTo(JsonObject.newBuilder()
                    .set("workOrder", orderId(1).toString()).set("operation", "10").build());
        });
        assertThat(commands(plan).get(1)).satisfies(c -> {
            assertThat((Object) c.machine()).isEqualTo(machineId(2));
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.payload()).isEqualTo(JsonObject.newBuilder()
                    .set("workOrder", orderId(2).toString()).set("operation", "20").build());
        });
    }

    @Test
    void scheduleAndDesiredJobsAreNotWrittenAgainWhenUnchanged() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = twoMachinesFourOrders();
        f.step(planner, memory);

        final List<Action> again = f.advance(Duration.ofSeconds(5)).plan(planner, memory);

        assertThat(again).isEmpty();
    }

    @Test
    void unansweredStartIsRepeatedOnlyAfterCommandRetry() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = twoMachinesFourOrders();
        final Instant sentAt = f.now();
        f.step(planner, memory);

        final List<Action> justBefore = f.advance(RULES.commandRetry().minusMillis(1)).plan(planner, memory);
        assertThat(commands(justBefore)).isEmpty();

        final List<Action> atRetry = f.advance(Duration.ofMillis(1)).plan(planner, memory);
        assertThat(f.now()).isEqualTo(sentAt.plus(RULES.commandRetry()));
        assertThat(atRetry).allMatch(a -> a instanceof Action.CommandMachine);
        assertThat(commands(atRetry)).extracting(Action.CommandMachine::machine, Action.CommandMachine::command,
                        Action.CommandMachine::workOrder)
                .containsExactly(
                        tuple(machineId(1), "startJob", orderId(1).toString()),
                        tuple(machineId(2), "startJob", orderId(2).toString()));
    }

    @Test
    void aCommandForAnotherOrderIsNotSuppressedByMemory() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(1).machinesObey(false).order(newOrder(1));
        memory.sent(machineId(1), "startJob", orderId(9).toString(), NOW);

        final List<Action> plan = f.plan(planner, memory);

        assertThat(commands(plan)).extracting(Action.CommandMachine::workOrder)
                .containsExactly(orderId(1).toString());
    }

    @Test
    void machineRunningAnOrderItShouldNotIsToldToStop() {
        final LinePlanner planner = new LinePlanner(RULES);
        final PlannerMemory memory = new PlannerMemory();
        final WorkOrderTwin completed = LineFixture.running(newOrder(9).build(), machineId(1),
                        NOW.minus(Duration.ofHours(1)), new WorkOrderTwin.Progress(10, 0))
                .withStatus(WorkOrderStatus.COMPLETED, NOW.minus(Duration.ofMinutes(1)), "done");
        final LineFixture f = LineFixture.withMachines(2).machinesObey(false)
                .order(completed)
                .reports(1, orderId(9), MachineState.RUNNING, NOW.minus(Duration.ofHours(1)))
                // machine 2 runs an order the MES does not know at all
                .reports(2, orderId(77), MachineState.SETUP, NOW.minus(Duration.ofMinutes(1)));

        final List<Action> plan = f.step(planner, memory);

        assertThat(commands(plan)).hasSize(2).allSatisfy(c -> assertThat(c.command()).isEqualTo("stopJob"));
        assertThat((Object) commands(plan).get(0).machine()).isEqualTo(machineId(1));
        assertThat(commands(plan).get(0).payload())
                .isEqualTo(JsonObject.newBuilder().set("workOrder", orderId(9).toString()).build());
        assertThat((Object) commands(plan).get(1).machine()).isEqualTo(machineId(2));
        assertThat(commands(plan).get(1).workOrder()).isEqualTo(orderId(77).toString());
        assertThat(updates(plan)).isEmpty();

        assertThat(commands(f.advance(Duration.ofSeconds(14)).plan(planner, memory))).isEmpty();
        assertThat(commands(f.advance(Duration.ofSeconds(1)).plan(planner, memory)))
                .extracting(Action.CommandMachine::command).containsExactly("stopJob", "stopJob");
    }

    @Test
    void machineRunningAnotherOrderThanItsHeadIsStoppedBeforeItIsStarted() {
        final LinePlanner planner = new LinePlanner(RULES);
        // order 1 is dispatched to machine 1, which still reports order 2 that went to machine 2 meanwhile
        final LineFixture f = LineFixture.withMachines(2).machinesObey(false)
                .order(LineFixture.dispatched(newOrder(1).build(), machineId(1), NOW, NOW, NOW.plus(TEN_PIECES)))
                .order(LineFixture.dispatched(newOrder(2).build(), machineId(2), NOW, NOW, NOW.plus(TEN_PIECES)))
                .desired(1, orderId(1)).desired(2, orderId(2))
                .reports(1, orderId(2), MachineState.IDLE, NOW.minus(Duration.ofMinutes(1)));

        final List<Action> plan = f.plan(planner, new PlannerMemory());

        assertThat(commands(plan)).extracting(Action.CommandMachine::machine, Action.CommandMachine::command,
                        Action.CommandMachine::workOrder)
                .containsExactly(
                        tuple(machineId(1), "stopJob", orderId(2).toString()),
                        tuple(machineId(2), "startJob", orderId(2).toString()));
    }

    @Test
    void downMachineIsNeitherStartedNorStopped() {
        final LinePlanner planner = new LinePlanner(RULES);
        final LineFixture f = LineFixture.withMachines(1).machinesObey(false)
                .reports(1, orderId(77), MachineState.DOWN, NOW.minus(Duration.ofMinutes(1)));

        assertThat(commands(f.plan(planner, new PlannerMemory()))).isEmpty();
    }

    @Test
    void machineWithoutOrdersGetsItsDesiredJobCleared() {
        final LinePlanner planner = new LinePlanner(RULES);
        final LineFixture f = LineFixture.withMachines(1).desired(1, orderId(5));

        final List<Action> plan = f.plan(planner, new PlannerMemory());

        assertThat(plan).containsExactly(new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
    }

    @Test
    void lineWithoutLineTwinGetsNoScheduleWrite() {
        final LinePlanner planner = new LinePlanner(RULES);
        final LineFixture f = LineFixture.withMachines(1).order(newOrder(1));
        final LineView full = f.view();
        final LineView noLine = new LineView(full.lineId(), null, full.machines(), full.orders(), full.materials());

        final List<Action> plan = planner.plan(noLine, f.now(), new PlannerMemory());

        assertThat(schedules(plan)).isEmpty();
        assertThat(updates(plan)).hasSize(1);
    }
}
