package io.plantmesh.bench.mes;

/**
 * One measured machine fault.
 *
 * @param warmUp true for the faults run before the measured ones (not reported in the percentiles)
 * @param orders orders that were on the machine (DISPATCHED or RUNNING) when it went DOWN
 * @param allMoved whether every one of them was moved off the machine within the fault timeout
 * @param patchMs the DOWN PATCH's HTTP round trip (sent → response)
 * @param latencyMs DOWN PATCH response → arrival of the last order event that moved an order off the machine
 * @param fromEventMs the machine's DOWN event at the subscriber → the same last order event (NaN if no DOWN event
 * arrived)
 * @param firstMoveMs DOWN PATCH response → the first such order event
 * @param plannedMs DOWN PATCH response → the line's bridge's {@code reconciliations} counter moved (polled every
 * 0.2 ms; the counter moves when a plan has been computed, just before its writes are sent); negative when the
 * bridge planned before the driver had the PATCH's response, NaN if not seen
 * @param conflicts the bridges' {@code writes.conflicts} during the fault (412: decided on an outdated twin)
 * @param reconciliations the bridges' reconciliations during the fault
 * @param repairedRunning whether the repaired machine ran an order again before the next fault
 * @param orderEvents order events (any order of the plant) from the DOWN PATCH until the last order moved
 * @param gcMs time the JVM spent in garbage collection from the DOWN PATCH until the last order moved
 * @param oeeWrites the bridges' OEE writes ({@code oee.writes}) during the fault: non-zero when a periodic OEE round
 * overlapped it
 */
public record FaultResult(int number, boolean warmUp, String machine, int orders, int toMachine, int toPool, int held,
        int other, boolean allMoved, double patchMs, double latencyMs, double fromEventMs, double firstMoveMs, double plannedMs,
        long conflicts, long reconciliations, boolean repairedRunning, long orderEvents, long gcMs, long oeeWrites) {

    /** DOWN PATCH sent → last order moved: the upper bound that includes persisting the DOWN itself. */
    public double sentToLastMs() {
        return patchMs + latencyMs;
    }

    /** The line's bridge computed its plan → last order moved: the bridge's writes, their persistence and events. */
    public double planToLastMs() {
        return latencyMs - plannedMs;
    }
}
