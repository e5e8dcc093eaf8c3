package io.plantmesh.mes.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.machine.MaintenanceWindow;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin.CounterBase;
import io.plantmesh.twin.model.workorder.WorkOrderTwin.Progress;
import io.plantmesh.twin.model.workorder.WorkOrderTwin.StatusEntry;

/**
 * Decides what should happen on one line, from the line's current twin state alone. Pure: no I/O, the same view and
 * memory give the same plan. At most one {@link Action.UpdateOrder} per order per plan (each is conditional on the
 * revision it was computed from); machine jobs, the line schedule and commands are projections of the orders as they
 * will be after the plan.
 *
 * <p>Steps, in this order (documented in docs/mes-bridge.md):
 * <ol>
 *     <li><b>Progress</b>: a DISPATCHED order whose machine reports it RUNNING becomes RUNNING and takes the
 *     machine's counters as its base; a RUNNING order's progress grows by the machine's counter delta since the base
 *     (written at most every {@code progressInterval}); it is COMPLETED when good pieces reach its quantity.</li>
 *     <li><b>Quality</b>: a RUNNING order whose scrap share over the quality window is above the threshold (with at
 *     least {@code qualityMinPieces} pieces) is HELD with reason QUALITY, and a {@code qualityHold} event is
 *     raised.</li>
 *     <li><b>Faults</b>: the DISPATCHED and RUNNING orders of a machine that is DOWN or in MAINTENANCE, inside one of
 *     its maintenance windows (or gone from the line), most urgent first, are dispatched to the capable machine that
 *     is up, has room and is free first; without room they take the slot of the lowest-ranked queued order that
 *     ranks after them and has not started (that one goes back to RELEASED); failing that they go back to RELEASED to
 *     wait for room if a capable machine is up, and are HELD (NO_MACHINE) if none is.</li>
 *     <li><b>Shortage</b>: a RELEASED or DISPATCHED order that needs more of a material than its twin has on hand is
 *     HELD (MATERIAL_SHORTAGE).</li>
 *     <li><b>Release</b>: an order HELD for MATERIAL_SHORTAGE, NO_MACHINE or NO_CAPABLE_MACHINE whose cause is gone
 *     is RELEASED.</li>
 *     <li><b>Dispatch</b>: RELEASED orders, in {@link DispatchRule} order, go to the capable machine that is up and
 *     free first and has fewer than {@code maxQueuePerMachine} orders; an order no machine of the line can run is
 *     HELD (NO_CAPABLE_MACHINE).</li>
 *     <li><b>Rebalance</b>: a queued order (dispatched, not yet started on its machine) moves to another machine that
 *     could start it at least {@code rebalanceThreshold} earlier.</li>
 *     <li><b>Sequence</b>: behind the first order of each machine, its queue is kept in dispatch-rule order (an
 *     order re-dispatched to the end of a queue moves ahead of the orders it outranks).</li>
 *     <li><b>Projections</b>: each machine's desired job is the first order of its queue; a machine that is up and
 *     runs a job it should not is told {@code stopJob}; an IDLE machine with a desired job is told
 *     {@code startJob}, an IDLE machine inside a maintenance window {@code startMaintenance}; the line's schedule
 *     lists its dispatched and running orders.</li>
 * </ol>
 * Planned times go around maintenance windows: an order that would overlap a machine's window is planned after it,
 * so that rebalancing moves queued work to machines that can start it earlier, before the window begins.
 */
public final class LinePlanner {

    private final MesRules rules;

