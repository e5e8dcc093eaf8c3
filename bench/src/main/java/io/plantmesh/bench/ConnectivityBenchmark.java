package io.plantmesh.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.bench.connectivity.ConnectivityPlant;
import io.plantmesh.bench.connectivity.ConnectivityReport;
import io.plantmesh.bench.connectivity.CpuProfile;
import io.plantmesh.bench.connectivity.DeviceFleet;
import io.plantmesh.bench.connectivity.LatencyRecorder;
import io.plantmesh.bench.connectivity.OfferedLoad;
import io.plantmesh.bench.connectivity.OfferedLoad.QosAndRecorder;
import io.plantmesh.bench.connectivity.StepResult;
import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingress.metrics.IngressMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * End-to-end load driver for shop-floor connectivity: N simulated machines publish PlantMesh machine payloads over
 * Hono's MQTT device API (QoS 0 and 1) → hono-ingress → embedded Kafka → twin-ingestion → twin server (durable
 * embedded store) → twin event at a Ditto protocol WebSocket subscriber. Driver and all components share one JVM on
 * 127.0.0.1. Measures latency at the seed paper's rate and at 1,000 messages/s, then steps the offered rate up to find
 * the highest rate sustained without loss, profiling each step; writes a Markdown report.
 *
 * <p>Usage: {@code java -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.ConnectivityBenchmark [key=value...]}
 * with keys {@code devices} (50), {@code seed-seconds} (180), {@code step-seconds} (20), {@code steps}
 * (1000,2000,5000,8000,12000), {@code ladder-qos} (1,0), {@code window-ms} (the ingestion's default, 0 = adaptive), {@code drain-seconds} (30), {@code settle-seconds} (20, at the seed rate between ladders),
 * {@code max-load} (1.0), {@code load-wait-seconds} (180), {@code report} (bench/results/connectivity.md).
 */
public final class ConnectivityBenchmark {

    /** 10,000 messages per hour, the rate of the seed paper's test. */
    static final double SEED_RATE = 10_000 / 3600.0;

    private final Map<String, String> options;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

    private ConnectivityBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("arguments are key=value, e.g. seed-seconds=180 steps=1000,2000,5000; not " + arg);
                System.exit(2);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        ConnectivityBenchmark bench = new ConnectivityBenchmark(options);
        int status = 0;
        try {
            bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(status);
    }

    private String opt(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private void run() throws Exception {
        int devices = Integer.parseInt(opt("devices", "50"));
        int seedSeconds = Integer.parseInt(opt("seed-seconds", "180"));
        int stepSeconds = Integer.parseInt(opt("step-seconds", "20"));
        int drainSeconds = Integer.parseInt(opt("drain-seconds", "30"));
        int[] steps = Arrays.stream(opt("steps", "1000,2000,5000,8000,12000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        List<Integer> ladderQos = Arrays.stream(opt("ladder-qos", "1,0").split(","))
                .map(s -> Integer.parseInt(s.trim())).toList();
        Duration window = Duration.ofMillis(Long.parseLong(opt("window-ms",
                Long.toString(io.plantmesh.devices.ingestion.IngestionConfig.defaults("unused:9092", "ws://unused/ws/2")
                        .coalescingWindow().toMillis()))));
        Path report = Path.of(opt("report", "bench/results/connectivity.md"));

        double[] loadBefore = waitForQuietMachine(Double.parseDouble(opt("max-load", "1.0")),
                Integer.parseInt(opt("load-wait-seconds", "180")));
        long runStart = System.nanoTime();
        ConnectivityReport md = new ConnectivityReport(devices, seedSeconds, stepSeconds, drainSeconds, window,
                loadBefore);

        // the first JFR recording of a JVM initialises Flight Recorder, which stalls the process for seconds: do it
        // now, not inside the first profiled step
        CpuProfile.start().stop();
        progress("starting store, Kafka, twin server, Hono ingress (temporary data directory)");
        try (ConnectivityPlant plant = ConnectivityPlant.start(window)) {
            progress("provisioning " + devices + " machines (registry device + password, machine twin)");
            DeviceFleet fleet = DeviceFleet.provision(vertx, plant, devices);
            progress("starting twin ingestion");
            plant.startIngestion();
            try (fleet) {
                fleet.connectAndWatch(plant);
                Measurement m = new Measurement(plant, fleet, Duration.ofSeconds(drainSeconds));

                md.warmUp(warmUp(m, Integer.parseInt(opt("warm-up-seconds", "60")),
                        Integer.parseInt(opt("warm-up-max-seconds", "300"))));

                progress(String.format("seed rate: %.2f messages/s for %d s, QoS 1 and QoS 0 alternating",
                        SEED_RATE, seedSeconds));
                md.seed(m.step("seed rate", SEED_RATE, Duration.ofSeconds(seedSeconds), -1, false));

                int settle = Integer.parseInt(opt("settle-seconds", "20"));
                boolean firstLadder = true;
                for (int qos : ladderQos) {
                    if (!firstLadder && settle > 0) {
                        // the previous ladder ended at its highest rate: let that backlog and its garbage go before
                        // the next ladder's first (lowest) step is measured
                        progress("settle: seed rate for " + settle + " s before the QoS " + qos + " ladder (not reported)");
                        m.step("settle", SEED_RATE, Duration.ofSeconds(settle), -1, false);
                    }
                    firstLadder = false;
                    for (int rate : steps) {
                        progress("QoS " + qos + ": " + rate + " messages/s for " + stepSeconds + " s");
                        StepResult r = m.step("QoS " + qos + " @ " + rate, rate, Duration.ofSeconds(stepSeconds), qos,
                                true);
                        md.step(qos, r);
                        progress("  " + r.summary());
                        progress("  per second of arrival (count/max latency): "
                                + (qos == 1 ? r.qos1() : r.qos0()).timeline());
                        if (!r.sustained()) {
                            progress("  not sustained; stopping the QoS " + qos + " ladder");
                            break;
                        }
                    }
                }
                progress("final check: every twin's seq against the last published seq");
                md.finalCheck(fleet.finalCheck(plant), plant.ingressMetrics(), plant.ingestionCounters(),
                        fleet.events());
            }
        }
        md.write(report, (System.nanoTime() - runStart) / 1e9);
        progress("report written to " + report);
    }

    /** Runs one offered rate and collects everything a step reports. */
    private final class Measurement {
        private final ConnectivityPlant plant;
        private final DeviceFleet fleet;
        private final Duration drain;
        private final OfferedLoad load;

        Measurement(ConnectivityPlant plant, DeviceFleet fleet, Duration drain) {
            this.plant = plant;
            this.fleet = fleet;
            this.drain = drain;
            this.load = new OfferedLoad(vertx, fleet.devices());
        }

        /** qos -1 = alternate QoS 1 and QoS 0 per round over the devices. */
        StepResult step(String name, double rate, Duration duration, int qos, boolean profile) throws Exception {
            LatencyRecorder q1 = new LatencyRecorder(name + " QoS 1");
            LatencyRecorder q0 = new LatencyRecorder(name + " QoS 0");
            QosAndRecorder one = new QosAndRecorder(MqttQoS.AT_LEAST_ONCE, q1);
            QosAndRecorder zero = new QosAndRecorder(MqttQoS.AT_MOST_ONCE, q0);
            int devices = fleet.devices().size();
            IngressMetrics ingressBefore = plant.ingressMetrics();
            IngestionCounters.Snapshot ingestionBefore = plant.ingestionCounters();
            CpuProfile cpu = profile ? CpuProfile.start() : null;
            double seconds = load.run(rate, duration, n -> switch (qos) {
                case 1 -> one;
                case 0 -> zero;
                default -> (n / devices) % 2 == 0 ? one : zero;
            });
            CpuProfile.Result cpuResult = cpu == null ? null : cpu.stop();
            double drained = fleet.awaitCovered(drain);
            Thread.sleep(300);   // counters of the last acknowledged writes
            return new StepResult(name, qos, rate, duration.toSeconds(), seconds, q1, q0, drained,
                    delta(ingressBefore, plant.ingressMetrics()), delta(ingestionBefore, plant.ingestionCounters()),
                    cpuResult);
        }
    }

    /** Chunks of the warm-up; the JIT counts as settled when it compiled less than this share of a chunk's time. */
    private static final int WARM_UP_CHUNK_SECONDS = 15;
    private static final double JIT_SETTLED_SHARE = 0.02;

    /**
     * Runs 1,000 messages/s QoS 1 (not reported) for at least {@code minSeconds}, then on until the JIT has settled
     * (it compiled for less than 2 % of the last chunk's time) or {@code maxSeconds} have passed. All components share
     * one JVM, so C2 compiles for minutes: after 30 s it still took 60 % of a core, which the pipeline lacked.
     *
     * @return the warm-up's seconds and the JIT's compile time in its last chunk (ms)
     */
    private static long[] warmUp(Measurement m, int minSeconds, int maxSeconds) throws Exception {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        progress("warm-up (JIT): 1,000 messages/s QoS 1 for at least " + minSeconds + " s, then until the JIT has "
                + "settled, at most " + maxSeconds + " s (not reported)");
        long seconds = 0;
        long lastCompileMs = -1;
        while (seconds < maxSeconds) {
            long before = timed ? jit.getTotalCompilationTime() : 0;
            int chunk = (int) Math.min(WARM_UP_CHUNK_SECONDS, maxSeconds - seconds);
            m.step("warm-up", 1000, Duration.ofSeconds(chunk), 1, false);
            seconds += chunk;
            lastCompileMs = timed ? jit.getTotalCompilationTime() - before : -1;
            boolean settled = timed && lastCompileMs < JIT_SETTLED_SHARE * chunk * 1000;
            progress(String.format("  warm-up %d s: JIT compiled %s in the last %d s%s", seconds,
                    timed ? lastCompileMs + " ms" : "(not measurable)", chunk,
                    seconds >= minSeconds && settled ? " - settled" : ""));
            if (seconds >= minSeconds && (settled || !timed)) {
                break;
            }
        }
        return new long[] {seconds, lastCompileMs};
    }

    private static long[] delta(IngressMetrics before, IngressMetrics after) {
        long rejectedBefore = before.rejected().values().stream().mapToLong(Long::longValue).sum();
        long rejectedAfter = after.rejected().values().stream().mapToLong(Long::longValue).sum();
        return new long[] {after.telemetryAccepted() - before.telemetryAccepted(), rejectedAfter - rejectedBefore};
    }

    private static long[] delta(IngestionCounters.Snapshot before, IngestionCounters.Snapshot after) {
        return new long[] {after.received() - before.received(), after.applied() - before.applied(),
                after.writes() - before.writes(), after.coalesced() - before.coalesced(),
                after.duplicates() - before.duplicates(), after.deadLettered() - before.deadLettered(),
                after.retried() - before.retried()};
    }

    /** Waits (bounded) for the 1-minute load average to drop below {@code max}; returns {load1, load5, waited s}. */
    private static double[] waitForQuietMachine(double max, int maxWaitSeconds) throws Exception {
        long start = System.nanoTime();
        double[] load = loadAverage();
        while (load[0] >= max && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(maxWaitSeconds)) {
            progress(String.format("load average %.2f (1 min) >= %.2f: waiting for the machine to quieten "
                    + "(at most %d s)", load[0], max, maxWaitSeconds));
            Thread.sleep(10_000);
            load = loadAverage();
        }
        double waited = (System.nanoTime() - start) / 1e9;
        progress(String.format("load average at start: %.2f / %.2f / %.2f (waited %.0f s)", load[0], load[1], load[2],
                waited));
        return new double[] {load[0], load[1], load[2], waited};
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new double[] {l, -1, -1};
        }
    }

    static void progress(String line) {
        System.out.println("[bench] " + Instant.now().toString().substring(11, 19) + " " + line);
        System.out.flush();
    }
}
