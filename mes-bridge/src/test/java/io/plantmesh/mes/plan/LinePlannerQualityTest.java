package io.plantmesh.mes.plan;

import static io.plantmesh.mes.plan.LineFixture.NOW;
import static io.plantmesh.mes.plan.LineFixture.commands;
import static io.plantmesh.mes.plan.LineFixture.events;
import static io.plantmesh.mes.plan.LineFixture.machineId;
import static io.plantmesh.mes.plan.LineFixture.machineJobs;
import static io.plantmesh.mes.plan.LineFixture.newOrder;
import static io.plantmesh.mes.plan.LineFixture.orderId;
import static io.plantmesh.mes.plan.LineFixture.updated;
import static io.plantmesh.mes.plan.LineFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.eclipse.ditto.json.JsonObject;
import org.junit.jupiter.api.Test;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Quality: scrap share over the window holds a running order and raises an event; such holds stay (step 2). */
class LinePlannerQualityTest {

    private static final MesRules RULES = MesRules.defaults();

    private final LinePlanner planner = new LinePlanner(RULES);
    private final PlannerMemory memory = new PlannerMemory();

    /**
     * Order 1 (100 pieces) RUNNING on machine 1, nothing counted yet (base 0/0); one plan has already read it, so
     * the quality window starts at 0 good, 0 scrap.
     */
    private LineFixture runningWithEmptyWindow() {
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.running(newOrder(1).quantity(100).build(), machineId(1), NOW.minusSeconds(10),
                        new WorkOrderTwin.Progress(0, 0, new WorkOrderTwin.CounterBase(machineId(1), 0, 0),
                                NOW.minusSeconds(10))))
                .desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW.minusSeconds(10));
        assertThat(updates(f.step(planner, memory))).isEmpty();
        return f;
    }

    @Test
    void scrapAboveTheThresholdHoldsTheOrderAndRaisesAnEvent() {
        final LineFixture f = runningWithEmptyWindow();

        final List<Action> plan = f.produce(1, 15, 6).advance(Duration.ofSeconds(2)).step(planner, memory);

        final String reason = "scrap rate 28.6 % over the last 15 min (6 of 21 pieces) is above the threshold of "
                + "10.0 %";
        final WorkOrderTwin held = updated(plan, 1).orElseThrow();
        assertThat(held.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.status().reasonCode()).isEqualTo(HoldReason.QUALITY.name());
        assertThat(held.status().reason()).isEqualTo(reason);
        assertThat(held.status().times()).containsEntry(WorkOrderStatus.HELD, f.now());
        assertThat(held.progress()).isEqualTo(new WorkOrderTwin.Progress(15, 6,
                new WorkOrderTwin.CounterBase(machineId(1), 15, 6), f.now()));
        assertThat(events(plan)).containsExactly(new Action.RaiseEvent(orderId(1), "qualityHold",
                JsonObject.newBuilder()
                        .set("workOrder", orderId(1).toString())
                        .set("machine", machineId(1).toString())
                        .set("scrapRate", 6 / 21.0)
                        .set("pieces", 21L)
                        .set("scrap", 6L)
                        .set("threshold", 0.10)
                        .set("window", "PT15M")
                        .set("reason", reason)
                        .build()));
        // the machine stops the held order
        assertThat(commands(plan)).singleElement().satisfies(c -> {
            assertThat(c.command()).isEqualTo("stopJob");
            assertThat(c.workOrder()).isEqualTo(orderId(1).toString());
        });
        assertThat(machineJobs(plan)).containsExactly(
                new Action.SetMachineJob(machineId(1), MachineTwin.Assignment.NONE));
    }

    @Test
    void fewerPiecesThanTheMinimumAreNotJudged() {
        final LineFixture f = runningWithEmptyWindow();

        f.produce(1, 12, 7).advance(Duration.ofSeconds(2)).step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat(f.order(1).progress().scrap()).isEqualTo(7);
        assertThat(f.eventsRaised()).isEmpty();
    }

    @Test
    void scrapShareAtTheThresholdIsNoHoldAndOneMoreScrapIs() {
        final LineFixture f = runningWithEmptyWindow();

        f.produce(1, 18, 2).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);

        f.produce(1, 0, 1).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        assertThat(f.order(1).status().reason()).contains("(3 of 21 pieces)");
        assertThat(f.eventsRaised()).hasSize(1);
    }

    @Test
    void scrapOlderThanTheWindowDoesNotCount() {
        final LineFixture f = runningWithEmptyWindow();
        f.produce(1, 5, 10).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);

        // 20 min later: 25 good, no scrap within the last 15 min (all-time: 30 good, 10 scrap = 25 %)
        f.produce(1, 25, 0).advance(Duration.ofMinutes(20)).step(planner, memory);

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.RUNNING);
        assertThat(f.order(1).progress().good()).isEqualTo(30);
    }

    @Test
    void customRulesChangeWindowMinimumAndThreshold() {
        final LinePlanner strict = new LinePlanner(RULES.withQuality(Duration.ofMinutes(5), 5, 0.5));
        final LineFixture f = LineFixture.withMachines(1)
                .order(LineFixture.running(newOrder(1).quantity(100).build(), machineId(1), NOW,
                        new WorkOrderTwin.Progress(0, 0, new WorkOrderTwin.CounterBase(machineId(1), 0, 0), NOW)))
                .desired(1, orderId(1))
                .reports(1, orderId(1), MachineState.RUNNING, NOW);
        f.step(strict, memory);

        f.produce(1, 2, 3).advance(Duration.ofSeconds(2)).step(strict, memory);

        assertThat(f.order(1).status().reason()).isEqualTo(
                "scrap rate 60.0 % over the last 5 min (3 of 5 pieces) is above the threshold of 50.0 %");
    }

    @Test
    void qualityHoldIsNotReleasedAutomatically() {
        final LineFixture f = runningWithEmptyWindow();
        f.produce(1, 15, 6).advance(Duration.ofSeconds(2)).step(planner, memory);
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        final long revision = f.revision(orderId(1));

        for (int i = 0; i < 10; i++) {
            assertThat(updates(f.advance(Duration.ofMinutes(1)).step(planner, memory))).isEmpty();
        }

        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        assertThat(f.revision(orderId(1))).isEqualTo(revision);
        assertThat(f.machine(1).state().state()).isEqualTo(MachineState.IDLE);
    }

    @Test
    void manualAndUnknownHoldsAreNotReleasedAutomatically() {
        final LineFixture f = LineFixture.withMachines(2)
                .order(LineFixture.held(newOrder(1).build(), HoldReason.MANUAL, "held by the planner", NOW))
                .order(newOrder(2).build().withStatus(WorkOrderStatus.HELD, NOW, "held by another client"));

        final List<Action> plan = f.step(planner, memory);

        assertThat(updates(plan)).isEmpty();
        assertThat(f.status(1)).isEqualTo(WorkOrderStatus.HELD);
        assertThat(f.status(2)).isEqualTo(WorkOrderStatus.HELD);
    }
}
