package io.plantmesh.bench.mes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.plantmesh.bench.mes.PlantEventWatcher.OrderState;

/**
 * A consistency check of the plant as the events tell it: orders by status, open orders per machine (DISPATCHED or
 * RUNNING there), machines running more than one order, orders left on a machine that is DOWN.
 */
public record PlantSnapshot(Map<String, Long> byStatus, int minPerMachine, int maxPerMachine,
        int machinesWithoutOrders, int machinesRunningSeveral, int ordersOnDownMachines) {

    public static PlantSnapshot of(PlantEventWatcher watcher, List<String> machines) {
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Integer> open = new HashMap<>();
        Map<String, Integer> running = new HashMap<>();
        int onDown = 0;
        for (OrderState o : watcher.orders().values()) {
            byStatus.merge(o.status(), 1L, Long::sum);
            boolean placed = "DISPATCHED".equals(o.status()) || "RUNNING".equals(o.status());
            if (placed && o.machine() != null) {
                open.merge(o.machine(), 1, Integer::sum);
                if ("RUNNING".equals(o.status())) {
                    running.merge(o.machine(), 1, Integer::sum);
                }
                if ("DOWN".equals(watcher.machineState(o.machine()))) {
                    onDown++;
                }
            }
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        int without = 0;
        for (String m : machines) {
            int n = open.getOrDefault(m, 0);
            min = Math.min(min, n);
            max = Math.max(max, n);
            if (n == 0) {
                without++;
            }
        }
        int several = (int) running.values().stream().filter(n -> n > 1).count();
        return new PlantSnapshot(byStatus, machines.isEmpty() ? 0 : min, max, without, several, onDown);
    }

    @Override
    public String toString() {
        return "orders by status " + byStatus + "; open orders per machine " + minPerMachine + ".." + maxPerMachine
                + "; machines without orders " + machinesWithoutOrders + "; machines running more than one order "
                + machinesRunningSeveral + "; orders on DOWN machines " + ordersOnDownMachines;
    }
}
