package io.plantmesh.launcher.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latency samples per path, in milliseconds of the wall clock; thread-safe. */
final class Latencies {

    /** A machine state change: the simulated device changed state → the twin's change reached the UI event stream. */
    static final String STATE_TWIN = "machine state -> twin (UI event stream)";
    /** A machine state change → the MES bridge took it into its planning copy. */
    static final String STATE_MES = "machine state -> MES";
    /** The last good piece of an order came off the machine → the order's COMPLETED (written by the MES) arrived. */
    static final String COMPLETION_MES = "order completion -> MES";
    /** The n-th good piece came off the machine → the ERP's goods receipt covering it is recorded on the order. */
    static final String MOVEMENT_ERP = "goods movement -> ERP document";

    /** The paths in table order. */
    static final List<String> PATHS = List.of(STATE_TWIN, STATE_MES, COMPLETION_MES, MOVEMENT_ERP);

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    Latencies() {
        PATHS.forEach(p -> samples.put(p, new ArrayList<>()));
    }

    synchronized void add(final String path, final double millis) {
        samples.computeIfAbsent(path, p -> new ArrayList<>()).add(Math.max(0, millis));
    }

    synchronized int count() {
        return samples.values().stream().mapToInt(List::size).sum();
    }

    synchronized Map<String, Summary> summaries() {
        final Map<String, Summary> out = new LinkedHashMap<>();
        samples.forEach((path, values) -> out.put(path, Summary.of(values)));
        return out;
    }

    synchronized Map<String, double[]> raw() {
        final Map<String, double[]> out = new LinkedHashMap<>();
        samples.forEach((path, values) -> out.put(path, values.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * Percentiles of one path (nearest rank).
     *
     * @param count samples; 0 means the percentiles are NaN
     */
    record Summary(int count, double p50, double p95, double p99, double max) {

        static Summary of(final List<Double> values) {
            if (values.isEmpty()) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return new Summary(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                    sorted[sorted.length - 1]);
        }

        static double rank(final double[] sorted, final double quantile) {
            final int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }
}
