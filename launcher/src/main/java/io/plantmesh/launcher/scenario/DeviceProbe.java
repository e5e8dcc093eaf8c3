package io.plantmesh.launcher.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.machine.JobAssignment;
import io.plantmesh.devices.simulator.machine.MachineListener;
import io.plantmesh.devices.simulator.machine.PartCompleted;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.devices.simulator.machine.StateChange;

/**
 * The origin of every business event, at the device: listens to the simulated machines (called on the simulator's
 * thread at the moment a machine changes state or makes a piece) and stamps each event with the wall clock
 * ({@link System#nanoTime()}). Keeps the device's truth for the consistency samples: each machine's state and each
 * work order's good and scrap pieces (the order is the job the machine runs when the piece comes off). Thread-safe.
 */
final class DeviceProbe implements MachineListener {

    /** A state change not yet seen by a consumer. */
    private record Pending(String state, long nanos) {
    }

    /** Pieces of one order at the device. */
    static final class OrderPieces {
        private final List<Long> goodNanos = new ArrayList<>();
        private long scrap;

        synchronized long good() {
            return goodNanos.size();
        }

        synchronized long scrap() {
            return scrap;
        }

        /** When the n-th good piece (1-based) came off, or -1 if it has not (yet). */
        synchronized long goodAt(final long n) {
            return n >= 1 && n <= goodNanos.size() ? goodNanos.get((int) n - 1) : -1;
        }
    }

    private static final int MAX_PENDING = 64;

    private final Map<String, SimulatedMachine> machines = new HashMap<>();
    private final Set<String> production;
    private final Map<String, Deque<Pending>> pendingTwin = new HashMap<>();
    private final Map<String, Deque<Pending>> pendingMes = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();
    private final Map<String, OrderPieces> orders = new HashMap<>();
    private final Map<String, Long> quantities = new HashMap<>();
    private long overproduced;
    private volatile boolean measuring;
    private long goodInWindow;
    private long scrapInWindow;
    private long stateChanges;
    private long faults;
    /** Production machines: plant time spent per state in the window, and since when the current state counts. */
    private final Map<String, Long> millisByState = new LinkedHashMap<>();
    private final Map<String, Instant> stateSince = new HashMap<>();

    /**
     * @param production the machines that run work orders (their good pieces count for efficiency)
     */
    DeviceProbe(final ShopFloorSimulator simulator, final Set<String> production) {
        this.production = Set.copyOf(production);
        for (final SimulatedMachine machine : simulator.machines()) {
            machines.put(machine.machineId(), machine);
            states.put(machine.machineId(), machine.state().name());
            machine.addListener(this);
        }
    }

    /**
     * From now on state changes are measured and pieces count for efficiency: good pieces of an order up to its
     * quantity (pieces made without a job, or beyond the quantity, are not good output). Plant time per state of the
     * production machines counts from {@code plantNow}.
     */
    synchronized void startMeasuring(final Instant plantNow) {
        measuring = true;
        millisByState.clear();
        stateSince.clear();
        for (final String m : production) {
            stateSince.put(m, plantNow);
        }
        goodInWindow = 0;
        scrapInWindow = 0;
        overproduced = 0;
        stateChanges = 0;
        faults = 0;
    }

    /** Nothing more is measured (pieces still count for the order totals); plant time per state ends at {@code plantNow}. */
    synchronized void stopMeasuring(final Instant plantNow) {
        measuring = false;
        for (final var e : stateSince.entrySet()) {
            addTime(states.get(e.getKey()), e.getValue(), plantNow);
        }
        stateSince.clear();
    }

    private void addTime(final String state, final Instant from, final Instant to) {
        if (state != null && from != null && to != null && to.isAfter(from)) {
            millisByState.merge(state, Duration.between(from, to).toMillis(), Long::sum);
        }
    }

    /**
     * The production machines' plant time in the measured window per device state (RUNNING, SETUP, IDLE, DOWN,
     * MAINTENANCE), as shares of their total; empty before {@link #stopMeasuring}.
     */
    synchronized Map<String, Double> machineTime() {
        final long total = millisByState.values().stream().mapToLong(Long::longValue).sum();
        final Map<String, Double> shares = new LinkedHashMap<>();
        for (final String state : List.of("RUNNING", "SETUP", "IDLE", "DOWN", "MAINTENANCE")) {
            shares.put(state, total == 0 ? 0.0 : millisByState.getOrDefault(state, 0L) / (double) total);
        }
        return shares;
    }

