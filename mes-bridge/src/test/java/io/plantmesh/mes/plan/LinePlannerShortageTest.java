package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updated;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Material shortage holds orders and releases them when stock returns (steps 4, 5). */
class LinePlannerShortageTest {

    private static final MesRules RULES = MesRules.defaults();

    private final LinePlanner planner = new LinePlanner(RULES);
    private final PlannerMemory memory = new PlannerMemory();

    @Test
    void releasedOrderNeedingMoreThanOnHandIsHeldForShortage() {
        final LineFixture f = LineFixture.withMachines(2)
                .material("RAW-1001", 50)
                .material("RAW-1002", 1000)
                .order(newOrder(1).needs("RAW-1002", 10).needs("RAW-1001", 100))
                .order(newOrder(2).needs("RAW-1001", 50));

        final List<Action> plan = f.step(planner, memory);

        final WorkOrderTwin held = f.order(1);
        assertThat(held.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.status().reasonCode()).isEqualTo(HoldReason.MATERIAL_SHORTAGE.name());
        assertThat(held.status().reason()).isEqualTo("material RAW-1001: needs 100 PC, 50 on hand");
        assertThat(held.status().times()).containsEntry(WorkOrderStatus.HELD, NOW);
        // exactly on hand is enough
        assertThat(f.status(2)).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(1));
        assertThat(commands(plan)).extracting(Action.CommandMachine::workOrder)
                .containsExactly(orderId(2).toString());
    }

    @Test
    void shortOrderIsReleasedWhenStockReturns() {
        final LineFixture f = LineFixture.withMachines(1).down(1, "fault")
                .material("RAW-1001", 50)
                .order(newOrder(1).needs("RAW-1001", 100));
        f.step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        assertThat(updates(f.advance(Duration.ofMinutes(1)).step(planner, memory))).isEmpty();

        f.advance(Duration.ofMinutes(1)).material("RAW-1001", 150);
        final List<Action> plan = f.step(planner, memory);

        // no machine is up, so the order stays RELEASED
        final WorkOrderTwin released = updated(plan, 1).orElseThrow();
        assertThat(released.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(released.status().reasonCode()).isNull();
        assertThat((Object) released.status().machine()).isNull();
        assertThat(released.status().times()).containsEntry(WorkOrderStatus.RELEASED, f.now());
    }

    @Test
    void releasedAfterShortageIsDispatchedWhenAMachineIsUp() {
        final LineFixture f = LineFixture.withMachines(1)
                .material("RAW-1001", 50)
                .order(newOrder(1).needs("RAW-1001", 100));
        f.step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);

        f.advance(Duration.ofMinutes(1)).material("RAW-1001", 100);
        f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
        assertThat(f.order(1).status().times()).containsEntry(WorkOrderStatus.RELEASED, f.now());
    }

    @Test
    void dispatchedOrderIsHeldWhenStockDropsAndLeavesItsMachine() {
        final LineFixture f = LineFixture.withMachines(1).machinesObey(false)
                .material("RAW-1001", 500)
                .order(newOrder(1).needs("RAW-1001", 100));
        f.step(planner, memory);
        assertThat(f.machine(1).job().desired().workOrder()).isEqualTo(orderId(1).toString());

        f.advance(Duration.ofSeconds(5)).material("RAW-1001", 20);
        final List<Action> plan = f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        assertThat(f.order(1).status().reasonCode()).isEqualTo(HoldReason.MATERIAL_SHORTAGE.name());
        assertThat(LineFixture.machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
        assertThat(f.line().schedule()).isEmpty();
    }

    @Test
    void runningOrderIsNotHeldForShortage() {
        final LineFixture f = LineFixture.withMachines(1)
                .material("RAW-1001", 0)
                .order(LineFixture.running(newOrder(1).needs("RAW-1001", 100).build(), machineId(1),
                        NOW.minusSeconds(60), new WorkOrderTwin.Progress(0, 0,
                                new WorkOrderTwin.CounterBase(machineId(1), 0, 0), NOW.minusSeconds(60))))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(60))
                .desired(1, orderId(1));

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).isEmpty();
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
    }

    @Test
    void dispatchedOrderTheMachineReportsRunningIsNotHeldForShortage() {
        final LineFixture f = LineFixture.withMachines(1)
                .material("RAW-1001", 0)
                .order(LineFixture.dispatched(newOrder(1).needs("RAW-1001", 100).build(), machineId(1), NOW, NOW,
                        NOW.plusSeconds(900)))
                .reports(1, orderId(1), MachineState.RUNNING, NOW)
                .advance(Duration.ofSeconds(2));

        f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
    }

    @Test
    void missingMaterialTwinIsNotAShortage() {
        final LineFixture f = LineFixture.withMachines(1).order(newOrder(1).needs("RAW-9999", 100));

        f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);
    }

    @Test
    void partlyProducedOrderNeedsOnlyTheRemainingShare() {
        // order 1 made 5 of 10 pieces before a fault: it needs 50 of its 100 pieces of RAW-1001
        final WorkOrderTwin halfDone = LineFixture.dispatched(newOrder(1).needs("RAW-1001", 100).build(),
                machineId(1), NOW, NOW, NOW.plusSeconds(600)).withProgress(new WorkOrderTwin.Progress(5, 0));
        final LineFixture f = LineFixture.withMachines(1).machinesObey(false).material("RAW-1001", 60)
                .order(halfDone)
                .desired(1, orderId(1));

        assertThat(updates(f.step(planner, memory))).isEmpty();

        f.material("RAW-1001", 49);
        final WorkOrderTwin held = updated(f.step(planner, memory), 1).orElseThrow();
        assertThat(held.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.status().reason()).isEqualTo("material RAW-1001: needs 50 PC, 49 on hand");
    }

    @Test
    void orderReleasedFromNoMachineHoldIsNotDispatchedWhileShortOfMaterial() {
        final LineFixture f = LineFixture.withMachines(1)
                .material("RAW-1001", 10)
                .order(LineFixture.held(LineFixture.dispatched(newOrder(1).needs("RAW-1001", 100).build(),
                                machineId(1), NOW, NOW, NOW.plusSeconds(900)), HoldReason.NO_MACHINE,
                        "plant1:machine-1-01 is DOWN", NOW));

        final List<Action> plan = f.step(planner, memory);

        assertThat(f.status(1)).isNotEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat(commands(plan)).isEmpty();
    }

    @Test
    void orderReleasedFromNoCapableMachineHoldIsNotDispatchedWhileShortOfMaterial() {
        final LineFixture f = LineFixture.withMachines(1)
                .material("RAW-1001", 10)
                .order(LineFixture.held(newOrder(1).capability("welding").needs("RAW-1001", 100).build(),
                        HoldReason.NO_CAPABLE_MACHINE, "no machine of plant1:line-1 has capability welding", NOW));

        final List<Action> plan = f.step(planner, memory);

        assertThat(f.status(1)).isNotEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat(commands(plan)).isEmpty();
    }
}
