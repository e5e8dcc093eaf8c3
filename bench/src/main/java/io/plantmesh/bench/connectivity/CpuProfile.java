package io.plantmesh.bench.connectivity;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU goes while a step runs: the process's CPU time and GC time, and a JFR execution-sample profile (every
 * 10 ms per running Java thread) with each sample charged to a PlantMesh component — by thread name for Kafka's own
 * threads, else by the innermost stack frame that belongs to a component. Everything runs in one JVM, so the shares
 * say which component a core is busy with.
 */
public final class CpuProfile implements AutoCloseable {

    /** Component names, most specific first; a frame's class name is matched by prefix. */
    private static final Map<String, String> COMPONENT_BY_PACKAGE = new LinkedHashMap<>();

    static {
        COMPONENT_BY_PACKAGE.put("io.plantmesh.bench.", "load driver (devices, subscriber)");
        COMPONENT_BY_PACKAGE.put("io.vertx.mqtt.impl.MqttClient", "load driver (devices, subscriber)");
        COMPONENT_BY_PACKAGE.put("io.plantmesh.devices.ingress.", "hono-ingress");
        COMPONENT_BY_PACKAGE.put("io.vertx.mqtt.impl.MqttServer", "hono-ingress");
        COMPONENT_BY_PACKAGE.put("io.vertx.mqtt.impl.MqttEndpoint", "hono-ingress");
        COMPONENT_BY_PACKAGE.put("org.apache.kafka.clients.producer.", "Kafka producer client (ingress)");
        COMPONENT_BY_PACKAGE.put("io.plantmesh.devices.ingestion.", "twin-ingestion (incl. Ditto client)");
        COMPONENT_BY_PACKAGE.put("org.eclipse.ditto.client.", "twin-ingestion (incl. Ditto client)");
        COMPONENT_BY_PACKAGE.put("org.apache.kafka.clients.consumer.", "Kafka consumer client (ingestion)");
        COMPONENT_BY_PACKAGE.put("org.eclipse.hono.", "Kafka consumer client (ingestion)");
        COMPONENT_BY_PACKAGE.put("io.vertx.kafka.", "Kafka consumer client (ingestion)");
        COMPONENT_BY_PACKAGE.put("io.plantmesh.twin.server.", "twin server");
        COMPONENT_BY_PACKAGE.put("com.mongodb.", "twin server");
        COMPONENT_BY_PACKAGE.put("org.bson.", "twin server");
        COMPONENT_BY_PACKAGE.put("io.plantmesh.store.", "embedded store");
        COMPONENT_BY_PACKAGE.put("de.bwaldvogel.", "embedded store");
        COMPONENT_BY_PACKAGE.put("kafka.", "Kafka broker");
        for (String p : List.of("storage", "server", "raft", "controller", "metadata", "coordinator", "image",
                "queue", "timeline", "snapshot", "security", "network", "deferred")) {
            COMPONENT_BY_PACKAGE.put("org.apache.kafka." + p + ".", "Kafka broker");
        }
    }

    private final Recording recording;
    private final long cpuStart;
    private final long gcStart;
    private final long wallStart;

    private final Map<Long, Long> threadCpuStart = threadCpuNanos();

    private CpuProfile(Recording recording) {
        this.recording = recording;
        this.cpuStart = processCpuNanos();
        this.gcStart = gcMillis();
        this.wallStart = System.nanoTime();
    }

