package io.plantmesh.bench.mes;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.plantmesh.bench.mes.PlantEventWatcher.PlantEvent;

/**
 * Watches one machine fault from the events: when the machine's DOWN event arrived, and when each order that was on
 * the machine (DISPATCHED or RUNNING there when the fault was written) was moved off it — to another machine, back to
 * the line's pool (RELEASED) or HELD. Completes {@link #allMoved()} when the last one moved. Called only on the
 * watcher's event loop; read its fields after {@link #allMoved()} completed (or after it was unregistered).
 */
final class FaultProbe implements Consumer<PlantEvent> {

    private final String machine;
    private final Set<String> pending;
    private final int orders;
    private final CompletableFuture<Void> allMoved = new CompletableFuture<>();
    volatile long downEventNanos = -1;
    volatile long firstMoveNanos = -1;
    volatile long lastMoveNanos = -1;
    volatile int toMachine;
    volatile int toPool;
    volatile int held;
    volatile int other;

    FaultProbe(String machine, Set<String> ordersOnMachine) {
        this.machine = machine;
        this.pending = new HashSet<>(ordersOnMachine);
        this.orders = ordersOnMachine.size();
        if (pending.isEmpty()) {
            allMoved.complete(null);
        }
    }

    @Override
    public void accept(PlantEvent e) {
        if (!e.isOrder()) {
            boolean down = machine.equals(e.thingId()) && "DOWN".equals(e.machineState());
            if (down && downEventNanos < 0) {
                downEventNanos = e.arrivedNanos();
            }
            return;
        }
        if (!pending.contains(e.thingId())) {
            return;
        }
        String status = e.orderStatus();
        boolean onAnother = ("DISPATCHED".equals(status) || "RUNNING".equals(status)) && e.orderMachine() != null
                && !machine.equals(e.orderMachine());
        boolean offMachine = onAnother || !("DISPATCHED".equals(status) || "RUNNING".equals(status));
        if (!offMachine) {
            return;
        }
        pending.remove(e.thingId());
        if (onAnother) {
            toMachine++;
        } else if ("RELEASED".equals(status)) {
            toPool++;
        } else if ("HELD".equals(status)) {
            held++;
        } else {
            other++;
        }
        if (firstMoveNanos < 0) {
            firstMoveNanos = e.arrivedNanos();
        }
        lastMoveNanos = e.arrivedNanos();
        if (pending.isEmpty()) {
            allMoved.complete(null);
        }
    }

    CompletableFuture<Void> allMoved() {
        return allMoved;
    }

    int orders() {
        return orders;
    }

    String machine() {
        return machine;
    }
}
