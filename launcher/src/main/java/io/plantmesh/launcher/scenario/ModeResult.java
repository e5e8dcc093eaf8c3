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
 * @param deviceMessages messages the ingress accepted from the devices (telemetry and events)
 * @param twinMessages records twin ingestion consumed: the devices' messages plus Hono's empty notifications
 *     (connection state on subscribe and disconnect), which the ingress emits itself and does not count as accepted
 * @param appliedMessages records twin ingestion applied to twins or recognised as duplicates
 * @param deadLettered records twin ingestion could not apply (dead-lettered or expired)
 * @param messagesPerHour device messages per wall-clock hour in the measured window
 * @param books the end reconciliation of the ERP's books
 * @param faults machine faults in the measured window (device side)
 * @param mesCounters the MES bridges' counters, summed
 * @param requisitions purchase requisitions created (ERP bridge)
 * @param scrap scrap pieces of production machines in the window
 * @param overproduced good pieces beyond their order's quantity in the window (made before the MES stopped the job)
 */
record ModeResult(ScenarioMode mode, Map<String, Latencies.Summary> latencies, Map<String, double[]> rawLatencies,
        long goodPieces, double plannedCapacity, int productionMachines, double plantHours,
        Map<String, Double> consistency, Map<String, Long> pairs, List<double[]> consistencySeries,
        long deviceMessages, long twinMessages, long appliedMessages, long deadLettered, double messagesPerHour, Books books, long faults,
        Map<String, Long> mesCounters, long requisitions, long scrap, long overproduced) {

    /** Good output ÷ planned capacity. */
    double efficiency() {
        return plannedCapacity <= 0 ? Double.NaN : goodPieces / plannedCapacity;
    }

    /**
     * Every device message the ingress accepted reached twin ingestion (which consumed at least as many records),
     * and twin ingestion applied every record it consumed (none dead-lettered or expired).
     */
    boolean messagesComplete() {
        return deviceMessages > 0 && twinMessages >= deviceMessages && appliedMessages == twinMessages
                && deadLettered == 0;
    }

    /**
     * The end reconciliation: the ERP's goods movement items of the plant's orders against the documents recorded on
     * the order twins, and the ERP's goods receipts of the completed orders against the good pieces their devices
     * made.
     *
     * @param completedOrders orders COMPLETED on their twins
     * @param erpItems goods movement items of work orders in the ERP (receipts 101 and issues 261)
     * @param twinItems goods movements recorded on the order twins (one per ERP document item)
     * @param erpReceived pieces the ERP received (101) for the completed orders
     * @param deviceGood good pieces the devices made for the completed orders
     * @param twinGood good pieces the completed orders' twins report (counted by the MES)
     * @param mismatchedOrders completed orders whose ERP receipts differ from their device count
     * @param drained whether every completed order was fully posted before the wait ended
     */
    record Books(int completedOrders, long erpItems, long twinItems, double erpReceived, long deviceGood,
            long twinGood, int mismatchedOrders, boolean drained) {

        boolean exact() {
            return drained && erpItems == twinItems && mismatchedOrders == 0
                    && Math.abs(erpReceived - deviceGood) < 1e-6 && deviceGood == twinGood;
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "%s: %d completed orders; goods movement items ERP %d / "
                    + "recorded on twins %d; received in the ERP %.0f / good pieces at the devices %d / counted by "
                    + "the MES %d; %d orders differ%s", exact() ? "exact" : "NOT exact", completedOrders, erpItems,
                    twinItems, erpReceived, deviceGood, twinGood, mismatchedOrders,
                    drained ? "" : "; not everything was posted before the wait ended");
        }
    }
}
