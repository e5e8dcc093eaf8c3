package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;

/**
 * Whole runs of a line under seeded random faults, repairs, capabilities and priorities: after every applied plan
 * the line is consistent, and at the end every order is completed with exactly its quantity, every piece a machine
 * made was counted once, and no write conflicted.
 */
class LinePlannerSimulationTest {

    private static final int MACHINES = 5;
    private static final int ORDERS = 30;
    private static final int MAX_TICKS = 3_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyOrderCompletesWithExactCountsUnderFaultsAndRepairs(final long seed) {
        final Random random = new Random(seed);
        final MesRules rules = MesRules.defaults().withMaxQueuePerMachine(1 + random.nextInt(3));
        final LinePlanner planner = new LinePlanner(rules);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(MACHINES)
                .capabilities(1, "milling").capabilities(2, "milling", "turning").capabilities(3, "turning");
        long total = 0;
        for (int n = 1; n <= ORDERS; n++) {
            final int quantity = 1 + random.nextInt(8);
            total += quantity;
            final int capability = random.nextInt(4);
            f.order(newOrder(n).priority(1 + random.nextInt(9)).quantity(quantity)
                    .capability(capability == 0 ? "milling" : capability == 1 ? "turning" : null));
        }
        final int[] downUntil = new int[MACHINES + 1];

        int tick = 0;
        for (; tick < MAX_TICKS && !allCompleted(f); tick++) {
            for (int m = 1; m <= MACHINES; m++) {
                final MachineState state = f.machine(m).state().state();
                if (state == MachineState.DOWN && tick >= downUntil[m]) {
                    f.state(m, MachineState.IDLE, "repaired");
                } else if (state != MachineState.DOWN && random.nextInt(60) == 0) {
                    f.down(m, "fault " + tick);
                    downUntil[m] = tick + 5 + random.nextInt(40);
                }
            }
            f.step(planner, memory);
            f.assertConsistent(rules);
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        }

        assertThat(allCompleted(f)).as("all orders completed after %d ticks", tick).isTrue();
        long made = 0;
        for (int m = 1; m <= MACHINES; m++) {
            made += f.machine(m).counters().good();
        }
        for (int n = 1; n <= ORDERS; n++) {
            assertThat((double) f.order(n).progress().good()).as("good of order %d", n)
                    .isEqualTo(f.order(n).quantity());
        }
        assertThat(made).as("pieces made").isEqualTo(total);
        assertThat(f.conflicts()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void planOnTheAppliedViewOnlyTakesUpWhatTheMachinesDidMeanwhile(final long seed) {
        final Random random = new Random(seed);
        final MesRules rules = MesRules.defaults();
        final LinePlanner planner = new LinePlanner(rules);
        final PlannerMemory memory = new PlannerMemory();
        final LineFixture f = LineFixture.withMachines(MACHINES);
        for (int n = 1; n <= ORDERS; n++) {
            f.order(newOrder(n).priority(1 + random.nextInt(9)).quantity(1 + random.nextInt(8)));
        }
        for (int tick = 0; tick < 200 && !allCompleted(f); tick++) {
            if (tick % 37 == 5) {
                f.down(1 + random.nextInt(MACHINES), "fault " + tick);
            }
            if (tick % 37 == 20) {
                for (int m = 1; m <= MACHINES; m++) {
                    if (f.machine(m).state().state() == MachineState.DOWN) {
                        f.state(m, MachineState.IDLE, "repaired");
                    }
                }
            }
            f.step(planner, memory);

            final List<Action> again = f.plan(planner, memory);
            final int at = tick;
            // machines obey at once, so the only follow-up is an order its machine now runs (and a rebalance that
            // the started order's shorter remaining work made worthwhile); the same view planned twice moves nothing
            // (LinePlannerRebalanceTest.rebalanceOnTheAppliedViewMovesNothingMore)
            assertThat(updates(again)).as("second plan at tick %d", at)
                    .filteredOn(u -> !u.why().startsWith("rebalanced from ")).allSatisfy(u -> {
                        assertThat(u.before().twin().status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
                        assertThat(u.after().status().status()).isEqualTo(WorkOrderStatus.RUNNING);
                        assertThat((Object) u.after().status().machine())
                                .isEqualTo(u.before().twin().status().machine());
                    });
            assertThat(updates(again)).as("second plan at tick %d", at)
                    .filteredOn(u -> u.why().startsWith("rebalanced from ")).allSatisfy(u -> {
                        assertThat(u.before().twin().status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
                        assertThat(u.after().status().status()).isEqualTo(WorkOrderStatus.DISPATCHED);
                    });
            f.produceOnRunningMachines(1).advance(Duration.ofSeconds(2));
        }
    }

    private static boolean allCompleted(final LineFixture f) {
        for (int n = 1; n <= ORDERS; n++) {
            if (f.status(n) != WorkOrderStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }
}
