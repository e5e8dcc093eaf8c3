package io.plantmesh.bench.connectivity;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and latencies of the messages of one measurement (one phase, one QoS). A message is <em>delivered</em> when
 * the first twin event whose {@code seq} covers it reaches the subscriber; its latency is that arrival minus the
 * publish call (same JVM clock).
 */
public final class LatencyRecorder {

    private final String name;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailed = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private long[] latencies = new long[1024];
    private int count;
    private long[] ackLatencies = new long[1024];
    private int ackCount;

    public LatencyRecorder(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void countPublished() {
        published.incrementAndGet();
    }

    void publishFailed() {
        publishFailed.incrementAndGet();
    }

    /** A QoS 1 publish got its PUBACK (the ingress sends it after Kafka acknowledged) this long after publishing. */
    synchronized void acknowledged(long latencyNanos) {
        acknowledged.incrementAndGet();
        if (ackCount == ackLatencies.length) {
            ackLatencies = Arrays.copyOf(ackLatencies, ackCount * 2);
        }
        ackLatencies[ackCount++] = latencyNanos;
    }

    /** {p50, p95, p99, max} of publish → PUBACK in nanoseconds (QoS 1 only), or zeros. */
    public synchronized long[] ackPercentiles() {
        if (ackCount == 0) {
            return new long[4];
        }
        long[] sorted = Arrays.copyOf(ackLatencies, ackCount);
        Arrays.sort(sorted);
        return new long[] {percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted[sorted.length - 1]};
    }

    /** Per second of arrival since the recorder was made: {count, max latency ns}; for the report's timeline. */
    private final long createdAt = System.nanoTime();
    private long[][] perSecond = new long[64][];

    synchronized void delivered(long latencyNanos) {
        int second = (int) ((System.nanoTime() - createdAt) / 1_000_000_000L);
        if (second >= perSecond.length) {
            perSecond = Arrays.copyOf(perSecond, Math.max(second + 1, perSecond.length * 2));
        }
        if (perSecond[second] == null) {
            perSecond[second] = new long[2];
        }
        perSecond[second][0]++;
        perSecond[second][1] = Math.max(perSecond[second][1], latencyNanos);
        deliveredOnly(latencyNanos);
    }

    /** "second:count/maxMs" for each second with deliveries. */
    public synchronized String timeline() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < perSecond.length; i++) {
            if (perSecond[i] != null) {
                sb.append(i).append("s:").append(perSecond[i][0]).append('/').append(perSecond[i][1] / 1_000_000)
                        .append("ms ");
            }
        }
        return sb.toString().trim();
    }

    private void deliveredOnly(long latencyNanos) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = latencyNanos;
    }

    public long published() {
        return published.get();
    }

    public long publishFailedCount() {
        return publishFailed.get();
    }

    public long acknowledgedCount() {
        return acknowledged.get();
    }

    public synchronized long delivered() {
        return count;
    }

    /** {p50, p95, p99, max} in nanoseconds, or zeros without samples. */
    public synchronized long[] percentiles() {
        if (count == 0) {
            return new long[4];
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new long[] {percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                sorted[sorted.length - 1]};
    }

    /** {p50, p95, p99, max} over the samples of both recorders. */
    public static long[] percentiles(LatencyRecorder a, LatencyRecorder b) {
        LatencyRecorder both = new LatencyRecorder(a.name + " + " + b.name);
        for (LatencyRecorder r : new LatencyRecorder[] {a, b}) {
            synchronized (r) {
                for (int i = 0; i < r.count; i++) {
                    both.deliveredOnly(r.latencies[i]);
                }
            }
        }
        return both.percentiles();
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
