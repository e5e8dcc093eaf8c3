package io.plantmesh.launcher.scenario;

import java.util.List;
import java.util.Map;

/**
 * What one mode of the scenario measured.
 *
 * @param mode the mode
 * @param latencies per path
 * @param rawLatencies per path, every sample in ms (for the chart)
 * @param goodPieces good pieces the production machines made in the measured window
 * @param plannedCapacity pieces the production machines could have made in the window at their ideal rate
 * @param productionMachines machines that run work orders
 * @param plantHours plant time of the measured window, hours
 * @param consistency share of agreeing (time, entity) pairs per kind ({@code machine state}, {@code order progress},
 *     {@code stock on hand}) and {@code all}
 * @param pairs sampled pairs per kind
 * @param consistencySeries per sample: seconds since the window started, share agreeing
 * @param deviceMessages messages the ingress accepted from the devices (telemetry and events) from the window's
 *     start until the devices stopped
 * @param twinMessages records twin ingestion consumed: the devices' messages plus Hono's empty notifications
 *     (connection state on subscribe and disconnect), which the ingress emits itself and does not count as accepted
 * @param appliedMessages records twin ingestion applied to twins or recognised as duplicates
 * @param deadLettered records twin ingestion could not apply (dead-lettered or expired), from the window's start
 * @param deadLetteredBefore records dead-lettered before the window (start-up)
 * @param messagesPerHour device messages per wall-clock hour in the measured window
 * @param books the end reconciliation of the ERP's books
 * @param faults machine faults in the measured window (device side)
 * @param mesCounters the MES bridges' counters, summed
 * @param requisitions purchase requisitions created (ERP bridge)
 * @param scrap scrap pieces of production machines in the window
 * @param overproduced good pieces beyond their order's quantity in the window (made before the MES stopped the job)
 * @param machineTime the production machines' plant time in the window per device state, as shares (RUNNING,
 *     SETUP, IDLE, DOWN, MAINTENANCE): where the capacity went
 * @param load CPU per component and queue lags in the window (where a bottleneck sits)
 */
record ModeResult(ScenarioMode mode, Map<String, Latencies.Summary> latencies, Map<String, double[]> rawLatencies,
        long goodPieces, double plannedCapacity, int productionMachines, double plantHours,
        Map<String, Double> consistency, Map<String, Long> pairs, List<double[]> consistencySeries,
        long deviceMessages, long twinMessages, long appliedMessages, long deadLettered,
        long deadLetteredBefore, double messagesPerHour, Books books, long faults,
        Map<String, Long> mesCounters, long requisitions, long scrap, long overproduced,
        Map<String, Double> machineTime, Load load) {

    /**
     * CPU and queues over the measured window.
     *
     * @param processCpu the process's CPU in % of one core (200 = both cores of a 2-core machine), JIT and GC included
     * @param cpu Java threads' CPU per component in % of one core, busiest first
     * @param ingestionLagMax most records waiting in Kafka for twin ingestion at a sample (one a second)
     * @param ingestionLagMean mean of those samples
     * @param gatewayBufferMax most messages in the edge gateways' store-and-forward buffers at a sample
     * @param gatewayBufferMean mean of those samples
     */
    record Load(double processCpu, Map<String, Double> cpu, double ingestionLagMax, double ingestionLagMean,
            double gatewayBufferMax, double gatewayBufferMean) {
    }

    /** Good output ÷ planned capacity. */
    double efficiency() {
        return plannedCapacity <= 0 ? Double.NaN : goodPieces / plannedCapacity;
    }

    /**
     * From the window's start until the devices stopped, every device message the ingress accepted reached twin
     * ingestion (which consumed at least as many records), and twin ingestion applied at least as many records as
     * it consumed (records in flight at the window's start are applied in it), none dead-lettered or expired.
     */
    boolean messagesComplete() {
        return deviceMessages > 0 && twinMessages >= deviceMessages && appliedMessages >= twinMessages
                && deadLettered == 0;
    }

    /**
     * The end reconciliation, the ERP bridge benchmark's "books exact" check: the ERP's goods movement items of the
     * plant's work orders against the goods movements recorded on the order twins (each document item once: none
     * twice, none missing), and the ERP's goods receipts of the completed orders against the good pieces the MES
     * counted on them. The devices' own count is compared too, but apart: pieces a machine made for an order before
     * the MES saw it start, or after the MES completed it and before the stop reached the machine, are not the
     * order's in the MES, nor so in the ERP.
     *
     * @param completedOrders orders COMPLETED on their twins
     * @param erpItems goods movement items of work orders in the ERP (receipts 101 and issues 261)
     * @param twinItems goods movements recorded on the order twins (one per ERP document item)
     * @param erpReceived pieces the ERP received (101) for the completed orders
     * @param twinGood good pieces the completed orders' twins report (counted by the MES)
     * @param deviceGood good pieces the devices made while running the completed orders
     * @param mismatchedOrders completed orders whose ERP receipts differ from the MES's count
     * @param deviceMismatchedOrders completed orders whose device count differs from the MES's count
     * @param drained whether every completed order was fully posted before the wait ended
     */
    record Books(int completedOrders, long erpItems, long twinItems, double erpReceived, long twinGood,
            long deviceGood, int mismatchedOrders, int deviceMismatchedOrders, boolean drained) {

        boolean exact() {
            return drained && erpItems == twinItems && mismatchedOrders == 0
                    && Math.abs(erpReceived - twinGood) < 1e-6;
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "%s: %d completed orders; goods movement items ERP %d / "
                    + "recorded on twins %d; received in the ERP %.0f / counted by the MES %d (%d orders differ)%s;"
                    + " good pieces the devices made for these orders: %d (%d orders differ from the MES's count)",
                    exact() ? "exact" : "NOT exact", completedOrders, erpItems, twinItems, erpReceived, twinGood,
                    mismatchedOrders, drained ? "" : "; not everything was posted before the wait ended",
                    deviceGood, deviceMismatchedOrders);
        }
    }
}
