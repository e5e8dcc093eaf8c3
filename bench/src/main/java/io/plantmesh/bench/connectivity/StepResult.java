package io.plantmesh.bench.connectivity;

/**
 * What one offered rate produced.
 *
 * @param qos 1, 0, or -1 for QoS 1 and QoS 0 alternating
 * @param drainSeconds seconds after the last publish until every message was covered by an event, -1 if not
 * @param ingress {telemetry Kafka-acknowledged by the ingress, messages the ingress refused}
 * @param ingestion {received, applied, writes, coalesced, duplicates, dead-lettered, retried}
 * @param cpu the profile of the step, or null
 */
public record StepResult(String name, int qos, double offeredRate, long offeredSeconds, double publishSeconds,
                         LatencyRecorder qos1, LatencyRecorder qos0, double drainSeconds, long[] ingress,
                         long[] ingestion, CpuProfile.Result cpu) {

    /** A p99 above this means the pipeline did not keep up (a growing backlog), so the step is not sustained. */
    public static final long BOUNDED_P99_NANOS = 1_000_000_000L;

    public long published() {
        return qos1.published() + qos0.published();
    }

    public long publishFailed() {
        return qos1.publishFailedCount() + qos0.publishFailedCount();
    }

    public long delivered() {
        return qos1.delivered() + qos0.delivered();
    }

    public double achievedRate() {
        return published() / publishSeconds;
    }

    public double writesPerSecond() {
        return ingestion[2] / publishSeconds;
    }

    /** p50, p95, p99, max in ns over the step's messages (both QoS). */
    public long[] percentiles() {
        return LatencyRecorder.percentiles(qos1, qos0);
    }

    public long expected() {
        return Math.round(offeredRate * offeredSeconds);
    }

    /** Zero loss at every stage, the offered rate achieved, and p99 bounded. */
    public boolean sustained() {
        return lossless() && achievedRate() >= 0.95 * offeredRate && percentiles()[2] < BOUNDED_P99_NANOS;
    }

    public boolean lossless() {
        long p = published();
        return publishFailed() == 0 && p == expected() && delivered() == p && ingress[0] == p && ingress[1] == 0
                && ingestion[0] == p && ingestion[1] == p && ingestion[4] == 0 && ingestion[5] == 0;
    }

    public String summary() {
        long[] l = percentiles();
        return String.format("published %d (%.0f/s), delivered %d, ingress acked %d, ingestion applied %d in %d "
                        + "writes (%.0f writes/s), p50 %.1f ms, p99 %.1f ms, max %.1f ms, drained in %.2f s, CPU %.0f%%%s",
                published(), achievedRate(), delivered(), ingress[0], ingestion[1], ingestion[2], writesPerSecond(),
                l[0] / 1e6, l[2] / 1e6, l[3] / 1e6, drainSeconds, cpu == null ? -1 : cpu.cpuPercentOfOneCore(),
                sustained() ? " - sustained" : " - NOT sustained");
    }
}
