package io.plantmesh.bench.mes;

import java.util.List;
import java.util.Map;

/**
 * Phase 1: all open orders dispatched by freshly started bridges.
 *
 * @param orders open orders (all RELEASED before the bridges started)
 * @param dispatched how many of them reached DISPATCHED (or RUNNING) within the time limit
 * @param callToLastMs the bridges' {@code start()} calls (made together) → the last order's DISPATCHED event
 * @param firstToLastMs the first order's DISPATCHED event → the last order's (both at the subscriber): the time
 * the 500 decisions took once the bridges had read their lines
 * @param bridges per bridge, in line order
 * @param allRunningMs the last DISPATCHED event → every machine running its first order (NaN if not within the limit)
 * @param cpuPercent process CPU time / wall time from the start() calls to the last DISPATCHED event (200 = 2 cores)
 * @param orderEvents order events the subscriber received in that time
 * @param settledCounters the bridges' counters summed, once every machine ran and the plant had settled
 */
public record DispatchResult(int orders, int dispatched, double callToLastMs, double firstToLastMs,
        List<BridgeStart> bridges, double allRunningMs, double cpuPercent, long orderEvents,
        Map<String, Long> settledCounters) {

    /**
     * One bridge in phase 1.
     *
     * @param startMs its {@code start()} call → return (connect, subscribe, first read by search, first plan issued)
     * @param firstReconcileMs the {@code start()} call → its first reconciliation (its counter seen at 1, polled
     * every 0.5 ms; with leases the first one can run when the lease is acquired, before the first read, on an
     * empty copy of the line)
     * @param firstDecisionMs the {@code start()} call → the first DISPATCHED event of its line
     * @param lineDispatchMs the first → the last DISPATCHED event of its line
     * @param acknowledgedLagMs the last order of its line DISPATCHED (event at the subscriber) → the bridge's own
     * {@code orders.dispatched} counter reaching the line's order count (it counts a write when the twin server's
     * answer has reached the bridge's context), polled every 0.5 ms
     * @param counters {@code MesBridge.counters().snapshot()} when the last order of the plant was dispatched
     */
    public record BridgeStart(String instance, String line, int orders, double startMs, double firstReconcileMs,
            double firstDecisionMs, double lineDispatchMs, double acknowledgedLagMs, Map<String, Long> counters) {
    }

    public double decisionsPerSecond() {
        return dispatched / (firstToLastMs / 1000.0);
    }

    public double decisionsPerSecondFromStartCalls() {
        return dispatched / (callToLastMs / 1000.0);
    }
}
