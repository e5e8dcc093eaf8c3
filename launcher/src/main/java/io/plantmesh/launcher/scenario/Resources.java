package io.plantmesh.launcher.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the scenario's one JVM spends its CPU, and how far its queues lag: the CPU time of every Java thread between
 * {@link #start()} and {@link #stop()} grouped by component (from the thread's name), the process's CPU (JIT and GC
 * included), and per-second samples of the queues between the components (records waiting in Kafka for twin
 * ingestion, messages in the edge gateways' store-and-forward buffers). Not thread-safe: one measuring thread.
 */
final class Resources {

    /** Thread name patterns → component, first match wins. */
    private static final List<Map.Entry<Pattern, String>> GROUPS = List.of(
            Map.entry(Pattern.compile("kafka-producer-network-thread.*"), "Kafka producer (Hono ingress)"),
            Map.entry(Pattern.compile("(vert\\.x-kafka-consumer-thread|kafka-coordinator-heartbeat).*"),
                    "Kafka consumer (twin ingestion)"),
            Map.entry(Pattern.compile("(data-plane-kafka|kafka-|broker-|raft-|controller-|ExpirationReaper|"
                    + "LogDirFailureHandler|group-coordinator|transaction-|quorum-|metadata-|"
                    + "KafkaScheduler|kafka-scheduler).*"), "Kafka broker"),
            Map.entry(Pattern.compile("twin-engine.*"), "twin server engine"),
            Map.entry(Pattern.compile("twin-store-writer.*"), "twin server persistence"),
            Map.entry(Pattern.compile("audit-log-writer.*"), "audit log"),
            Map.entry(Pattern.compile("(ditto-client|ReadingThread|WritingThread).*"),
                    "Ditto Java clients (ingestion, bridges, maintenance)"),
            Map.entry(Pattern.compile("embedded-store.*"), "embedded store (MongoDB)"),
            Map.entry(Pattern.compile("(milo|opc|ua-).*", Pattern.CASE_INSENSITIVE), "OPC-UA (Milo servers and clients)"),
            Map.entry(Pattern.compile("(simulator|machine-).*", Pattern.CASE_INSENSITIVE), "simulator"),
            Map.entry(Pattern.compile("vert\\.x-eventloop-thread.*"),
                    "Vert.x event loops (twin API, MQTT ingress, ingestion, MES, ERP and bridges)"),
            Map.entry(Pattern.compile("vert\\.x-(worker|internal-blocking)-thread.*"), "Vert.x workers"),
            Map.entry(Pattern.compile("(HttpClient|ForkJoinPool|scenario|main).*"), "scenario probes and HTTP clients"));

    /** The process's CPU not in any Java thread's: JIT compiler and GC threads (and threads that ended). */
    static final String NATIVE = "JIT, GC (process minus Java threads)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startCpu = new HashMap<>();
    private long startProcessCpu;
    private long startWall;
    private final Map<String, Double> cpuPercent = new LinkedHashMap<>();
    private double processPercent = Double.NaN;
    private long ingestionLagMax;
    private double ingestionLagSum;
    private long bufferMax;
    private double bufferSum;
    private long samples;

    static String group(final String threadName) {
        for (final Map.Entry<Pattern, String> e : GROUPS) {
            if (e.getKey().matcher(threadName).matches()) {
                return e.getValue();
            }
        }
        return "other (" + threadName.replaceAll("[-#]?\\d+", "").replaceAll("\\s+", " ").trim() + ")";
    }

    void start() {
        startWall = System.nanoTime();
        startProcessCpu = processCpu();
        if (!threads.isThreadCpuTimeSupported()) {
            return;
        }
        for (final long id : threads.getAllThreadIds()) {
            final long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                startCpu.put(id, cpu);
            }
        }
    }

    /** One sample of the queues: records not yet consumed by twin ingestion, messages in the gateways' buffers. */
    void sample(final long ingestionLag, final long buffered) {
        samples++;
        ingestionLagMax = Math.max(ingestionLagMax, ingestionLag);
        ingestionLagSum += Math.max(0, ingestionLag);
        bufferMax = Math.max(bufferMax, buffered);
        bufferSum += Math.max(0, buffered);
    }

    void stop() {
        final double wall = Math.max(1, System.nanoTime() - startWall);
        final long process = processCpu();
        processPercent = process < 0 || startProcessCpu < 0 ? Double.NaN : 100.0 * (process - startProcessCpu) / wall;
        final Map<String, Long> byGroup = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (final long id : threads.getAllThreadIds()) {
                final long cpu = threads.getThreadCpuTime(id);
                final ThreadInfo info = threads.getThreadInfo(id);
                if (cpu < 0 || info == null) {
                    continue;
                }
                byGroup.merge(group(info.getThreadName()), cpu - startCpu.getOrDefault(id, 0L), Long::sum);
            }
        }
        if (process >= 0 && startProcessCpu >= 0) {
            final long javaThreads = byGroup.values().stream().mapToLong(Long::longValue).sum();
            byGroup.put(NATIVE, Math.max(0, process - startProcessCpu - javaThreads));
        }
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> cpuPercent.put(e.getKey(), 100.0 * e.getValue() / wall));
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /**
     * CPU per component in % of one core over the window, busiest first; {@link #NATIVE} is the rest of the process's
     * CPU (JIT, GC, and threads that ended in the window).
     */
    Map<String, Double> cpuPercent() {
        return cpuPercent;
    }

    /** The whole process's CPU in % of one core (200 % = both cores of a 2-core machine), JIT and GC included. */
    double processPercent() {
        return processPercent;
    }

    /** Records waiting in Kafka for twin ingestion: {max, mean} over the samples. */
    double[] ingestionLag() {
        return new double[] {ingestionLagMax, samples == 0 ? 0 : ingestionLagSum / samples};
    }

    /** Messages in the gateways' store-and-forward buffers: {max, mean} over the samples. */
    double[] gatewayBuffers() {
        return new double[] {bufferMax, samples == 0 ? 0 : bufferSum / samples};
    }
}
