package io.plantmesh.mes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.mes.support.FakeMachines;
import io.plantmesh.mes.support.MutableClock;
import io.plantmesh.mes.support.TestPlant;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The MES bridge against a real twin server, driven only through twins: machines are played by
 * {@link FakeMachines} (they answer start and stop and report what they run), everything else is written over the
 * twin server's HTTP API as any other client would. Each test has its own namespace.
 */
class MesBridgeIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestPlant plant;
    private static FakeMachines machines;
    private final List<MesBridge> bridges = new ArrayList<>();
    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void startPlant() {
        plant = TestPlant.start();
        machines = FakeMachines.start(plant, Clock.systemUTC());
    }

    @AfterAll
    static void stopPlant() {
        if (machines != null) {
            machines.close();
        }
        if (plant != null) {
            plant.close();
        }
    }

    @AfterEach
    void stopBridges() {
        bridges.forEach(MesBridge::close);
    }

    /** A line with {@code n} machines, IDLE, ideal cycle 1 s. */
    private List<ThingId> line(final String ns, final int n) {
        final ThingId line = PlantThingIds.line(ns, 1);
        final List<ThingId> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            final ThingId id = PlantThingIds.machine(ns, 1, i);
            ids.add(id);
            plant.put(MachineTwin.initial(id, line, "M" + i, new DeviceBinding(ns, id.toString(), null, Map.of()),
                    clock.instant()).withCapabilities(List.of("milling"), 1000.0));
        }
        plant.put(LineTwin.initial(line, "Line 1", "1000", ids));
        return ids;
    }

    private ThingId order(final String ns, final int number, final int priority, final double quantity,
            final List<WorkOrderTwin.BomItem> bom) {
        final ThingId id = PlantThingIds.workOrder(ns, number);
        final Instant due = Instant.parse("2026-12-01T12:00:00Z").plus(number, ChronoUnit.HOURS);
        plant.put(WorkOrderTwin.initial(id, "FG-1", quantity, due, PlantThingIds.line(ns, 1), priority, bom,
                clock.instant().minusSeconds(3600)).withRouting("10", "milling"));
        return id;
    }

    private MesBridge bridge(final String ns, final String instance, final MesRules rules) {
        final MesBridge bridge = MesBridge.create(MesBridgeConfig.defaults(instance, plant.wsEndpoint(), "ditto",
                        "ditto", plant.mongoUri(), List.of(PlantThingIds.line(ns, 1)))
                .withRules(rules)
                .withLeaseTtl(Duration.ofSeconds(3))
                .withResyncInterval(Duration.ofSeconds(5))
                .withCommandTimeout(Duration.ofSeconds(3))
                .withMongoDatabase("mes_" + ns.replace('.', '_')))
                .start();
        bridges.add(bridge);
        return bridge;
    }

    private static MesRules rules() {
        return MesRules.defaults().withMaxQueuePerMachine(2).withProgressInterval(Duration.ZERO)
                .withCommandRetry(Duration.ofSeconds(1));
    }

    private WorkOrderStatus status(final ThingId order) {
        return plant.order(order).status().status();
    }

    @Test
    void dispatchesByRuleStartsMachinesAndRedispatchesWhenAMachineFaults() {
        final String ns = "mes.dispatch";
        final List<ThingId> m = line(ns, 2);
        // 5 orders, 2 machines x 2 slots: the four most urgent are dispatched, wo 5 (priority 9) waits
        final ThingId wo1 = order(ns, 1, 3, 100, List.of());
        final ThingId wo2 = order(ns, 2, 1, 100, List.of());
        final ThingId wo3 = order(ns, 3, 5, 100, List.of());
        final ThingId wo4 = order(ns, 4, 1, 100, List.of());
        final ThingId wo5 = order(ns, 5, 9, 100, List.of());
        final MesBridge bridge = bridge(ns, "mes-a", rules());

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(List.of(wo1, wo2, wo3, wo4)).allSatisfy(o ->
                    assertThat(status(o)).isIn(WorkOrderStatus.DISPATCHED, WorkOrderStatus.RUNNING));
        });
        assertThat(status(wo5)).isEqualTo(WorkOrderStatus.RELEASED);
        // priority 1 orders (wo2 before wo4: earlier due date) were placed first, one on each machine
        assertThat((Object) plant.order(wo2).status().machine()).isNotEqualTo(plant.order(wo4).status().machine());
        // each machine was told to start its first order and runs it
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(status(wo2)).isEqualTo(WorkOrderStatus.RUNNING);
            assertThat(status(wo4)).isEqualTo(WorkOrderStatus.RUNNING);
        });
        final ThingId m2ofWo2 = plant.order(wo2).status().machine();
        assertThat(plant.machine(m2ofWo2).job().desired().workOrder()).isEqualTo(wo2.toString());
        final LineTwin line = plant.line(PlantThingIds.line(ns, 1));
        assertThat(line.schedule()).extracting(LineTwin.ScheduleEntry::workOrder)
                .containsExactlyInAnyOrder(wo1, wo2, wo3, wo4);

        // the machine running wo2 goes DOWN: its orders move to the other machine or are held
        final ThingId faulty = m2ofWo2;
        final ThingId healthy = m.get(0).equals(faulty) ? m.get(1) : m.get(0);
        plant.machineState(faulty, "DOWN", clock.instant());
        await().atMost(WAIT).untilAsserted(() -> {
            for (final ThingId o : List.of(wo1, wo2, wo3, wo4)) {
                final WorkOrderTwin order = plant.order(o);
                assertThat((Object) order.status().machine()).as(o + " not on the faulty machine").isNotEqualTo(faulty);
            }
        });
        assertThat(bridge.counters().get("orders.redispatched") + bridge.counters().get("orders.held"))
                .isPositive();
        // wo2 (priority 1, running on the faulty machine) is now on the healthy one, not held
        assertThat((Object) plant.order(wo2).status().machine()).isEqualTo(healthy);
        assertThat(plant.machine(faulty).job().desired().workOrder()).isNull();

        // repaired: the machine gets work again
        plant.machineState(faulty, "IDLE", clock.instant());
        await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(wo1, wo2, wo3, wo4, wo5).stream()
                .map(plant::order)
                .filter(o -> faulty.equals(o.status().machine()))
                .filter(o -> o.status().status() == WorkOrderStatus.DISPATCHED
                        || o.status().status() == WorkOrderStatus.RUNNING))
                .isNotEmpty());
    }

    @Test
    void aBridgeThatDoesNotFollowMachineEventsLearnsMachineStateOnlyFromItsReRead() {
        final String ns = "mes.poll";
        final List<ThingId> m = line(ns, 2);
        final List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        final MesBridge bridge = MesBridge.create(MesBridgeConfig.defaults("mes-poll", plant.wsEndpoint(), "ditto",
                        "ditto", plant.mongoUri(), List.of(PlantThingIds.line(ns, 1)))
                .withRules(rules())
                .withLeaseTtl(Duration.ofSeconds(3))
                .withResyncInterval(Duration.ofHours(1))
                .withCommandTimeout(Duration.ofSeconds(3))
                .withMongoDatabase("mes_mes_poll"))
                .followMachineEvents(false)
                .onMachineApplied((id, machine) -> applied.add(id + "=" + machine.state().state()));
        bridges.add(bridge);
        bridge.start();
        assertThat(applied).contains(m.get(0) + "=IDLE", m.get(1) + "=IDLE");
        // the first machine goes DOWN, then an order arrives: order events are still followed, machine events not
        plant.machineState(m.get(0), "DOWN", clock.instant());
        final ThingId wo1 = order(ns, 1, 1, 100, List.of());
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.DISPATCHED
                || status(wo1) == WorkOrderStatus.RUNNING);
        // not knowing about the DOWN (the next re-read is an hour away), it dispatched to the first machine
        assertThat((Object) plant.order(wo1).status().machine()).isEqualTo(m.get(0));
        assertThat(applied).noneMatch(a -> a.endsWith("=DOWN"));
        assertThat(bridge.counters().get("events.machinePolled")).isPositive();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bridge.followMachineEvents(true))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void countsCompleteAnOrderAndTheMachineIsStopped() {
        final String ns = "mes.count";
        final List<ThingId> m = line(ns, 1);
        final ThingId wo1 = order(ns, 1, 1, 10, List.of());
        final ThingId wo2 = order(ns, 2, 2, 10, List.of());
        plant.counters(m.get(0), 500, 7);
        final MesBridge bridge = bridge(ns, "mes-a", rules());
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.RUNNING);
        assertThat(plant.order(wo1).progress().base().good()).isEqualTo(500);

        plant.counters(m.get(0), 504, 8);
        await().atMost(WAIT).untilAsserted(() -> assertThat(plant.order(wo1).progress().good()).isEqualTo(4));
        assertThat(plant.order(wo1).progress().scrap()).isEqualTo(1);
        plant.counters(m.get(0), 510, 8);
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.COMPLETED);
        final WorkOrderTwin done = plant.order(wo1);
        assertThat(done.progress().good()).isEqualTo(10);
        assertThat(done.status().times()).containsKeys(WorkOrderStatus.RUNNING, WorkOrderStatus.COMPLETED);
        // the machine was stopped and then started on the next order
        await().atMost(WAIT).until(() -> machines.count("stopJob", wo1.toString()) >= 1);
        await().atMost(WAIT).until(() -> status(wo2) == WorkOrderStatus.RUNNING);
        assertThat(bridge.counters().get("orders.completed")).isEqualTo(1);
    }

    @Test
    void aShortageHoldsAnOrderAndReturningStockReleasesIt() {
        final String ns = "mes.short";
        line(ns, 1);
        final ThingId mat = PlantThingIds.material(ns, "RAW-1");
        plant.put(MaterialTwin.initial(mat, "KG", "1000", "0001", 10.0, 100.0)
                .withStock(MaterialTwin.Stock.of(5, 0, null)));
        final ThingId wo1 = order(ns, 1, 1, 10, List.of(new WorkOrderTwin.BomItem("RAW-1", 20, "KG")));
        bridge(ns, "mes-a", rules());
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.HELD);
        final WorkOrderTwin held = plant.order(wo1);
        assertThat(held.status().reasonCode()).isEqualTo("MATERIAL_SHORTAGE");
        assertThat(held.status().reason()).contains("RAW-1").contains("needs 20").contains("5 on hand");

        plant.merge(mat, "{\"features\":{\"stock\":{\"properties\":{\"onHand\":50,\"reserved\":0,"
                + "\"available\":50}}}}");
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.RUNNING);
        assertThat(plant.order(wo1).status().times()).containsKey(WorkOrderStatus.HELD);
    }

    @Test
    void scrapAboveTheThresholdPutsTheOrderOnQualityHold() {
        final String ns = "mes.quality";
        final List<ThingId> m = line(ns, 1);
        final ThingId wo1 = order(ns, 1, 1, 1000, List.of());
        final MesBridge bridge = bridge(ns, "mes-a", rules().withQuality(Duration.ofMinutes(10), 10, 0.2));
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.RUNNING);
        plant.counters(m.get(0), 8, 1); // 11 % scrap: fine
        await().atMost(WAIT).untilAsserted(() -> assertThat(plant.order(wo1).progress().good()).isEqualTo(8));
        assertThat(status(wo1)).isEqualTo(WorkOrderStatus.RUNNING);
        plant.counters(m.get(0), 12, 6); // 6 of 18: 33 %
        await().atMost(WAIT).until(() -> status(wo1) == WorkOrderStatus.HELD);
        final WorkOrderTwin held = plant.order(wo1);
        assertThat(held.status().reasonCode()).isEqualTo("QUALITY");
        assertThat(held.status().reason()).contains("scrap rate 33.3 %");
        assertThat(bridge.counters().get("events.raised")).isEqualTo(1);
        // the machine no longer runs it
        await().atMost(WAIT).until(() -> machines.count("stopJob", wo1.toString()) >= 1);
    }

    @Test
    void aRestartMidRunAndRepeatedReportsChangeNothing() {
        final String ns = "mes.restart";
        final List<ThingId> m = line(ns, 2);
        final List<ThingId> orders = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            orders.add(order(ns, i, 1 + i % 3, 50, List.of()));
        }
        MesBridge bridge = bridge(ns, "mes-a", rules());
        await().atMost(WAIT).until(() -> orders.stream().filter(o -> status(o) == WorkOrderStatus.RUNNING)
                .count() == 2);
        await().atMost(WAIT).until(() -> orders.stream().filter(o -> status(o) == WorkOrderStatus.DISPATCHED)
                .count() == 2);
        final Map<ThingId, WorkOrderTwin> before = snapshot(orders);
        final long startsBefore = machines.received().stream().filter(r -> r.command().equals("startJob")).count();

        bridge.close();
        bridges.remove(bridge);
        bridge = bridge(ns, "mes-a", rules());
        // the new instance has read everything and reconciled (at least once per change it saw)
        final MesBridge restarted = bridge;
        await().atMost(WAIT).until(() -> restarted.counters().get("reconciliations") >= 1);
        // the machines report the same again (a duplicate of what the bridge already saw)
        for (final ThingId id : m) {
            final MachineTwin mt = plant.machine(id);
            plant.machineState(id, mt.state().state().name(), mt.state().since());
        }
        await().atMost(WAIT).until(() -> restarted.counters().get("reconciliations") >= 3);
        assertThat(snapshot(orders)).isEqualTo(before);
        assertThat(restarted.counters().get("orders.dispatched")).isZero();
        assertThat(restarted.counters().get("orders.redispatched")).isZero();
        final long startsAfter = machines.received().stream().filter(r -> r.command().equals("startJob")).count();
        assertThat(startsAfter).isEqualTo(startsBefore);
    }

    @Test
    void oeeOfAMachineAndItsLineMatchAHandComputedCase() {
        final String ns = "mes.oee";
        final Instant t0 = Instant.parse("2026-11-26T06:00:00Z"); // the early shift starts at t0
        final MutableClock plantClock = new MutableClock(t0);
        final ThingId line = PlantThingIds.line(ns, 1);
        final ThingId m1 = PlantThingIds.machine(ns, 1, 1);
        plant.put(MachineTwin.initial(m1, line, "M1", new DeviceBinding(ns, m1.toString(), null, Map.of()), t0)
                .withCapabilities(List.of(), 10_000.0)
                .withState(io.plantmesh.twin.model.machine.MachineState.RUNNING, t0, "test"));
        plant.put(LineTwin.initial(line, "Line 1", "1000", List.of(m1)));
        final MesBridge bridge = MesBridge.create(MesBridgeConfig.defaults("mes-oee", plant.wsEndpoint(), "ditto",
                        "ditto", plant.mongoUri(), List.of(line))
                .withRules(rules()).withMongoDatabase("mes_oee").withClock(plantClock)
                .withOeeInterval(Duration.ofHours(1))).start();
        bridges.add(bridge);
        // 30 min running making 90 good and 10 scrap, 10 min DOWN, 20 min MAINTENANCE
        plantClock.set(t0.plus(Duration.ofMinutes(30)));
        plant.merge(m1, "{\"features\":{\"counters\":{\"properties\":{\"good\":90,\"scrap\":10}},"
                + "\"state\":{\"properties\":{\"state\":\"DOWN\",\"since\":\"" + t0.plus(Duration.ofMinutes(30))
                + "\"}}}}");
        await().atMost(WAIT).until(() -> bridge.view(line).machines().get(m1).twin().state().state()
                == io.plantmesh.twin.model.machine.MachineState.DOWN);
        plantClock.set(t0.plus(Duration.ofMinutes(40)));
        plant.machineState(m1, "MAINTENANCE", t0.plus(Duration.ofMinutes(40)));
        await().atMost(WAIT).until(() -> bridge.view(line).machines().get(m1).twin().state().state()
                == io.plantmesh.twin.model.machine.MachineState.MAINTENANCE);
        plantClock.set(t0.plus(Duration.ofMinutes(60)));
        bridge.publishOee();

        // planned = 60 - 20 (maintenance) = 40 min; running 30 min: A = 0.75
        // performance = 100 pieces x 10 s / 30 min = 0.5556; quality = 90 / 100 = 0.9; OEE = 0.375
        final MachineTwin.Oee oee = plant.machine(m1).oee();
        assertThat(oee.availability()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(oee.performance()).isCloseTo(1000.0 / 1800.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(oee.quality()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(oee.oee()).isCloseTo(0.375, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(oee.window()).isEqualTo("PT1H");
        assertThat(oee.shift().name()).isEqualTo("early");
        assertThat(oee.shift().oee()).isCloseTo(0.375, org.assertj.core.data.Offset.offset(1e-9));
        final LineTwin.Kpi kpi = plant.line(line).kpi();
        assertThat(kpi.oee()).isCloseTo(0.375, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(kpi.throughput()).isCloseTo(90.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(kpi.wip()).isZero();
    }

    @Test
    void twoInstancesForOneLineNeverBothActAndTheSurvivorTakesOverAfterACrash() {
        final String ns = "mes.lease";
        final ThingId lineId = PlantThingIds.line(ns, 1);
        final List<ThingId> m = line(ns, 2);
        final List<ThingId> orders = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            orders.add(order(ns, i, 1 + i % 3, 50, List.of()));
        }
        final MesBridge a = bridge(ns, "mes-a", rules());
        final MesBridge b = bridge(ns, "mes-b", rules());
        await().atMost(WAIT).until(() -> a.holds(lineId) || b.holds(lineId));
        await().atMost(WAIT).until(() -> orders.stream().filter(o -> status(o) == WorkOrderStatus.RUNNING)
                .count() == 2);
        final MesBridge holder = a.holds(lineId) ? a : b;
        final MesBridge standby = holder == a ? b : a;
        assertThat(standby.holds(lineId)).isFalse();
        // only the holder decided anything; every order was dispatched exactly once and started exactly once
        assertThat(standby.counters().get("orders.dispatched")).isZero();
        assertThat(standby.counters().get("commands.sent")).isZero();
        assertThat(holder.counters().get("orders.dispatched")).isEqualTo(4);
        for (final ThingId o : orders) {
            assertThat(machines.count("startJob", o.toString())).as("startJob for " + o).isLessThanOrEqualTo(1);
        }

        // the holder dies without releasing its lease; the standby takes the line over once it expired
        holder.crash();
        bridges.remove(holder);
        await().atMost(WAIT).until(() -> standby.holds(lineId));
        // and acts on it: a fault is handled by the new holder
        final ThingId faulty = plant.order(orders.stream().filter(o -> status(o) == WorkOrderStatus.RUNNING)
                .findFirst().orElseThrow()).status().machine();
        plant.machineState(faulty, "DOWN", clock.instant());
        await().atMost(WAIT).untilAsserted(() -> assertThat(orders.stream().map(plant::order)
                .filter(o -> faulty.equals(o.status().machine()))
                .filter(o -> o.status().status() != WorkOrderStatus.HELD))
                .isEmpty());
        assertThat(standby.counters().get("orders.redispatched") + standby.counters().get("orders.released"))
                .isPositive();
        assertThat(m).contains(faulty);
    }

    private static Map<ThingId, WorkOrderTwin> snapshot(final List<ThingId> orders) {
        final Map<ThingId, WorkOrderTwin> result = new HashMap<>();
        orders.forEach(o -> result.put(o, Objects.requireNonNull(plant.order(o))));
        return result;
    }
}
