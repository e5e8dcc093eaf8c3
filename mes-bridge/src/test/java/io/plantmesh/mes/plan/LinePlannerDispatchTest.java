package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.T0;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updated;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Dispatch: the rule, machine choice, planned times, capabilities, machine state (LinePlanner step 6). */
class LinePlannerDispatchTest {

    private static final Instant DAY1 = T0.plus(Duration.ofDays(1));
    private static final Duration SETUP = MesRules.defaults().setupTime();
    private static final Duration CYCLE = MesRules.defaults().defaultCycleTime();

    /** Six orders that differ in exactly one criterion of the rule at a time. */
    private static List<WorkOrderTwin> rankedSix() {
        return List.of(
                newOrder(1).priority(5).due(DAY1.plus(Duration.ofDays(2))).releasedAt(T0).build(),
                newOrder(2).priority(2).due(DAY1.plus(Duration.ofDays(5))).releasedAt(T0).build(),
                newOrder(3).priority(5).due(DAY1.plus(Duration.ofDays(1))).releasedAt(T0).build(),
                newOrder(4).priority(5).due(DAY1.plus(Duration.ofDays(2))).releasedAt(T0.minus(Duration.ofHours(1)))
                        .build(),
                newOrder(5).priority(5).due(DAY1.plus(Duration.ofDays(2))).releasedAt(T0).build(),
                newOrder(6).priority(7).due(DAY1).releasedAt(T0.minus(Duration.ofDays(1))).build());
    }

    @Test
    void ruleRanksByPriorityThenDueDateThenReleaseThenId() {
        final List<WorkOrderTwin> sorted = rankedSix().stream().sorted(DispatchRule.ORDER).toList();

        assertThat(sorted).extracting(WorkOrderTwin::id)
                .containsExactly(orderId(2), orderId(3), orderId(4), orderId(1), orderId(5), orderId(6));
    }

    @Test
    void ruleRanksOrdersWithoutReleaseTimeLast() {
        final WorkOrderTwin withTime = newOrder(2).build();
        final WorkOrderTwin noTime = newOrder(1).build();
        final WorkOrderTwin withoutRelease = noTime.withStatusEntry(WorkOrderTwin.StatusEntry.of(
                WorkOrderStatus.RELEASED, null, null, null));

        assertThat(Stream.of(withoutRelease, withTime).sorted(DispatchRule.ORDER).toList())
                .extracting(WorkOrderTwin::id).containsExactly(orderId(2), orderId(1));
    }