    public LinePlanner(final MesRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public MesRules rules() {
        return rules;
    }

    /** The plan for {@code view} at {@code now}; {@code memory} is read and updated (quality readings). */
    public List<Action> plan(final LineView view, final Instant now, final PlannerMemory memory) {
        return new Run(view, now, memory).plan();
    }

    /** True if the machine can take work: IDLE, SETUP or RUNNING. */
    public static boolean isUp(final MachineTwin machine) {
        final MachineState s = machine.state().state();
        return s == MachineState.IDLE || s == MachineState.SETUP || s == MachineState.RUNNING;
    }

    /**
     * The next time a maintenance window of the line's machines starts or ends after {@code now}: the line must be
     * decided again then, even if no twin changes.
     */
    public static Optional<Instant> nextWindowBoundary(final LineView view, final Instant now) {
        Instant next = null;
        for (final Versioned<MachineTwin> m : view.machines().values()) {
            for (final MaintenanceWindow w : m.twin().maintenance()) {
                final Instant boundary = w.start().isAfter(now) ? w.start() : w.end().isAfter(now) ? w.end() : null;
                if (boundary != null && (next == null || boundary.isBefore(next))) {
                    next = boundary;
                }
            }
        }
        return Optional.ofNullable(next);
    }

    /** The work order a machine reports it runs, or null (absent or blank). */
    public static String reportedJob(final MachineTwin machine) {
        final String wo = machine.job().reported().workOrder();
        return wo == null || wo.isBlank() ? null : wo;
    }

    /** One planning pass; holds the orders as they will be after the plan. */
    private final class Run {

        private final LineView view;
        private final Instant now;
        private final PlannerMemory memory;
        /** Orders of this line as they will be after the plan (key order: id). */
        private final Map<ThingId, WorkOrderTwin> planned = new TreeMap<>();
        private final Map<ThingId, String> why = new LinkedHashMap<>();
        private final List<Action> other = new ArrayList<>();
        private final List<ThingId> machineIds;
        /** Queues per machine as planned so far; cleared whenever an order changes. */
        private final Map<ThingId, List<WorkOrderTwin>> queues = new HashMap<>();

        Run(final LineView view, final Instant now, final PlannerMemory memory) {
            this.view = view;
            this.now = now;
            this.memory = memory;
            view.orders().forEach((id, o) -> {
                if (view.lineId().equals(o.twin().line())) {
                    planned.put(id, o.twin());
                }
            });
            machineIds = view.machines().keySet().stream().sorted(Comparator.comparing(ThingId::toString)).toList();
        }

        List<Action> plan() {
            progressAndQuality();
            faults();
            shortages();
            releases();
            dispatch();
            rebalance();
            sequence();
            final List<Action> actions = new ArrayList<>();
            planned.forEach((id, after) -> {
                final Versioned<WorkOrderTwin> before = view.orders().get(id);
                if (!after.equals(before.twin())) {
                    actions.add(new Action.UpdateOrder(before, after, why.getOrDefault(id, "update")));
                }
            });
            actions.addAll(other);
            projections(actions);
            final Set<ThingId> running = new HashSet<>();
            planned.forEach((id, o) -> {
                if (o.status().status() == WorkOrderStatus.RUNNING) {
                    running.add(id);
                }
            });
            memory.retainOnly(running, view.machines().keySet());
            return actions;
        }

        private void change(final WorkOrderTwin order, final String reason) {
            planned.put(order.id(), order);
            queues.clear();
            why.merge(order.id(), reason, (a, b) -> a + "; " + b);
        }

        private MachineTwin machine(final ThingId id) {
            final Versioned<MachineTwin> m = id == null ? null : view.machines().get(id);
            return m == null ? null : m.twin();
        }

        /** True if the machine can take work now: up, and not inside one of its maintenance windows. */
        private boolean available(final MachineTwin m) {
            return isUp(m) && m.maintenanceAt(now).isEmpty();
        }

        /**
         * The earliest start at or after {@code start} at which {@code work} on the machine overlaps none of its
         * maintenance windows (windows are sorted by start, so one pass pushes past each in turn).
         */
        private Instant placed(final MachineTwin m, final Instant start, final Duration work) {
            if (m == null) {
                return start;
            }
            Instant t = start;
            for (final MaintenanceWindow w : m.maintenance()) {
                final boolean overlaps = t.isBefore(w.end()) && t.plus(work).isAfter(w.start());
                if (overlaps) {
                    t = w.end();
                }
            }
            return t;
        }

        // ---- 1 and 2: progress, completion, quality ----

        private void progressAndQuality() {
            for (final WorkOrderTwin order : List.copyOf(planned.values())) {
                final WorkOrderStatus status = order.status().status();
                final MachineTwin m = machine(order.status().machine());
                final boolean onMachine = m != null && order.id().toString().equals(reportedJob(m));
                if (status == WorkOrderStatus.DISPATCHED && onMachine && m.state().state() == MachineState.RUNNING) {
                    final Instant started = m.state().since().isAfter(now) ? now : m.state().since();
                    final WorkOrderTwin running = order.withStatusEntry(order.status()
                            .transitionTo(WorkOrderStatus.RUNNING, m.id(), started, "running on " + m.id())
                            .withPlan(m.id(), order.status().plannedStart(), order.status().plannedEnd()))
                            .withProgress(new Progress(order.progress().good(), order.progress().scrap(),
                                    new CounterBase(m.id(), m.counters().good(), m.counters().scrap()), now));
                    change(running, "running on " + m.id());
                } else if (status == WorkOrderStatus.RUNNING && onMachine) {
                    count(order, m);
                } else if (status == WorkOrderStatus.RUNNING && m != null && reportedJob(m) != null
                        && order.progress().base() != null) {
                    // the machine runs another job: its counters are not this order's until it runs it again
                    final Progress p = order.progress();
                    change(order.withProgress(new Progress(p.good(), p.scrap(), null, now)),
                            m.id() + " runs " + reportedJob(m) + ", not this order: counting paused");
                }
            }
        }

        private void count(final WorkOrderTwin order, final MachineTwin m) {
            final Progress p = order.progress();
            final CounterBase base = p.base();
            final long good = m.counters().good();
            final long scrap = m.counters().scrap();
            if (base == null || !base.machine().equals(m.id())) {
                // first reading on this machine: count from here
                change(order.withProgress(new Progress(p.good(), p.scrap(), new CounterBase(m.id(), good, scrap),
                        now)), "counting on " + m.id());
                return;
            }
            // a counter below its base was reset (machine restart): count it from zero
            final long dGood = good >= base.good() ? good - base.good() : good;
            final long dScrap = scrap >= base.scrap() ? scrap - base.scrap() : scrap;
            final long totalGood = p.good() + dGood;
            final long totalScrap = p.scrap() + dScrap;
            final boolean complete = totalGood >= order.quantity();
            // a machine that is no longer up loses the order in this plan: count its pieces now, whatever the interval
            final boolean due = p.updatedAt() == null || !p.updatedAt().plus(rules.progressInterval()).isAfter(now)
                    || !available(m);
            WorkOrderTwin next = order;
            if ((dGood > 0 || dScrap > 0) && (due || complete)) {
                next = order.withProgress(new Progress(totalGood, totalScrap, new CounterBase(m.id(), good, scrap),
                        now));
            }
            if (complete) {
                next = next.withStatus(WorkOrderStatus.COMPLETED, now, totalGood + " good, " + totalScrap + " scrap");
                change(next, "completed: " + totalGood + " good >= " + fmt(order.quantity()));
                return;
            }
            if (next != order) {
                change(next, "progress " + totalGood + "/" + fmt(order.quantity()) + " good, " + totalScrap + " scrap");
            }
            quality(next);
        }

        private void quality(final WorkOrderTwin order) {
            final long[] window = memory.producedWithin(order.id(), order.progress().good(), order.progress().scrap(),
                    now, rules.qualityWindow());
            final long pieces = window[0] + window[1];
            if (pieces < rules.qualityMinPieces()) {
                return;
            }
            final double rate = (double) window[1] / pieces;
            if (rate <= rules.scrapThreshold()) {
                return;
            }
            final String reason = String.format(java.util.Locale.ROOT,
                    "scrap rate %.1f %% over the last %s (%d of %d pieces) is above the threshold of %.1f %%",
                    100 * rate, human(rules.qualityWindow()), window[1], pieces, 100 * rules.scrapThreshold());
            final WorkOrderTwin held = hold(order, HoldReason.QUALITY, reason);
            change(held, "quality hold: " + reason);
            other.add(new Action.RaiseEvent(order.id(), "qualityHold", JsonObject.newBuilder()
                    .set("workOrder", order.id().toString())
                    .set("machine", String.valueOf(order.status().machine()))
                    .set("scrapRate", rate)
                    .set("pieces", pieces)
                    .set("scrap", window[1])
                    .set("threshold", rules.scrapThreshold())
                    .set("window", rules.qualityWindow().toString())
                    .set("reason", reason)
                    .build()));
        }

        // ---- 3: faults ----

        private void faults() {
            final Map<ThingId, Instant> freeAt = freeAt(null);
            for (final WorkOrderTwin order : sorted(WorkOrderStatus.DISPATCHED, WorkOrderStatus.RUNNING)) {
                final ThingId on = order.status().machine();
                final MachineTwin m = machine(on);
                final boolean fine = m != null && available(m) && m.canRun(order.requiredCapability());
                if (fine) {
                    continue;
                }
                final String cause = m == null ? "machine " + on + " is not a machine of " + view.lineId()
                        : !isUp(m) ? m.id() + " is " + m.state().state()
                        + (m.state().reason() == null ? "" : " (" + m.state().reason() + ")")
                        : !available(m) ? m.id() + " is reserved for maintenance until "
                        + m.maintenanceAt(now).orElseThrow().end() + " (" + windowReason(m) + ")"
                        : m.id() + " cannot run capability " + order.requiredCapability();
                Optional<ThingId> target = bestMachine(order, freeAt, on, true);
                if (target.isEmpty()) {
                    // no room: take the slot of a lower-ranked order that has not started yet, if there is one
                    final Optional<WorkOrderTwin> bumped = lowestQueued(order, on);
                    if (bumped.isPresent()) {
                        final WorkOrderTwin victim = bumped.get();
                        final ThingId slot = victim.status().machine();
                        change(withdraw(victim, "its slot on " + slot + " went to " + order.id() + " (" + cause
                                + ")"), "back to the pool: its slot on " + slot + " went to " + order.id());
                        final Map<ThingId, Instant> recomputed = freeAt(null);
                        freeAt.clear();
                        freeAt.putAll(recomputed);
                        target = Optional.of(slot);
                    }
                }
                if (target.isPresent()) {
                    final WorkOrderTwin moved = assign(order, target.get(), freeAt, "re-dispatched: " + cause);
                    change(moved, "re-dispatched from " + on + " to " + target.get() + ": " + cause);
                } else if (machineIds.stream().map(this::machine)
                        .anyMatch(x -> !x.id().equals(on) && available(x)
                                && x.canRun(order.requiredCapability()))) {
                    // capable machines are up but busy with more urgent orders: wait in the line's pool
                    change(withdraw(order, cause + "; the other capable machines are busy with more urgent orders"),
                            "back to the pool: " + cause);
                } else {
                    final String reason = cause + "; no other capable machine of " + view.lineId() + " is up";
                    change(hold(order, HoldReason.NO_MACHINE, reason), "held: " + reason);
                }
            }
        }

        /**
         * The lowest-ranked DISPATCHED order, ranked after {@code order}, that its capable, up machine has not started
         * (not the head of that machine's queue), on a machine other than {@code exclude}.
         */
        private Optional<WorkOrderTwin> lowestQueued(final WorkOrderTwin order, final ThingId exclude) {
            return sorted(WorkOrderStatus.DISPATCHED).stream()
                    .filter(o -> DispatchRule.ORDER.compare(o, order) > 0)
                    .filter(o -> !o.status().machine().equals(exclude))
                    .filter(o -> {
                        final MachineTwin x = machine(o.status().machine());
                        return x != null && available(x) && x.canRun(order.requiredCapability());
                    })
                    .filter(o -> !isHead(o))
                    .reduce((a, b) -> b);
        }

        /** Back to RELEASED (the line's pool), keeping its progress, without a machine. */
        private WorkOrderTwin withdraw(final WorkOrderTwin order, final String reason) {
            final Progress p = order.progress();
            return order.withStatus(WorkOrderStatus.RELEASED, now, reason)
                    .withProgress(p.base() == null ? p : new Progress(p.good(), p.scrap(), null, p.updatedAt()));
        }

        // ---- 4 and 5: shortage, release ----

        private void shortages() {
            for (final WorkOrderTwin order : sorted(WorkOrderStatus.RELEASED, WorkOrderStatus.DISPATCHED)) {
                final String shortage = shortage(order);
                if (shortage != null) {
                    change(hold(order, HoldReason.MATERIAL_SHORTAGE, shortage), "held: " + shortage);
                }
            }
        }

        private void releases() {
            for (final WorkOrderTwin order : sorted(WorkOrderStatus.HELD)) {
                if (why.containsKey(order.id())) {
                    continue; // held in this very plan: its cause is current
                }
                final HoldReason reason = HoldReason.of(order.status().reasonCode());
                if (reason == null || !reason.releasedAutomatically()) {
                    continue;
                }
                final boolean cleared = switch (reason) {
                    case MATERIAL_SHORTAGE -> shortage(order) == null;
                    case NO_MACHINE -> machineIds.stream().map(this::machine)
                            .anyMatch(m -> available(m) && m.canRun(order.requiredCapability()));
                    case NO_CAPABLE_MACHINE -> machineIds.stream().map(this::machine)
                            .anyMatch(m -> m.canRun(order.requiredCapability()));
                    default -> false;
                };
                if (cleared) {
                    final WorkOrderTwin released = order.withStatus(WorkOrderStatus.RELEASED, now,
                            "released: " + reason + " cleared");
                    change(released, "released: " + reason + " cleared");
                }
            }
        }

        /** Why the order is short of material, or null if it is not (missing material twins are not tracked). */
        private String shortage(final WorkOrderTwin order) {
            final double remaining = order.quantity() <= 0 ? 0
                    : Math.max(0, 1 - order.progress().good() / order.quantity());
            for (final WorkOrderTwin.BomItem item : order.billOfMaterials()) {
                final Versioned<MaterialTwin> material = view.materials().get(item.material());
                if (material == null) {
                    continue;
                }
                final double needed = item.quantity() * remaining;
                final double onHand = material.twin().stock().onHand();
                if (needed > 0 && onHand < needed) {
                    return "material " + item.material() + ": needs " + fmt(needed) + " " + item.unit()
                            + ", " + fmt(onHand) + " on hand";
                }
            }
            return null;
        }

        // ---- 6 and 7: dispatch, rebalance ----

        private void dispatch() {
            final Map<ThingId, Instant> freeAt = freeAt(null);
            for (final WorkOrderTwin order : sorted(WorkOrderStatus.RELEASED)) {
                final boolean anyCapable = machineIds.stream().map(this::machine)
                        .anyMatch(m -> m.canRun(order.requiredCapability()));
                if (!anyCapable) {
                    final String reason = "no machine of " + view.lineId() + " has capability "
                            + order.requiredCapability();
                    change(hold(order, HoldReason.NO_CAPABLE_MACHINE, reason), "held: " + reason);
                    continue;
                }
                final String shortage = shortage(order);
                if (shortage != null) {
                    change(hold(order, HoldReason.MATERIAL_SHORTAGE, shortage), "held: " + shortage);
                    continue;
                }
                final Optional<ThingId> target = bestMachine(order, freeAt, null, true);
                if (target.isPresent()) {
                    change(assign(order, target.get(), freeAt, null), "dispatched to " + target.get());
                }
            }
        }

        private void rebalance() {
            // moving one order can make an earlier-considered one worth moving: repeat until nothing moves (bounded)
            final int bound = 1 + (int) planned.values().stream()
                    .filter(o -> o.status().status() == WorkOrderStatus.DISPATCHED).count();
            for (int round = 0; round < bound && rebalanceOnce(); round++) {
                // another round
            }
        }

        private boolean rebalanceOnce() {
            boolean moved = false;
            final List<WorkOrderTwin> queued = sorted(WorkOrderStatus.DISPATCHED).stream()
                    .filter(o -> !isHead(o))
                    .toList();
            for (final WorkOrderTwin listed : queued) {
                final WorkOrderTwin order = planned.get(listed.id());
                final ThingId current = order.status().machine();
                // where would it start if it were not queued where it is?
                final Map<ThingId, Instant> freeAt = freeAt(order.id());
                final Optional<ThingId> target = bestMachine(order, freeAt, current, true);
                if (target.isEmpty()) {
                    continue;
                }
                final Instant startThere = freeAt.get(target.get());
                final Instant startHere = startOnCurrent(order);
                final boolean worthIt = !startThere.plus(rules.rebalanceThreshold()).isAfter(startHere);
                if (worthIt) {
                    final String reason = "rebalanced from " + current + " to " + target.get() + ": starts "
                            + human(Duration.between(startThere, startHere)) + " earlier";
                    change(assign(order, target.get(), freeAt, reason), reason);
                    moved = true;
                }
            }
            return moved;
        }

        /** True if the order is the first of its machine's queue, or the machine already reports it. */
        private boolean isHead(final WorkOrderTwin order) {
            final ThingId on = order.status().machine();
            final MachineTwin m = machine(on);
            if (m != null && order.id().toString().equals(reportedJob(m))) {
                return true;
            }
            final List<WorkOrderTwin> queue = queueOf(on);
            return !queue.isEmpty() && queue.get(0).id().equals(order.id());
        }

        private Instant startOnCurrent(final WorkOrderTwin order) {
            Instant t = now;
            final MachineTwin m = machine(order.status().machine());
            for (final WorkOrderTwin o : queueOf(order.status().machine())) {
                final Duration work = remainingWork(o, m);
                if (o.id().equals(order.id())) {
                    return placed(m, t, work);
                }
                t = placed(m, t, work).plus(work);
            }
            return t;
        }

        /**
         * The capable machine that is up, has room and is free first (ties: fewer orders, then id); {@code exclude}
         * is never chosen.
         */
        private Optional<ThingId> bestMachine(final WorkOrderTwin order, final Map<ThingId, Instant> freeAt,
                final ThingId exclude, final boolean needRoom) {
            ThingId best = null;
            for (final ThingId id : machineIds) {
                final MachineTwin m = machine(id);
                final boolean candidate = !id.equals(exclude) && available(m)
                        && m.canRun(order.requiredCapability())
                        && (!needRoom || queueOf(id).size() < rules.maxQueuePerMachine());
                if (!candidate) {
                    continue;
                }
                if (best == null) {
                    best = id;
                    continue;
                }
                final int byTime = freeAt.get(id).compareTo(freeAt.get(best));
                final int byLoad = Integer.compare(queueOf(id).size(), queueOf(best).size());
                if (byTime < 0 || (byTime == 0 && byLoad < 0)) {
                    best = id;
                }
            }
            return Optional.ofNullable(best);
        }

        /** DISPATCHED with a plan on {@code machine}; the machine's free time moves on by the order's work. */
        private WorkOrderTwin assign(final WorkOrderTwin order, final ThingId machine,
                final Map<ThingId, Instant> freeAt, final String reason) {
            final MachineTwin m = machine(machine);
            // on a new machine the order starts over with a setup, even if it was running elsewhere
            final boolean sameMachine = machine.equals(order.status().machine());
            final Duration work = remainingWork(order, m, !sameMachine);
            final Instant start = placed(m, freeAt.get(machine), work);
            final Instant end = start.plus(work);
            freeAt.put(machine, end);
            final StatusEntry s = order.status();
            final StatusEntry dispatched;
            if (s.status() == WorkOrderStatus.DISPATCHED) {
                dispatched = new StatusEntry(s.status(), machine, reason == null ? s.reason() : reason, s.reasonCode(),
                        start, end, s.times());
            } else {
                dispatched = s.transitionTo(WorkOrderStatus.DISPATCHED, machine, now, reason)
                        .withPlan(machine, start, end);
            }
            final Progress p = order.progress();
            // counting restarts from the new machine's counters
            return order.withStatusEntry(dispatched).withProgress(p.base() == null ? p
                    : new Progress(p.good(), p.scrap(), null, p.updatedAt()));
        }

        private WorkOrderTwin hold(final WorkOrderTwin order, final HoldReason reason, final String text) {
            return order.withStatusEntry(order.status().transitionTo(WorkOrderStatus.HELD, order.status().machine(),
                    now, text).withReasonCode(reason.name()));
        }

        /** When each machine of the line is free, given the orders assigned to it (except {@code without}). */
        private Map<ThingId, Instant> freeAt(final ThingId without) {
            final Map<ThingId, Instant> result = new HashMap<>();
            for (final ThingId id : machineIds) {
                Instant t = now;
                final MachineTwin m = machine(id);
                for (final WorkOrderTwin o : queueOf(id)) {
                    if (!o.id().equals(without)) {
                        final Duration work = remainingWork(o, m);
                        t = placed(m, t, work).plus(work);
                    }
                }
                result.put(id, t);
            }
            return result;
        }

        private Duration remainingWork(final WorkOrderTwin order, final MachineTwin m) {
            return remainingWork(order, m, false);
        }

        private Duration remainingWork(final WorkOrderTwin order, final MachineTwin m, final boolean fresh) {
            final Duration cycle = m != null && m.idealCycleTimeMs() != null
                    ? Duration.ofMillis(Math.max(1, Math.round(m.idealCycleTimeMs())))
                    : rules.defaultCycleTime();
            final double left = Math.max(0, order.quantity() - order.progress().good());
            final Duration work = cycle.multipliedBy((long) Math.ceil(left));
            final boolean started = !fresh && order.status().status() == WorkOrderStatus.RUNNING;
            return started ? work : work.plus(rules.setupTime());
        }

        /** The orders on a machine as planned so far: RUNNING first, then DISPATCHED by planned start, then rule. */
        private List<WorkOrderTwin> queueOf(final ThingId machine) {
            if (machine == null) {
                return List.of();
            }
            final List<WorkOrderTwin> cached = queues.get(machine);
            if (cached != null) {
                return cached;
            }
            final MachineTwin m = machine(machine);
            final String reported = m == null ? null : reportedJob(m);
            final List<WorkOrderTwin> queue = planned.values().stream()
                    .filter(o -> machine.equals(o.status().machine()))
                    .filter(o -> o.status().status() == WorkOrderStatus.RUNNING
                            || o.status().status() == WorkOrderStatus.DISPATCHED)
                    .sorted(Comparator.<WorkOrderTwin>comparingInt(o -> o.status().status() == WorkOrderStatus.RUNNING
                                    ? 0 : o.id().toString().equals(reported) ? 1 : 2)
                            .thenComparing(o -> o.status().plannedStart(),
                                    Comparator.nullsLast(Comparator.naturalOrder()))
                            .thenComparing(DispatchRule.ORDER))
                    .toList();
            queues.put(machine, queue);
            return queue;
        }

        /**
         * Keeps each machine's queue behind its first order in dispatch-rule order: an order placed at the end (a
         * re-dispatch after a fault) that outranks orders queued there moves ahead of them, and the planned times of
         * the queue are recomputed. A queue already in rule order is left as it is (its times are not rewritten).
         */
        private void sequence() {
            for (final ThingId id : machineIds) {
                final List<WorkOrderTwin> queue = queueOf(id);
                if (queue.size() < 3) {
                    continue; // the first order stays first; one order behind it has nothing to be ordered against
                }
                final List<WorkOrderTwin> rest = queue.subList(1, queue.size());
                final List<WorkOrderTwin> ranked = rest.stream().sorted(DispatchRule.ORDER).toList();
                if (ranked.equals(rest)) {
                    continue;
                }
                final MachineTwin m = machine(id);
                final WorkOrderTwin first = queue.get(0);
                Instant t = first.status().plannedEnd() != null && first.status().plannedEnd().isAfter(now)
                        ? first.status().plannedEnd() : now.plus(remainingWork(first, m));
                for (final WorkOrderTwin o : ranked) {
                    final Duration work = remainingWork(o, m);
                    final Instant start = placed(m, t, work);
                    final Instant end = start.plus(work);
                    final StatusEntry s = o.status();
                    if (!start.equals(s.plannedStart()) || !end.equals(s.plannedEnd())) {
                        change(o.withStatusEntry(s.withPlan(id, start, end)), "queue of " + id + " in rule order");
                    }
                    t = end;
                }
            }
        }

        private List<WorkOrderTwin> sorted(final WorkOrderStatus... statuses) {
            final Set<WorkOrderStatus> wanted = Set.of(statuses);
            return planned.values().stream()
                    .filter(o -> wanted.contains(o.status().status()))
                    .sorted(DispatchRule.ORDER)
                    .toList();
        }

        // ---- 8: projections ----

        private void projections(final List<Action> actions) {
            final List<LineTwin.ScheduleEntry> schedule = new ArrayList<>();
            for (final ThingId id : machineIds) {
                final MachineTwin m = machine(id);
                final List<WorkOrderTwin> queue = queueOf(id);
                for (final WorkOrderTwin o : queue) {
                    schedule.add(new LineTwin.ScheduleEntry(o.id(), id, o.status().plannedStart(),
                            o.status().plannedEnd()));
                }
                final WorkOrderTwin head = queue.isEmpty() ? null : queue.get(0);
                final MachineTwin.Assignment desired = head == null ? MachineTwin.Assignment.NONE
                        : new MachineTwin.Assignment(head.id().toString(), head.operation());
                if (!sameAssignment(desired, m.job().desired())) {
                    actions.add(new Action.SetMachineJob(id, desired));
                }
                command(m, head, actions);
            }
            final Versioned<LineTwin> line = view.line();
            if (line != null && !line.twin().schedule().equals(schedule)) {
                actions.add(new Action.SetLineSchedule(view.lineId(), schedule));
            }
        }

        private void command(final MachineTwin m, final WorkOrderTwin head, final List<Action> actions) {
            if (!isUp(m)) {
                return;
            }
            final String reported = reportedJob(m);
            final String wanted = head == null ? null : head.id().toString();
            final Optional<MaintenanceWindow> window = m.maintenanceAt(now);
            if (reported != null && !reported.equals(wanted)) {
                final String reason = window.isPresent() ? "it is reserved for maintenance window "
                        + window.get().id() : wanted == null ? "no order is dispatched to it"
                        : "its current order is " + wanted;
                if (!memory.recentlySent(m.id(), "stopJob", reported, now, rules.commandRetry())) {
                    actions.add(new Action.CommandMachine(m.id(), "stopJob", JsonObject.newBuilder()
                            .set("workOrder", reported).build(), reported,
                            "stop " + reported + " on " + m.id() + ": " + reason));
                }
                return;
            }
            if (window.isPresent()) {
                maintain(m, window.get(), actions);
                return;
            }
            if (wanted != null && m.state().state() == MachineState.IDLE
                    && !memory.recentlySent(m.id(), "startJob", wanted, now, rules.commandRetry())) {
                actions.add(new Action.CommandMachine(m.id(), "startJob", JsonObject.newBuilder()
                        .set("workOrder", wanted).set("operation", head.operation()).build(), wanted,
                        "start " + wanted + " on " + m.id()));
            }
        }

        private String windowReason(final MachineTwin m) {
            final MaintenanceWindow w = m.maintenanceAt(now).orElseThrow();
            return "window " + w.id() + (w.reason() == null ? "" : ": " + w.reason());
        }

        /**
         * An IDLE machine without a job inside a maintenance window is told {@code startMaintenance} until the
         * window's end (repeated after the retry interval while it stays IDLE).
         */
        private void maintain(final MachineTwin m, final MaintenanceWindow w, final List<Action> actions) {
            final boolean idle = reportedJob(m) == null && m.state().state() == MachineState.IDLE;
            if (!idle || memory.recentlySent(m.id(), "startMaintenance", w.id(), now, rules.commandRetry())) {
                return;
            }
            final long minutes = Math.max(1, (Duration.between(now, w.end()).toSeconds() + 59) / 60);
            final JsonObject payload = JsonObject.newBuilder()
                    .set("windowId", w.id())
                    .set("durationMinutes", minutes)
                    .set("until", w.end().toString())
                    .set("reason", w.reason() == null ? "planned maintenance window " + w.id() : w.reason())
                    .build();
            actions.add(new Action.CommandMachine(m.id(), "startMaintenance", payload, w.id(),
                    "maintenance of " + m.id() + " until " + w.end() + " (" + windowReason(m) + ")"));
        }
    }

    private static boolean sameAssignment(final MachineTwin.Assignment a, final MachineTwin.Assignment b) {
        return Objects.equals(blankToNull(a.workOrder()), blankToNull(b.workOrder()))
                && Objects.equals(blankToNull(a.operation()), blankToNull(b.operation()));
    }

    private static String blankToNull(final String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String fmt(final double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    static String human(final Duration d) {
        final long s = d.toSeconds();
        if (s % 3600 == 0 && s >= 3600) {
            return (s / 3600) + " h";
        }
        if (s % 60 == 0 && s >= 60) {
            return (s / 60) + " min";
        }
        return s + " s";
    }
}