    @Override
    public void stateChanged(final StateChange change) {
        final long now = System.nanoTime();
        synchronized (this) {
            final String to = change.to().name();
            final String from = states.put(change.machineId(), to);
            final Instant since = stateSince.get(change.machineId());
            if (measuring && since != null) {
                addTime(from, since, change.at());
                stateSince.put(change.machineId(), change.at().isAfter(since) ? change.at() : since);
            }
            if (measuring) {
                stateChanges++;
                if ("DOWN".equals(to)) {
                    faults++;
                }
                offer(pendingTwin, change.machineId(), new Pending(to, now));
                offer(pendingMes, change.machineId(), new Pending(to, now));
            }
        }
    }

    @Override
    public void partCompleted(final PartCompleted part) {
        final long now = System.nanoTime();
        final SimulatedMachine machine = machines.get(part.machineId());
        // the listener runs while the machine is locked, on the thread that holds the lock: snapshot() re-enters
        final JobAssignment job = machine == null ? null : machine.snapshot().job();
        synchronized (this) {
            if (job == null || job.workOrder() == null) {
                return;
            }
            final OrderPieces pieces = orders.computeIfAbsent(job.workOrder(), o -> new OrderPieces());
            final long good;
            synchronized (pieces) {
                if (part.good()) {
                    pieces.goodNanos.add(now);
                } else {
                    pieces.scrap++;
                }
                good = pieces.goodNanos.size();
            }
            if (measuring && production.contains(part.machineId())) {
                // good output is what orders asked for: pieces beyond an order's quantity are overproduction
                final long quantity = quantities.getOrDefault(job.workOrder(), Long.MAX_VALUE);
                if (!part.good()) {
                    scrapInWindow++;
                } else if (good <= quantity) {
                    goodInWindow++;
                } else {
                    overproduced++;
                }
            }
        }
    }

    private static void offer(final Map<String, Deque<Pending>> pending, final String machine, final Pending p) {
        final Deque<Pending> queue = pending.computeIfAbsent(machine, m -> new ArrayDeque<>());
        queue.addLast(p);
        while (queue.size() > MAX_PENDING) {
            queue.removeFirst();
        }
    }

    /**
     * A consumer saw {@code machine} in {@code state}: the earliest pending change to that state is its origin (it
     * and every earlier pending change are consumed; states a consumer never saw in between were superseded).
     *
     * @return the origin in {@link System#nanoTime()}, or -1 if no measured change to that state is pending
     */
    synchronized long seenByTwin(final String machine, final String state) {
        return consume(pendingTwin, machine, state);
    }

    /** Like {@link #seenByTwin} for the MES. */
    synchronized long seenByMes(final String machine, final String state) {
        return consume(pendingMes, machine, state);
    }

    private static long consume(final Map<String, Deque<Pending>> pending, final String machine,
            final String state) {
        final Deque<Pending> queue = pending.get(machine);
        if (queue == null) {
            return -1;
        }
        int index = 0;
        int found = -1;
        long nanos = -1;
        for (final Pending p : queue) {
            if (p.state().equals(state)) {
                found = index;
                nanos = p.nanos();
                break;
            }
            index++;
        }
        if (found < 0) {
            return -1;
        }
        final Iterator<Pending> it = queue.iterator();
        for (int i = 0; i <= found; i++) {
            it.next();
            it.remove();
        }
        return nanos;
    }

    synchronized String state(final String machine) {
        return states.get(machine);
    }

    synchronized Map<String, String> states() {
        return Map.copyOf(states);
    }

    /** The order's pieces at the device (empty if none came off yet). */
    synchronized OrderPieces order(final String workOrder) {
        return orders.computeIfAbsent(workOrder, o -> new OrderPieces());
    }

    synchronized long goodInWindow() {
        return goodInWindow;
    }

    /** The quantity of an order (its good pieces beyond it are overproduction, not good output). */
    synchronized void quantity(final String workOrder, final long quantity) {
        quantities.put(workOrder, quantity);
    }

    synchronized long overproducedInWindow() {
        return overproduced;
    }

    synchronized long scrapInWindow() {
        return scrapInWindow;
    }

    synchronized long faultsInWindow() {
        return faults;
    }

    synchronized long stateChanges() {
        return stateChanges;
    }

    /** Stops listening. */
    void detach() {
        machines.values().forEach(m -> m.removeListener(this));
    }
}