    @Test
    void fewerSlotsThanOrdersDispatchesExactlyTheTopRankedOrders() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults().withMaxQueuePerMachine(1));
        final LineFixture f = LineFixture.withMachines(4);
        rankedSix().forEach(f::order);

        final List<Action> plan = f.step(planner, new PlannerMemory());

        final Instant end = NOW.plus(SETUP).plus(CYCLE.multipliedBy(10));
        assertDispatched(f, 2, 1, NOW, end);
        assertDispatched(f, 3, 2, NOW, end);
        assertDispatched(f, 4, 3, NOW, end);
        assertDispatched(f, 1, 4, NOW, end);
        assertThat(f.status(5)).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(f.status(6)).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(updates(plan)).extracting(Action.UpdateOrder::orderId)
                .containsExactlyInAnyOrder(orderId(1), orderId(2), orderId(3), orderId(4));
        assertThat(f.order(2).status().times()).containsEntry(WorkOrderStatus.DISPATCHED, NOW);
        // the written update is conditional on the revision the decision was read at
        assertThat(updates(plan)).allSatisfy(u -> assertThat(u.before().revision()).isEqualTo(1L));
    }

    @Test
    void nextOrderGoesToTheMachineThatIsFreeFirstAndPlannedTimesChain() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final LineFixture f = LineFixture.withMachines(2)
                .order(newOrder(1).priority(1).quantity(50))
                .order(newOrder(2).priority(2).quantity(10))
                .order(newOrder(3).priority(3).quantity(10))
                .order(newOrder(4).priority(4).quantity(10));

        f.step(planner, new PlannerMemory());

        final Duration tenPieces = SETUP.plus(CYCLE.multipliedBy(10));
        assertDispatched(f, 1, 1, NOW, NOW.plus(SETUP).plus(CYCLE.multipliedBy(50)));
        assertDispatched(f, 2, 2, NOW, NOW.plus(tenPieces));
        assertDispatched(f, 3, 2, NOW.plus(tenPieces), NOW.plus(tenPieces.multipliedBy(2)));
        assertDispatched(f, 4, 2, NOW.plus(tenPieces.multipliedBy(2)), NOW.plus(tenPieces.multipliedBy(3)));
    }

    @Test
    void plannedEndUsesTheMachinesIdealCycleTime() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final LineFixture f = LineFixture.withMachines(1).cycleTime(1, 30_000.0).order(newOrder(1).quantity(10));

        f.step(planner, new PlannerMemory());

        assertDispatched(f, 1, 1, NOW, NOW.plus(SETUP).plus(Duration.ofSeconds(300)));
    }

    @Test
    void equallyFreeMachinesTieOnLoadThenId() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        // machine 1 holds an order with no work left (its count is not confirmed yet): free now, but loaded
        final WorkOrderTwin done = LineFixture.running(newOrder(9).quantity(5).build(), machineId(1),
                NOW.minus(Duration.ofMinutes(10)), new WorkOrderTwin.Progress(5, 0));
        final LineFixture f = LineFixture.withMachines(3).order(done).desired(1, orderId(9))
                .order(newOrder(1)).order(newOrder(2));

        f.step(planner, new PlannerMemory());

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(3));
        assertThat((Object) f.machineOf(9)).isEqualTo(machineId(1));
    }

    @Test
    void ordersGoOnlyToMachinesWithTheRequiredCapabilityAndMachinesWithoutCapabilitiesRunAnything() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults().withMaxQueuePerMachine(1));
        final LineFixture f = LineFixture.withMachines(4)
                .capabilities(1, "turning")
                .capabilities(2, "milling")
                .capabilities(3, "milling", "drilling")
                .order(newOrder(1).priority(1).capability("milling"))
                .order(newOrder(2).priority(2).capability("turning"))
                .order(newOrder(3).priority(3).capability("grinding"))
                .order(newOrder(4).priority(4).capability("drilling"));

        f.step(planner, new PlannerMemory());

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(1));
        assertThat((Object) f.machineOf(3)).isEqualTo(machineId(4));
        assertThat((Object) f.machineOf(4)).isEqualTo(machineId(3));
        for (int n = 1; n <= 4; n++) {
            assertThat(f.status(n)).isEqualTo(WorkOrderStatus.DISPATCHED);
        }
    }

    @Test
    void capableMachinesThatAreFullLeaveTheOrderReleased() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults().withMaxQueuePerMachine(1));
        final LineFixture f = LineFixture.withMachines(2)
                .capabilities(1, "milling")
                .capabilities(2, "turning")
                .order(newOrder(1).priority(1).capability("milling"))
                .order(newOrder(2).priority(2).capability("milling"));

        final List<Action> plan = f.step(planner, new PlannerMemory());

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
        assertThat(f.status(2)).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(updated(plan, 2)).isEmpty();
    }

    @Test
    void downAndMaintenanceMachinesGetNothing() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final LineFixture f = LineFixture.withMachines(4)
                .down(1, "spindle fault")
                .state(2, MachineState.MAINTENANCE, "planned maintenance");
        for (int n = 1; n <= 6; n++) {
            f.order(newOrder(n));
        }

        final List<Action> plan = f.step(planner, new PlannerMemory());

        for (int n = 1; n <= 6; n++) {
            assertThat((Object) f.machineOf(n)).as("machine of order %d", n).isIn(machineId(3), machineId(4));
            assertThat(f.status(n)).isEqualTo(WorkOrderStatus.DISPATCHED);
        }
        assertThat(commands(plan)).extracting(Action.CommandMachine::machine)
                .containsExactlyInAnyOrder(machineId(3), machineId(4));
        assertThat(LineFixture.machineJobs(plan)).extracting(Action.SetMachineJob::machine)
                .containsExactlyInAnyOrder(machineId(3), machineId(4));
    }

    @Test
    void runningAndSetupMachinesAreUpAndTakeWork() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults().withMaxQueuePerMachine(1));
        final LineFixture f = LineFixture.withMachines(3)
                .down(1, "fault")
                .state(2, MachineState.SETUP, "changeover")
                .state(3, MachineState.RUNNING, "warming up")
                .order(newOrder(1)).order(newOrder(2));

        f.step(planner, new PlannerMemory());

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(3));
    }

    @Test
    void orderNoMachineCanRunIsHeldWithNoCapableMachine() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final LineFixture f = LineFixture.withMachines(2)
                .capabilities(1, "milling")
                .capabilities(2, "turning")
                .order(newOrder(1).capability("welding"))
                .order(newOrder(2).capability("milling"));

        final List<Action> plan = f.step(planner, new PlannerMemory());

        final WorkOrderTwin held = f.order(1);
        assertThat(held.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.status().reasonCode()).isEqualTo(HoldReason.NO_CAPABLE_MACHINE.name());
        assertThat(held.status().reason()).isEqualTo("no machine of plant1:line-1 has capability welding");
        assertThat((Object) held.status().machine()).isNull();
        assertThat((Object) f.machineOf(2)).isEqualTo(machineId(1));
        assertThat(commands(plan)).noneMatch(c -> c.workOrder().equals(orderId(1).toString()));
    }

    @Test
    void downMachineWithTheCapabilityIsNotANoCapableMachineCase() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final LineFixture f = LineFixture.withMachines(2)
                .capabilities(1, "welding")
                .capabilities(2, "turning")
                .down(1, "fault")
                .order(newOrder(1).capability("welding"));

        final List<Action> plan = f.step(planner, new PlannerMemory());

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(updates(plan)).isEmpty();
    }

    @Test
    void noCapableMachineHoldIsLiftedWhenAMachineGainsTheCapability() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(2)
                .capabilities(1, "milling")
                .capabilities(2, "turning")
                .order(newOrder(1).capability("welding"));
        f.step(planner, memory);
        assertThat(f.order(1).status().reasonCode()).isEqualTo(HoldReason.NO_CAPABLE_MACHINE.name());

        f.advance(Duration.ofMinutes(1)).capabilities(2, "turning", "welding");
        f.step(planner, memory);

        final WorkOrderTwin order = f.order(1);
        assertThat(order.status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) order.status().machine()).isEqualTo(machineId(2));
        assertThat(order.status().reasonCode()).isNull();
        assertThat(order.status().times()).containsEntry(WorkOrderStatus.RELEASED, f.now());
    }

    @Test
    void ordersOfOtherLinesAndClosedOrdersAreLeftAlone() {
        final LinePlanner planner = new LinePlanner(MesRules.defaults());
        final WorkOrderTwin otherLine = WorkOrderTwin.initial(orderId(7), "FG-2001", 10, T0.plus(Duration.ofDays(1)),
                PlantThingIds.line("plant1", 2), 1, List.of(), T0);
        final WorkOrderTwin cancelled = newOrder(8).priority(1).build()
                .withStatus(WorkOrderStatus.CANCELLED, T0, "no longer needed");
        final LineFixture f = LineFixture.withMachines(1).order(otherLine).order(cancelled).order(newOrder(1));

        final List<Action> plan = f.step(planner, new PlannerMemory());

        assertThat(updates(plan)).extracting(Action.UpdateOrder::orderId).containsExactly(orderId(1));
    }

    private static void assertDispatched(final LineFixture f, final long order, final int machine,
            final Instant start, final Instant end) {
        final WorkOrderTwin o = f.order(order);
        assertThat(o.status().status()).as("status of order %d", order).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) o.status().machine()).as("machine of order %d", order).isEqualTo(machineId(machine));
        assertThat(o.status().plannedStart()).as("planned start of order %d", order).isEqualTo(start);
        assertThat(o.status().plannedEnd()).as("planned end of order %d", order).isEqualTo(end);
    }
}