    public static CpuProfile start() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.setToDisk(true);
        r.start();
        return new CpuProfile(r);
    }

    /** Stops and evaluates. */
    public Result stop() throws IOException {
        long wall = System.nanoTime() - wallStart;
        long cpu = processCpuNanos() - cpuStart;
        long gc = gcMillis() - gcStart;
        Map<Long, Long> threadCpuEnd = threadCpuNanos();
        recording.stop();
        Path file = Files.createTempFile("plantmesh-connectivity", ".jfr");
        try {
            recording.dump(file);
            Map<String, Long> samples = new TreeMap<>();
            Map<String, Map<String, Long>> frames = new TreeMap<>();
            Map<Long, Map<String, Long>> componentsOfThread = new java.util.HashMap<>();
            long total = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                String[] where = component(e);
                samples.merge(where[0], 1L, Long::sum);
                var t = e.getThread("sampledThread");
                if (t != null) {
                    componentsOfThread.computeIfAbsent(t.getJavaThreadId(), k -> new TreeMap<>())
                            .merge(where[0], 1L, Long::sum);
                }
                frames.computeIfAbsent(where[0], k -> new TreeMap<>()).merge(where[1], 1L, Long::sum);
                total++;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            Map<String, Double> threads = busiestThreads(threadCpuEnd, wall, componentsOfThread);
            return new Result(100.0 * cpu / wall, 100.0 * cpu / wall / cores, gc, total, samples, frames, threads);
        } finally {
            Files.deleteIfExists(file);
            recording.close();
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    /** {component, the innermost frame of that component (or the leaf frame) as Class.method}. */
    static String[] component(RecordedEvent sample) {
        String leaf = "?";
        if (sample.getStackTrace() != null && !sample.getStackTrace().getFrames().isEmpty()) {
            leaf = label(sample.getStackTrace().getFrames().get(0));
        }
        String thread = threadComponent(sample);
        if (thread != null) {
            return new String[] {thread, leaf};
        }
        if (sample.getStackTrace() != null) {
            for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
                String type = frame.getMethod() == null || frame.getMethod().getType() == null ? ""
                        : frame.getMethod().getType().getName();
                for (Map.Entry<String, String> e : COMPONENT_BY_PACKAGE.entrySet()) {
                    if (type.startsWith(e.getKey())) {
                        return new String[] {e.getValue(), label(frame)};
                    }
                }
            }
        }
        var t = sample.getThread("sampledThread");
        String threadName = t == null ? "" : String.valueOf(t.getJavaName());
        if (threadName.startsWith("vert.x-eventloop")) {
            return new String[] {"Vert.x/Netty I/O (no component frame)", leaf};
        }
        return new String[] {"other (" + threadName.replaceAll("[-_ ]?\\d+$", "") + ")", leaf};
    }

    private static String label(RecordedFrame frame) {
        if (frame.getMethod() == null || frame.getMethod().getType() == null) {
            return "?";
        }
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static String threadComponent(RecordedEvent sample) {
        var thread = sample.getThread("sampledThread");
        String threadName = thread == null ? "" : String.valueOf(thread.getJavaName());
        if (threadName.startsWith("data-plane-kafka") || threadName.startsWith("kafka-log")
                || threadName.startsWith("broker-") || threadName.startsWith("controller-")
                || threadName.startsWith("kafka-scheduler") || threadName.startsWith("ExpirationReaper")
                || threadName.startsWith("group-coordinator") || threadName.startsWith("kafka-request-handler")
                || threadName.startsWith("raft-") || threadName.startsWith("quorum-")) {
            return "Kafka broker";
        }
        if (threadName.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer client (ingress)";
        }
        return null;
    }

    private static Map<Long, Long> threadCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        if (mx.isThreadCpuTimeSupported()) {
            for (long id : mx.getAllThreadIds()) {
                long t = mx.getThreadCpuTime(id);
                if (t >= 0) {
                    cpu.put(id, t);
                }
            }
        }
        return cpu;
    }

    /** CPU of each Java thread during the step in % of one core, busiest first (top 8). */
    private Map<String, Double> busiestThreads(Map<Long, Long> end, long wallNanos,
            Map<Long, Map<String, Long>> componentsOfThread) {
        var mx = ManagementFactory.getThreadMXBean();
        Map<String, Double> busy = new LinkedHashMap<>();
        end.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threadCpuStart.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> {
                    var info = mx.getThreadInfo(e.getKey());
                    String name = info == null ? "thread " + e.getKey() : info.getThreadName();
                    String mostly = componentsOfThread.getOrDefault(e.getKey(), Map.of()).entrySet().stream()
                            .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("no samples");
                    busy.put(name + " #" + e.getKey() + " (mostly " + mostly + ")", 100.0 * e.getValue() / wallNanos);
                });
        return busy;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /**
     * @param cpuPercentOfOneCore process CPU time / wall time (200 = both cores of a 2-core machine)
     * @param cpuPercentOfMachine the same divided by the cores
     * @param gcMillis time in GC pauses and concurrent cycles reported by the collectors
     * @param samples samples per component
     */
    public record Result(double cpuPercentOfOneCore, double cpuPercentOfMachine, long gcMillis, long totalSamples,
                         Map<String, Long> samples, Map<String, Map<String, Long>> frames,
                         Map<String, Double> busiestThreads) {

        /** The component's hottest frames, most samples first. */
        public List<Map.Entry<String, Long>> hottest(String component, int limit) {
            return frames.getOrDefault(component, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit).toList();
        }

        public double share(String component) {
            return totalSamples == 0 ? 0 : 100.0 * samples.getOrDefault(component, 0L) / totalSamples;
        }
    }
}
