package io.plantmesh.bench.mes;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.mes.MesBridge;

/**
 * Phase 2: one machine fault after another. Each fault picks the next machine (round robin over the lines, and over
 * the machines of a line) that is up and has orders, writes it DOWN over HTTP, waits (bounded) until every order that
 * was on it has been moved off it, lets the plant settle, repairs it (IDLE), waits (bounded) until it runs an order
 * again and the plant has settled once more.
 */
public final class FaultRun {

    private final MesBenchPlant plant;
    private final PlantLayout layout;
    private final PlantEventWatcher watcher;
    private final List<MesBridge> bridges;
    private final int settleMs;
    private final int faultTimeoutMs;
    private final List<ThingId> lines;
    private final Map<ThingId, Integer> nextMachine = new HashMap<>();

    public FaultRun(MesBenchPlant plant, PlantLayout layout, PlantEventWatcher watcher, List<MesBridge> bridges,
            int settleMs, int faultTimeoutMs) {
        this.plant = plant;
        this.layout = layout;
        this.watcher = watcher;
        this.bridges = bridges;
        this.settleMs = settleMs;
        this.faultTimeoutMs = faultTimeoutMs;
        this.lines = layout.lines();
    }

    /** Runs fault number {@code number} (1-based) and returns what was measured. */
    public FaultResult fault(int number, boolean warmUp) throws Exception {
        ThingId line = lines.get((number - 1) % lines.size());
        Map<String, Set<String>> ordersByMachine = watcher.orders().entrySet().stream()
                .filter(e -> "DISPATCHED".equals(e.getValue().status()) || "RUNNING".equals(e.getValue().status()))
                .filter(e -> e.getValue().machine() != null)
                .collect(Collectors.groupingBy(e -> e.getValue().machine(),
                        Collectors.mapping(Map.Entry::getKey, Collectors.toSet())));
        ThingId machine = pick(line, ordersByMachine);
        Set<String> onMachine = ordersByMachine.getOrDefault(machine.toString(), Set.of());
        FaultProbe probe = new FaultProbe(machine.toString(), onMachine);
        long conflictsBefore = sum("writes.conflicts");
        long reconciliationsBefore = sum("reconciliations");
        long oeeBefore = sum("oee.writes");
        long eventsBefore = watcher.orderEvents();
        long gcBefore = gcMillis();
        watcher.listen(probe);
        long orderEvents;
        long gcMs;
        long sent;
        long returned;
        long planned = -1;
        boolean allMoved;
        MesBridge owner = bridges.get(lines.indexOf(line));
        long ownerReconciliations = owner.counters().get("reconciliations");
        try {
            AtomicLong answered = new AtomicLong(-1);
            sent = System.nanoTime();
            CompletableFuture<Void> patch = plant.machineStateAsync(machine, "DOWN", "bench fault " + number)
                    .thenRun(() -> answered.set(System.nanoTime()));
            // poll the line's bridge until its first reconciliation after the DOWN: the moment its plan was computed
            long deadline = sent + TimeUnit.MILLISECONDS.toNanos(faultTimeoutMs);
            while (!probe.allMoved().isDone() && System.nanoTime() < deadline) {
                if (planned < 0 && owner.counters().get("reconciliations") > ownerReconciliations) {
                    planned = System.nanoTime();
                }
                LockSupport.parkNanos(200_000);
            }
            patch.get(30, TimeUnit.SECONDS);
            returned = answered.get();
            allMoved = probe.allMoved().isDone();
            orderEvents = watcher.orderEvents() - eventsBefore;
            gcMs = gcMillis() - gcBefore;
            // the DOWN event normally arrives before the first move; give a late one a moment
            long eventDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (probe.downEventNanos < 0 && System.nanoTime() < eventDeadline) {
                Thread.sleep(5);
            }
        } finally {
            watcher.unlisten(probe);
        }
        watcher.awaitQuiet(settleMs, 10_000);
        long conflicts = sum("writes.conflicts") - conflictsBefore;
        long reconciliations = sum("reconciliations") - reconciliationsBefore;
        long oeeWrites = sum("oee.writes") - oeeBefore;

        plant.machineState(machine, "IDLE", "bench repair " + number);
        boolean running = awaitRunning(machine, 10_000);
        watcher.awaitQuiet(settleMs, 10_000);

        double latency = probe.lastMoveNanos < 0 ? Double.NaN : ms(probe.lastMoveNanos - returned);
        double fromEvent = probe.lastMoveNanos < 0 || probe.downEventNanos < 0 ? Double.NaN
                : ms(probe.lastMoveNanos - probe.downEventNanos);
        double firstMove = probe.firstMoveNanos < 0 ? Double.NaN : ms(probe.firstMoveNanos - returned);
        double plannedMs = planned < 0 ? Double.NaN : ms(planned - returned);
        return new FaultResult(number, warmUp, machine.toString(), probe.orders(), probe.toMachine, probe.toPool,
                probe.held, probe.other, allMoved, ms(returned - sent), latency, fromEvent, firstMove, plannedMs, conflicts,
                reconciliations, running, orderEvents, gcMs, oeeWrites);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** The next machine of the line, in turn, that is not DOWN and has orders (or the next one if none has). */
    private ThingId pick(ThingId line, Map<String, Set<String>> ordersByMachine) {
        List<ThingId> machines = layout.machinesByLine().get(line);
        int start = nextMachine.getOrDefault(line, 0);
        List<ThingId> inTurn = new ArrayList<>();
        for (int i = 0; i < machines.size(); i++) {
            inTurn.add(machines.get((start + i) % machines.size()));
        }
        for (int i = 0; i < inTurn.size(); i++) {
            ThingId m = inTurn.get(i);
            boolean up = !"DOWN".equals(watcher.machineState(m.toString()));
            boolean hasOrders = !ordersByMachine.getOrDefault(m.toString(), Set.of()).isEmpty();
            if (up && hasOrders) {
                nextMachine.put(line, (start + i + 1) % machines.size());
                return m;
            }
        }
        nextMachine.put(line, (start + 1) % machines.size());
        return inTurn.get(0);
    }

    private boolean awaitRunning(ThingId machine, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (System.nanoTime() < deadline) {
            if ("RUNNING".equals(watcher.machineState(machine.toString()))) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private long sum(String counter) {
        return bridges.stream().mapToLong(b -> b.counters().get(counter)).sum();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
