package io.plantmesh.mes.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * A line in memory for planner tests: {@code plant1:line-1} with machines {@code plant1:machine-1-01..}, work orders
 * {@code plant1:wo-000001..}, materials by material number, a revision per twin and a clock that only moves when a
 * test moves it. Machines start IDLE since {@link #T0}; the clock starts at {@link #NOW}.
 *
 * <p>{@link #apply} plays a plan onto the line the way the reconciler and the shop floor would: an order write
 * succeeds only at the revision it was computed from (then the revision grows by one; otherwise it counts as a
 * conflict and changes nothing), desired jobs and the schedule are written, and each command is noted in the
 * planner memory. Machines obey commands unless told not to: {@code startJob} makes an IDLE or SETUP machine report
 * the job and go RUNNING; {@code stopJob} makes it drop the job and go IDLE. {@link #produce} grows counters.
 */
final class LineFixture {

    static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    static final Instant NOW = T0.plus(Duration.ofHours(2));
    static final String PLANT = "plant1";
    static final ThingId LINE = PlantThingIds.line(PLANT, 1);
    static final String DEFAULT_MATERIAL = "FG-2001";

    private final Map<ThingId, Versioned<MachineTwin>> machines = new TreeMap<>(
            Comparator.comparing(ThingId::toString));
    private final Map<ThingId, Versioned<WorkOrderTwin>> orders = new TreeMap<>(
            Comparator.comparing(ThingId::toString));
    private final Map<String, Versioned<MaterialTwin>> materials = new TreeMap<>();
    private final Map<ThingId, Long> revisions = new HashMap<>();
    private final List<Action.CommandMachine> commandsSent = new ArrayList<>();
    private final List<Action.RaiseEvent> eventsRaised = new ArrayList<>();
    private Versioned<LineTwin> line;
    private Instant now = NOW;
    private boolean machinesObey = true;
    private int conflicts;

    private LineFixture() {
    }

    /** A line with {@code count} idle machines, no capabilities, no orders, no materials, clock at {@link #NOW}. */
    static LineFixture withMachines(final int count) {
        final LineFixture f = new LineFixture();
        final List<ThingId> ids = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            final ThingId id = machineId(n);
            ids.add(id);
            f.putMachine(MachineTwin.initial(id, LINE, "Machine 1-" + n,
                    DeviceBinding.hono(PLANT, id.getName()), T0));
        }
        f.line = new Versioned<>(LineTwin.initial(LINE, "Line 1", "1000", ids), f.bump(LINE));
        return f;
    }

    static ThingId machineId(final int n) {
        return PlantThingIds.machine(PLANT, 1, n);
    }

    static ThingId orderId(final long n) {
        return PlantThingIds.workOrder(PLANT, n);
    }

    // ---- clock ----

    Instant now() {
        return now;
    }

    LineFixture advance(final Duration d) {
        now = now.plus(d);
        return this;
    }

    LineFixture machinesObey(final boolean obey) {
        machinesObey = obey;
        return this;
    }

    // ---- machines ----

    MachineTwin machine(final int n) {
        return machines.get(machineId(n)).twin();
    }

    LineFixture machine(final int n, final UnaryOperator<MachineTwin> change) {
        putMachine(change.apply(machine(n)));
        return this;
    }

    LineFixture capabilities(final int n, final String... capabilities) {
        return machine(n, m -> m.withCapabilities(Arrays.asList(capabilities), m.idealCycleTimeMs()));
    }

    LineFixture cycleTime(final int n, final double idealCycleTimeMs) {
        return machine(n, m -> m.withCapabilities(m.capabilities(), idealCycleTimeMs));
    }

    /** Moves machine n to {@code state} at the current time (the machine state machine must allow it). */
    LineFixture state(final int n, final MachineState state, final String reason) {
        return machine(n, m -> m.withState(state, now, reason));
    }

    LineFixture down(final int n, final String reason) {
        return state(n, MachineState.DOWN, reason);
    }

    /** Machine n reports {@code order} (null: none) and is in {@code state} since {@code since}. */
    LineFixture reports(final int n, final ThingId order, final MachineState state, final Instant since) {
        return machine(n, m -> m.withJob(new MachineTwin.Job(m.job().desired(),
                        order == null ? MachineTwin.Assignment.NONE
                                : new MachineTwin.Assignment(order.toString(), WorkOrderTwin.DEFAULT_OPERATION)))
                .withStateEntry(new MachineTwin.StateEntry(state, since, null)));
    }

    LineFixture desired(final int n, final ThingId order) {
        return machine(n, m -> m.withJob(new MachineTwin.Job(order == null ? MachineTwin.Assignment.NONE
                : new MachineTwin.Assignment(order.toString(), WorkOrderTwin.DEFAULT_OPERATION), m.job().reported())));
    }

    LineFixture counters(final int n, final long good, final long scrap) {
        return machine(n, m -> m.withCounters(new MachineTwin.Counters(good, scrap, 60_000.0)));
    }

    /** Machine n's counters grow by {@code good} and {@code scrap}. */
    LineFixture produce(final int n, final long good, final long scrap) {
        final MachineTwin.Counters c = machine(n).counters();
        return counters(n, c.good() + good, c.scrap() + scrap);
    }

    /**
     * Every machine that is RUNNING a reported job since before now makes {@code good} good pieces (a machine that
     * started at this very moment is still setting up).
     */
    LineFixture produceOnRunningMachines(final long good) {
        for (final ThingId id : List.copyOf(machines.keySet())) {
            final MachineTwin m = machines.get(id).twin();
            final boolean producing = m.state().state() == MachineState.RUNNING && LinePlanner.reportedJob(m) != null
                    && m.state().since().isBefore(now);
            if (producing) {
                putMachine(m.withCounters(new MachineTwin.Counters(m.counters().good() + good, m.counters().scrap(),
                        60_000.0)));
            }
        }
        return this;
    }

    LineFixture removeMachine(final int n) {
        machines.remove(machineId(n));
        return this;
    }

    // ---- orders ----

    static OrderSpec newOrder(final long n) {
        return new OrderSpec(n);
    }

    WorkOrderTwin order(final long n) {
        return orders.get(orderId(n)).twin();
    }

    LineFixture order(final WorkOrderTwin order) {
        orders.put(order.id(), new Versioned<>(order, bump(order.id())));
        return this;
    }

    LineFixture order(final OrderSpec spec) {
        return order(spec.build());
    }

    LineFixture order(final long n, final UnaryOperator<WorkOrderTwin> change) {
        return order(change.apply(order(n)));
    }

    WorkOrderStatus status(final long n) {
        return order(n).status().status();
    }

    ThingId machineOf(final long n) {
        return order(n).status().machine();
    }

    /** DISPATCHED to {@code machine} at {@code at}, planned from {@code start} to {@code end}. */
    static WorkOrderTwin dispatched(final WorkOrderTwin order, final ThingId machine, final Instant at,
            final Instant start, final Instant end) {
        final WorkOrderTwin d = order.dispatchTo(machine, at);
        return d.withStatusEntry(d.status().withPlan(machine, start, end));
    }

    /** DISPATCHED (if not already) then RUNNING on {@code machine} since {@code at} with {@code progress}. */
    static WorkOrderTwin running(final WorkOrderTwin order, final ThingId machine, final Instant at,
            final WorkOrderTwin.Progress progress) {
        final WorkOrderTwin d = order.status().status() == WorkOrderStatus.DISPATCHED ? order
                : dispatched(order, machine, at, at, null);
        return d.withStatusEntry(d.status().transitionTo(WorkOrderStatus.RUNNING, machine, at, "running")
                        .withPlan(machine, d.status().plannedStart(), d.status().plannedEnd()))
                .withProgress(progress);
    }

    /** HELD with {@code reason} at {@code at} (from RELEASED, DISPATCHED or RUNNING). */
    static WorkOrderTwin held(final WorkOrderTwin order, final HoldReason reason, final String text,
            final Instant at) {
        return order.withStatusEntry(order.status().transitionTo(WorkOrderStatus.HELD, order.status().machine(), at,
                text).withReasonCode(reason.name()));
    }

    // ---- materials ----

    LineFixture material(final String materialNumber, final double onHand) {
        final ThingId id = PlantThingIds.material(PLANT, materialNumber);
        final MaterialTwin base = materials.containsKey(materialNumber) ? materials.get(materialNumber).twin()
                : MaterialTwin.initial(id, "PC", "1000", "0001", null, null);
        materials.put(materialNumber, new Versioned<>(base.withStock(MaterialTwin.Stock.of(onHand, 0, null)),
                bump(id)));
        return this;
    }

    // ---- the view ----

    LineTwin line() {
        return line.twin();
    }

    long revision(final ThingId id) {
        return revisions.getOrDefault(id, 0L);
    }

    LineView view() {
        return new LineView(LINE, line, machines, orders, materials);
    }

    /** Plans at the current time without applying. */
    List<Action> plan(final LinePlanner planner, final PlannerMemory memory) {
        return planner.plan(view(), now, memory);
    }

    /** Plans at the current time and applies the plan. */
    List<Action> step(final LinePlanner planner, final PlannerMemory memory) {
        final List<Action> plan = plan(planner, memory);
        apply(plan, memory);
        return plan;
    }

    /** Applies a plan (see the class comment); commands are noted in {@code memory} at the current time. */
    void apply(final List<Action> plan, final PlannerMemory memory) {
        for (final Action action : plan) {
            if (action instanceof Action.UpdateOrder u) {
                final long current = revision(u.orderId());
                if (u.before().revision() != current) {
                    conflicts++;
                    continue;
                }
                order(u.after());
            } else if (action instanceof Action.SetMachineJob j) {
                final Versioned<MachineTwin> m = machines.get(j.machine());
                putMachine(m.twin().withJob(new MachineTwin.Job(j.desired(), m.twin().job().reported())));
            } else if (action instanceof Action.SetLineSchedule s) {
                line = new Versioned<>(line.twin().withSchedule(s.queue()), bump(LINE));
            } else if (action instanceof Action.CommandMachine c) {
                commandsSent.add(c);
                memory.sent(c.machine(), c.command(), c.workOrder(), now);
                if (machinesObey && machines.containsKey(c.machine())) {
                    obey(c);
                }
            } else if (action instanceof Action.RaiseEvent e) {
                eventsRaised.add(e);
            }
        }
    }

    private void obey(final Action.CommandMachine c) {
        final MachineTwin m = machines.get(c.machine()).twin();
        final MachineState state = m.state().state();
        if ("startJob".equals(c.command()) && (state == MachineState.IDLE || state == MachineState.SETUP)) {
            final String operation = c.payload().getValue("operation").map(v -> v.asString()).orElse(null);
            putMachine(m.withJob(new MachineTwin.Job(m.job().desired(),
                            new MachineTwin.Assignment(c.workOrder(), operation)))
                    .withState(MachineState.RUNNING, now, "job " + c.workOrder() + " started"));
        } else if ("stopJob".equals(c.command()) && c.workOrder().equals(LinePlanner.reportedJob(m))) {
            final MachineTwin stopped = m.withJob(new MachineTwin.Job(m.job().desired(),
                    MachineTwin.Assignment.NONE));
            putMachine(stopped.state().state() == MachineState.RUNNING || stopped.state().state() == MachineState.SETUP
                    ? stopped.withState(MachineState.IDLE, now, "job stopped") : stopped);
        }
    }

    int conflicts() {
        return conflicts;
    }

    List<Action.CommandMachine> commandsSent() {
        return List.copyOf(commandsSent);
    }

    List<Action.RaiseEvent> eventsRaised() {
        return List.copyOf(eventsRaised);
    }

    /**
     * Checks what must hold after every applied plan: open orders sit on machines of the line, no machine holds more
     * than {@code maxQueuePerMachine} orders or more than one RUNNING order, the desired job of each machine is one
     * of its orders, and the line schedule lists exactly the dispatched and running orders, each once.
     */
    void assertConsistent(final MesRules rules) {
        final Map<ThingId, List<ThingId>> queues = new HashMap<>();
        final Map<ThingId, Integer> runningPerMachine = new HashMap<>();
        final List<ThingId> open = new ArrayList<>();
        for (final Versioned<WorkOrderTwin> v : orders.values()) {
            final WorkOrderTwin o = v.twin();
            final WorkOrderStatus s = o.status().status();
            if (s == WorkOrderStatus.DISPATCHED || s == WorkOrderStatus.RUNNING) {
                open.add(o.id());
                assertThat(machines).as("machine of %s", o.id()).containsKey(o.status().machine());
                queues.computeIfAbsent(o.status().machine(), k -> new ArrayList<>()).add(o.id());
                if (s == WorkOrderStatus.RUNNING) {
                    runningPerMachine.merge(o.status().machine(), 1, Integer::sum);
                }
            }
        }
        queues.forEach((m, q) -> assertThat(q).as("queue of %s", m).hasSizeLessThanOrEqualTo(
                rules.maxQueuePerMachine()));
        runningPerMachine.forEach((m, c) -> assertThat(c).as("running orders on %s", m).isEqualTo(1));
        machines.forEach((id, v) -> {
            final String desired = v.twin().job().desired().workOrder();
            if (desired != null) {
                assertThat(queues.getOrDefault(id, List.of())).as("desired job of %s", id)
                        .contains(ThingId.of(desired));
            } else {
                assertThat(queues.getOrDefault(id, List.of())).as("queue of %s without desired job", id).isEmpty();
            }
        });
        assertThat(line.twin().schedule()).extracting(LineTwin.ScheduleEntry::workOrder)
                .as("line schedule").containsExactlyInAnyOrderElementsOf(open);
    }

    // ---- reading plans ----

    static List<Action.UpdateOrder> updates(final List<Action> plan) {
        return only(plan, Action.UpdateOrder.class);
    }

    static List<Action.CommandMachine> commands(final List<Action> plan) {
        return only(plan, Action.CommandMachine.class);
    }

    static List<Action.SetMachineJob> machineJobs(final List<Action> plan) {
        return only(plan, Action.SetMachineJob.class);
    }

    static List<Action.SetLineSchedule> schedules(final List<Action> plan) {
        return only(plan, Action.SetLineSchedule.class);
    }

    static List<Action.RaiseEvent> events(final List<Action> plan) {
        return only(plan, Action.RaiseEvent.class);
    }

    /** The order as the plan writes it, if the plan writes it. */
    static Optional<WorkOrderTwin> updated(final List<Action> plan, final long n) {
        return updates(plan).stream().filter(u -> u.orderId().equals(orderId(n))).map(Action.UpdateOrder::after)
                .findFirst();
    }

    static <T extends Action> List<T> only(final List<Action> plan, final Class<T> type) {
        return plan.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void putMachine(final MachineTwin m) {
        machines.put(m.id(), new Versioned<>(m, bump(m.id())));
    }

    private long bump(final ThingId id) {
        return revisions.merge(id, 1L, Long::sum);
    }

    /** A RELEASED work order of line 1, built with defaults: 10 pieces, priority 5, due T0 + 1 day, released T0. */
    static final class OrderSpec {

        private final long number;
        private double quantity = 10;
        private int priority = WorkOrderTwin.DEFAULT_PRIORITY;
        private Instant due = T0.plus(Duration.ofDays(1));
        private Instant releasedAt = T0;
        private String operation;
        private String capability;
        private final List<WorkOrderTwin.BomItem> bom = new ArrayList<>();

        private OrderSpec(final long number) {
            this.number = number;
        }

        OrderSpec quantity(final double value) {
            quantity = value;
            return this;
        }

        OrderSpec priority(final int value) {
            priority = value;
            return this;
        }

        OrderSpec due(final Instant value) {
            due = value;
            return this;
        }

        OrderSpec releasedAt(final Instant value) {
            releasedAt = value;
            return this;
        }

        OrderSpec operation(final String value) {
            operation = value;
            return this;
        }

        OrderSpec capability(final String value) {
            capability = value;
            return this;
        }

        OrderSpec needs(final String material, final double amount) {
            bom.add(new WorkOrderTwin.BomItem(material, amount, "PC"));
            return this;
        }

        WorkOrderTwin build() {
            return WorkOrderTwin.initial(orderId(number), DEFAULT_MATERIAL, quantity, due, LINE, priority, bom,
                    releasedAt).withRouting(operation, capability);
        }
    }
}
