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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Faults: orders of a DOWN or MAINTENANCE machine are re-dispatched or held, and released again (steps 3, 5). */
class LinePlannerFaultTest {

    private static final MesRules RULES = MesRules.defaults();
    private static final Duration CYCLE = RULES.defaultCycleTime();
    private static final Duration SETUP = RULES.setupTime();

    private final LinePlanner planner = new LinePlanner(RULES);
    private final PlannerMemory memory = new PlannerMemory();

    /**
     * Three machines, orders 1..4 of 10 pieces: 1 runs on machine 1 with 4 good and 1 scrap counted, 4 is queued
     * behind it; 2 and 3 run on machines 2 and 3. The clock stands 4 s after dispatch, right after the progress write.
     */
    private LineFixture machineOneRunsOneAndQueuesFour() {
        final LineFixture f = LineFixture.withMachines(3);
        for (int n = 1; n <= 4; n++) {
            f.order(newOrder(n).priority(n));
        }
        f.step(planner, memory);
        assertThat((Object) f.machineOf(4)).isEqualTo(machineId(1));
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        f.produce(1, 4, 1).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.order(1).progress().good()).isEqualTo(4);
        return f;
    }

    @Test
    void downMachineHasItsRunningAndQueuedOrdersRedispatchedInOnePlan() {
        final LineFixture f = machineOneRunsOneAndQueuesFour();
        final Instant runningSince = f.order(1).status().times().get(WorkOrderStatus.RUNNING);

        f.advance(Duration.ofSeconds(1)).down(1, "spindle fault");
        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).extracting(Action.UpdateOrder::orderId)
                .containsExactlyInAnyOrder(orderId(1), orderId(4));
        final Instant now = f.now();
        final WorkOrderTwin one = f.order(1);
        assertThat(one.status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) one.status().machine()).isEqualTo(machineId(2));
        // machine 2 still has 10 pieces of order 2 to run; order 1 has 6 left
        assertThat(one.status().plannedStart()).isEqualTo(now.plus(CYCLE.multipliedBy(10)));
        assertThat(one.status().reason()).contains("plant1:machine-1-01 is DOWN (spindle fault)");
        assertThat(updated(plan, 1)).isPresent();
        assertThat(updates(plan)).filteredOn(u -> u.orderId().equals(orderId(4))).singleElement()
                .satisfies(u -> assertThat(u.why()).isEqualTo("re-dispatched from plant1:machine-1-01 to "
                        + "plant1:machine-1-03: plant1:machine-1-01 is DOWN (spindle fault)"));
        assertThat(one.status().times()).containsEntry(WorkOrderStatus.RUNNING, runningSince)
                .containsEntry(WorkOrderStatus.DISPATCHED, now);
        assertThat(one.progress().good()).isEqualTo(4);
        assertThat(one.progress().scrap()).isEqualTo(1);
        assertThat(one.progress().base()).isNull();
        final WorkOrderTwin four = f.order(4);
        assertThat(four.status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) four.status().machine()).isEqualTo(machineId(3));
        assertThat(four.status().plannedStart()).isEqualTo(now.plus(CYCLE.multipliedBy(10)));
        // the down machine loses its job and is not commanded
        assertThat(machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
        assertThat(commands(plan)).isEmpty();
        f.assertConsistent(RULES);
    }

    @Test
    void maintenanceCountsAsAFaultToo() {
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.dispatched(newOrder(1).build(), machineId(1), NOW, NOW, NOW.plusSeconds(900)))
                .state(1, MachineState.MAINTENANCE, "oil change");

        final List<Action> plan = f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat(updates(plan)).singleElement().satisfies(u -> assertThat(u.why()).isEqualTo(
                "re-dispatched from plant1:machine-1-01 to plant1:machine-1-02: plant1:machine-1-01 is MAINTENANCE "
                        + "(oil change)"));
    }

    @Test
    void redispatchGoesOnlyToCapableMachines() {
        final LineFixture f = LineFixture.withMachines(3)
                .capabilities(1, "milling").capabilities(2, "turning").capabilities(3, "milling")
                .order(LineFixture.running(newOrder(1).capability("milling").build(), machineId(1), NOW,
                        new WorkOrderTwin.Progress(2, 0, new WorkOrderTwin.CounterBase(machineId(1), 2, 0), NOW)))
                .reports(1, orderId(1), MachineState.RUNNING, NOW)
                .counters(1, 2, 0)
                .advance(Duration.ofMinutes(1))
                .down(1, "fault");

        f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(3));
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);
    }

    @Test
    void orderDispatchedToAMachineThatIsGoneFromTheLineIsRedispatched() {
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.dispatched(newOrder(1).build(), machineId(5), NOW, NOW, NOW.plusSeconds(900)));

        final List<Action> plan = f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
        assertThat(updates(plan)).singleElement().satisfies(u -> assertThat(u.why())
                .endsWith("machine plant1:machine-1-05 is not a machine of plant1:line-1"));
    }

    @Test
    void machineThatLostTheCapabilityHasItsOrderRedispatched() {
        final LineFixture f = LineFixture.withMachines(2)
                .capabilities(1, "turning")
                .order(LineFixture.dispatched(newOrder(1).capability("milling").build(), machineId(1), NOW, NOW,
                        NOW.plusSeconds(900)));

        final List<Action> plan = f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat(updates(plan)).singleElement().satisfies(u -> assertThat(u.why())
                .endsWith("plant1:machine-1-01 cannot run capability milling"));
    }

    @Test
    void noHealthyCapableMachineHoldsTheOrdersWithNoMachine() {
        final LineFixture f = LineFixture.withMachines(2);
        final WorkOrderTwin.Progress progress = new WorkOrderTwin.Progress(3, 1,
                new WorkOrderTwin.CounterBase(machineId(1), 103, 11), NOW);
        f.order(LineFixture.running(newOrder(1).priority(1).build(), machineId(1), NOW.minusSeconds(600), progress))
                .order(LineFixture.dispatched(newOrder(2).priority(2).build(), machineId(1), NOW, NOW.plusSeconds(600),
                        NOW.plusSeconds(1500)))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(600)).counters(1, 103, 11)
                .desired(1, orderId(1))
                .state(2, MachineState.MAINTENANCE, "planned maintenance")
                .advance(Duration.ofSeconds(1))
                .down(1, "spindle fault");

        final List<Action> plan = f.step(planner, memory);

        final String reason = "plant1:machine-1-01 is DOWN (spindle fault); no other capable machine of "
                + "plant1:line-1 is up";
        for (final long n : new long[] {1, 2}) {
            final WorkOrderTwin held = f.order(n);
            assertThat(held.status().status()).as("status of %d", n).isEqualTo(WorkOrderStatus.HELD);
            assertThat(held.status().reasonCode()).isEqualTo(HoldReason.NO_MACHINE.name());
            assertThat(held.status().reason()).isEqualTo(reason);
        }
        assertThat(f.order(1).progress().good()).isEqualTo(3);
        assertThat(f.order(1).progress().scrap()).isEqualTo(1);
        assertThat(machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
        assertThat(f.line().schedule()).isEmpty();

        // nothing changes while no machine is up
        assertThat(updates(f.advance(Duration.ofMinutes(1)).step(planner, memory))).isEmpty();
    }

    @Test
    void noMachineHoldIsReleasedAndDispatchedWhenAMachineIsUpAgain() {
        final LineFixture f = LineFixture.withMachines(2);
        f.order(LineFixture.running(newOrder(1).priority(1).build(), machineId(1), NOW.minusSeconds(600),
                        new WorkOrderTwin.Progress(3, 1, new WorkOrderTwin.CounterBase(machineId(1), 103, 11), NOW)))
                .order(LineFixture.dispatched(newOrder(2).priority(2).build(), machineId(1), NOW, NOW.plusSeconds(600),
                        NOW.plusSeconds(1500)))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(600)).counters(1, 103, 11)
                .state(2, MachineState.MAINTENANCE, "planned maintenance")
                .advance(Duration.ofSeconds(1))
                .down(1, "spindle fault");
        f.step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);

        f.advance(Duration.ofMinutes(10)).state(2, MachineState.IDLE, "maintenance done");
        final Instant repairedAt = f.now();
        // released and dispatched: within two plans at most (the planner does both in one)
        for (int i = 0; i < 2 && f.status(1) != WorkOrderStatus.DISPATCHED; i++) {
            f.step(planner, memory);
        }

        final WorkOrderTwin one = f.order(1);
        assertThat(one.status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) one.status().machine()).isEqualTo(machineId(2));
        assertThat(one.status().reasonCode()).isNull();
        assertThat(one.status().times()).containsEntry(WorkOrderStatus.RELEASED, repairedAt);
        assertThat(one.progress().good()).isEqualTo(3);
        assertThat(one.progress().base()).isNull();
        assertThat(f.order(2).status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) f.order(2).status().machine()).isEqualTo(machineId(2));
        assertThat(f.machine(2).job().desired().workOrder()).isEqualTo(orderId(1).toString());
        assertThat(f.commandsSent()).last().satisfies(c -> {
            assertThat((Object) c.machine()).isEqualTo(machineId(2));
            assertThat(c.command()).isEqualTo("startJob");
            assertThat(c.workOrder()).isEqualTo(orderId(1).toString());
        });
        f.assertConsistent(RULES);
    }

    @Test
    void redispatchedOrderCountsOnFromItsNewMachinesCounters() {
        final LineFixture f = machineOneRunsOneAndQueuesFour();
        f.advance(Duration.ofSeconds(1)).down(1, "spindle fault").step(planner, memory);
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));

        // machine 2 finishes order 2 (10 pieces), then starts order 1
        f.produce(2, 10, 0).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(2)).isEqualTo(WorkOrderStatus.COMPLETED);
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.machine(2).job().reported().workOrder()).isEqualTo(orderId(1).toString());
        f.advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat(f.order(1).progress().base()).isEqualTo(new WorkOrderTwin.CounterBase(machineId(2), 10, 0));
        f.produce(2, 6, 0).advance(Duration.ofSeconds(2)).step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.COMPLETED);
        assertThat(f.order(1).progress().good()).isEqualTo(10);
        assertThat(f.order(1).progress().scrap()).isEqualTo(1);
    }

    @Test
    void redispatchedRunningOrderIsPlannedWithSetupOnItsNewMachine() {
        final LineFixture f = machineOneRunsOneAndQueuesFour();
        f.advance(Duration.ofSeconds(1)).down(1, "spindle fault");

        f.step(planner, memory);

        // machine 2 has 10 pieces of order 2 left; order 1 has 6 left and needs a changeover there
        final Instant now = f.now();
        assertThat(f.order(1).status().plannedStart()).isEqualTo(now.plus(CYCLE.multipliedBy(10)));
        assertThat(f.order(1).status().plannedEnd()).isEqualTo(now.plus(CYCLE.multipliedBy(16)).plus(SETUP));
    }

    @Test
    void redispatchedQueuedOrderSaysWhyOnTheTwin() {
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.dispatched(newOrder(1).build(), machineId(1), NOW, NOW, NOW.plusSeconds(900)))
                .down(1, "spindle fault");

        f.step(planner, memory);

        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(2));
        assertThat(f.order(1).status().reason()).contains("plant1:machine-1-01 is DOWN (spindle fault)");
    }

    @Test
    void faultWithinTheProgressIntervalKeepsThePiecesMadeSinceTheLastWrite() {
        final LineFixture f = machineOneRunsOneAndQueuesFour();
        // 3 more good pieces 1 s after the last progress write, then the fault
        f.produce(1, 3, 0).advance(Duration.ofSeconds(1)).down(1, "spindle fault");

        f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat(f.order(1).progress().good()).isEqualTo(7);
    }

    @Test
    void orderCompletedByTheLastCountsBeforeTheFaultIsCompletedNotRedispatched() {
        final LineFixture f = machineOneRunsOneAndQueuesFour();
        f.produce(1, 6, 0).advance(Duration.ofSeconds(1)).down(1, "spindle fault");

        f.step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.COMPLETED);
        assertThat(f.order(1).progress().good()).isEqualTo(10);
        assertThat((Object) f.machineOf(1)).isEqualTo(machineId(1));
        assertThat(f.status(4)).isEqualTo(WorkOrderStatus.DISPATCHED);
        assertThat((Object) f.machineOf(4)).isNotEqualTo(machineId(1));
    }

    @Test
    void faultWithAllCapableMachinesFullNeverLeavesTheOrderOnTheDownMachine() {
        final LinePlanner onePerMachine = new LinePlanner(RULES.withMaxQueuePerMachine(1));
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.running(newOrder(1).build(), machineId(1), NOW,
                        new WorkOrderTwin.Progress(2, 0, new WorkOrderTwin.CounterBase(machineId(1), 2, 0), NOW)))
                .order(LineFixture.running(newOrder(2).build(), machineId(2), NOW,
                        new WorkOrderTwin.Progress(0, 0, new WorkOrderTwin.CounterBase(machineId(2), 0, 0), NOW)))
                .reports(1, orderId(1), MachineState.RUNNING, NOW).counters(1, 2, 0)
                .reports(2, orderId(2), MachineState.RUNNING, NOW)
                .advance(Duration.ofSeconds(1))
                .down(1, "fault");

        final List<Action> plan = f.step(onePerMachine, memory);

        // machine 2 is up but has no room: order 1 leaves machine 1 and waits (RELEASED or HELD), its count kept
        final WorkOrderTwin one = updated(plan, 1).orElseThrow();
        assertThat(one.status().status()).isIn(WorkOrderStatus.RELEASED, WorkOrderStatus.HELD);
        assertThat((Object) one.status().machine()).isNotEqualTo(machineId(1));
        assertThat(one.progress().good()).isEqualTo(2);
        assertThat(f.status(2)).isEqualTo(WorkOrderStatus.RUNNING);
    }

    @Test
    void aRedispatchedUrgentOrderIsQueuedAheadOfTheLessUrgentOnesOnItsNewMachine() {
        // 2 machines, 3 slots each: machine 1 runs order 1 (priority 1) and queues 3 and 5, machine 2 runs 2 and
        // queues 4 and 6; lower numbers are more urgent
        final LinePlanner small = new LinePlanner(RULES.withMaxQueuePerMachine(4));
        final LineFixture f = LineFixture.withMachines(2);
        for (int n = 1; n <= 6; n++) {
            f.order(newOrder(n).priority(Math.min(9, n)));
        }
        f.step(small, memory);
        f.advance(Duration.ofSeconds(2)).step(small, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        final org.eclipse.ditto.things.model.ThingId other = f.machineOf(1).equals(machineId(1)) ? machineId(2) : machineId(1);
        final int faulty = f.machineOf(1).equals(machineId(1)) ? 1 : 2;

        f.advance(Duration.ofSeconds(1)).down(faulty, "spindle fault");
        f.step(small, memory);

        // order 1 moved to the other machine and is planned right after that machine's running order, ahead of the
        // queued orders it outranks
        assertThat((Object) f.machineOf(1)).isEqualTo(other);
        final Instant start1 = f.order(1).status().plannedStart();
        for (int n = 2; n <= 6; n++) {
            final WorkOrderTwin o = f.order(n);
            final boolean queuedThere = other.equals(o.status().machine())
                    && o.status().status() == WorkOrderStatus.DISPATCHED;
            if (queuedThere) {
                assertThat(o.status().plannedStart()).as("order " + n + " starts after order 1").isAfter(start1);
            }
        }
        // and the line stays consistent: planned times of the other machine's queue do not overlap
        final List<WorkOrderTwin> queue = new java.util.ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            final WorkOrderTwin o = f.order(n);
            if (other.equals(o.status().machine()) && o.status().status() == WorkOrderStatus.DISPATCHED) {
                queue.add(o);
            }
        }
        queue.sort(java.util.Comparator.comparing(o -> o.status().plannedStart()));
        for (int i = 1; i < queue.size(); i++) {
            assertThat(queue.get(i).status().plannedStart()).isAfterOrEqualTo(queue.get(i - 1).status().plannedEnd());
        }
        assertThat((Object) queue.get(0).id()).isEqualTo(orderId(1));
    }
}
