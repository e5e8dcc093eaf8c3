package io.plantmesh.bench.mes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Latency samples in milliseconds and their nearest-rank percentiles. */
public final class Latencies {

    private final List<Double> samples = new ArrayList<>();

    public void add(double ms) {
        samples.add(ms);
    }

    public int count() {
        return samples.size();
    }

    /** The nearest-rank percentile {@code p} (0..100); NaN without samples. */
    public double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public double max() {
        return percentile(100);
    }

    public double min() {
        return percentile(0);
    }

    /** {@code p50 / p95 / p99 / max} as a Markdown table row tail: {@code | 12.3 | ... |}. */
    public String row() {
        return String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f |", count(), percentile(50),
                percentile(95), percentile(99), max());
    }

    /** One line for the console. */
    public String summary() {
        return String.format(Locale.ROOT, "n=%d p50=%.1f p95=%.1f p99=%.1f max=%.1f ms", count(), percentile(50),
                percentile(95), percentile(99), max());
    }
}
