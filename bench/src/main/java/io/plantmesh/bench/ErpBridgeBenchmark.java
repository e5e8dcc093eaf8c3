package io.plantmesh.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.plantmesh.bench.erp.ErpBridgeRun;
import io.vertx.core.Vertx;

/**
 * Load driver for the ERP bridge and the embedded ERP (issue #5): the durable embedded store, the twin server, the
 * embedded ERP and one ERP bridge in this JVM on 127.0.0.1, driven over their public APIs.
 * <ol>
 *     <li>Through the bridge: a burst of work orders written RUNNING with progress; postings per second until every
 *     order's confirmation, component issues and goods receipt are posted and recorded on its twin.</li>
 *     <li>Completion latency: RUNNING orders (their postings so far recorded) are completed open loop at a few rates;
 *     time from the completion PATCH to the arrival of the twin event that shows the goods receipt (101) of every good
 *     piece recorded in {@code features/erp}.</li>
 *     <li>The embedded ERP directly: N concurrent OData clients posting goods issues (261), goods receipts (101) and
 *     confirmations, each with its own {@code Repeatability-Request-ID}; postings per second.</li>
 * </ol>
 * Then checks that the ERP holds exactly the documents the twins recorded, and writes a Markdown report.
 *
 * <p>Usage: {@code java -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.ErpBridgeBenchmark [key=value...]}
 * with keys {@code rates} (1,5,10,20 completions/s), {@code completions} (150, at least per rate),
 * {@code rate-seconds} (20: a rate runs for at least this long), {@code burst-orders} (300), {@code workers} (the
 * bridge's default), {@code clients} (1,4,16,64), {@code load-seconds} (10), {@code machines} (35),
 * {@code completion-timeout-ms} (30000), {@code max-load} (1.0), {@code load-wait-seconds} (180), {@code report}
 * (bench/results/erp-bridge.md).
 */
public final class ErpBridgeBenchmark {

    private ErpBridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("arguments are key=value, e.g. rates=1,5,10 clients=16; not " + arg);
                System.exit(2);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Vertx vertx = Vertx.vertx();
        int status = 0;
        try {
            double[] load = waitForQuietMachine(Double.parseDouble(options.getOrDefault("max-load", "1.0")),
                    Integer.parseInt(options.getOrDefault("load-wait-seconds", "180")));
            new ErpBridgeRun(vertx, options, load).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(status);
    }

    /** CPU time of this process so far, in nanoseconds (0 if the JVM cannot tell). */
    public static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** Waits (bounded) for the 1-minute load average to drop below {@code max}; returns {load1, load5, load15, s}. */
    private static double[] waitForQuietMachine(double max, int maxWaitSeconds) throws Exception {
        long start = System.nanoTime();
        double[] load = MachineDescription.loadAverage();
        while (load[0] >= max && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(maxWaitSeconds)) {
            progress(String.format("load average %.2f (1 min) >= %.2f: waiting for the machine to quieten "
                    + "(at most %d s)", load[0], max, maxWaitSeconds));
            Thread.sleep(10_000);
            load = MachineDescription.loadAverage();
        }
        double waited = (System.nanoTime() - start) / 1e9;
        progress(String.format("load average at start: %.2f / %.2f / %.2f (waited %.0f s)", load[0], load[1], load[2],
                waited));
        return new double[] {load[0], load[1], load[2], waited};
    }

    public static void progress(String line) {
        System.out.println("[bench] " + Instant.now().toString().substring(11, 19) + " " + line);
        System.out.flush();
    }
}
