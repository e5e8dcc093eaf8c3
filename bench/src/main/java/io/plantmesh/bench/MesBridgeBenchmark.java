package io.plantmesh.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.bench.mes.DispatchResult;
import io.plantmesh.bench.mes.FaultResult;
import io.plantmesh.bench.mes.FaultRun;
import io.plantmesh.bench.mes.MachineResponder;
import io.plantmesh.bench.mes.MesBenchPlant;
import io.plantmesh.bench.mes.MesBridgeReport;
import io.plantmesh.bench.mes.PlantEventWatcher;
import io.plantmesh.bench.mes.PlantEventWatcher.OrderState;
import io.plantmesh.bench.mes.PlantEventWatcher.PlantEvent;
import io.plantmesh.bench.mes.PlanTiming;
import io.plantmesh.bench.mes.PlantLayout;
import io.plantmesh.bench.mes.PlantSnapshot;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.mes.MesBridgeConfig;
import io.plantmesh.mes.MesRules;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Load driver for the MES bridge (issue #4): five bridge instances (one per line, as {@code ./plantmesh up} runs
 * them) over a plant of 5 lines x 10 machines and 500 open work orders, with the durable embedded store, the twin
 * server, a machine responder (answers startJob/stopJob and reports job and state) and a Ditto protocol event
 * subscriber, all in this JVM on 127.0.0.1.
 * <ol>
 *     <li>Dispatch throughput: the bridges start on 500 RELEASED orders; time until every order's DISPATCHED event
 *     has arrived; decisions per second.</li>
 *     <li>Fault re-dispatch latency: machines (round robin over the lines) are set DOWN over HTTP; time from the
 *     PATCH's response (the DOWN is persisted) to the arrival of the last order event that moves one of the
 *     machine's orders off it; then the machine is repaired and the plant settles before the next fault.</li>
 * </ol>
 * Writes a Markdown report.
 *
 * <p>Usage: {@code java -cp bench/target/plantmesh-bench.jar io.plantmesh.bench.MesBridgeBenchmark [key=value...]}
 * with keys {@code faults} (100), {@code warm-up-faults} (10), {@code max-queue} (10), {@code lines} (5),
 * {@code machines-per-line} (10), {@code orders-per-line} (100), {@code settle-ms} (300), {@code fault-timeout-ms}
 * (10000), {@code max-minutes} (30, bounds the fault phase), {@code oee-seconds} (30, the bridge's default),
 * {@code seed} (42), {@code warm-up-dispatch} (true: a first start-up round on a plant of its own, for the JIT),
 * {@code max-load} (1.0), {@code load-wait-seconds} (180), {@code report}
 * (bench/results/mes-bridge.md).
 */
public final class MesBridgeBenchmark {

    static final String NAMESPACE = "bench";
    static final String WARM_UP_NAMESPACE = "warmup";

    private final Map<String, String> options;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

    private MesBridgeBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("arguments are key=value, e.g. faults=100 max-queue=10; not " + arg);
                System.exit(2);
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        MesBridgeBenchmark bench = new MesBridgeBenchmark(options);
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

    private int intOpt(String key, int fallback) {
        return Integer.parseInt(opt(key, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int lines = intOpt("lines", 5);
        int machinesPerLine = intOpt("machines-per-line", 10);
        int ordersPerLine = intOpt("orders-per-line", 100);
        int maxQueue = intOpt("max-queue", 10);
        int faults = intOpt("faults", 100);
        int warmUpFaults = intOpt("warm-up-faults", 10);
        int settleMs = intOpt("settle-ms", 300);
        int faultTimeoutMs = intOpt("fault-timeout-ms", 10_000);
        int maxMinutes = intOpt("max-minutes", 30);
        int oeeSeconds = intOpt("oee-seconds", 30);
        long seed = Long.parseLong(opt("seed", "42"));
        Path report = Path.of(opt("report", "bench/results/mes-bridge.md"));

        double[] loadBefore = waitForQuietMachine(Double.parseDouble(opt("max-load", "1.0")),
                intOpt("load-wait-seconds", 180));
        long runStart = System.nanoTime();
        MesBridgeReport md = new MesBridgeReport(options, lines, machinesPerLine, ordersPerLine, maxQueue, settleMs,
                faultTimeoutMs, oeeSeconds, loadBefore);

        progress("starting the durable embedded store and the twin server (temporary data directory)");
        boolean warmUpDispatch = Boolean.parseBoolean(opt("warm-up-dispatch", "true"));
        MesRules rules = MesRules.defaults().withMaxQueuePerMachine(maxQueue);
        List<MesBridge> bridges = new ArrayList<>();
        try (MesBenchPlant plant = MesBenchPlant.start();
                PlantEventWatcher watcher = new PlantEventWatcher(NAMESPACE);
                MachineResponder responder = MachineResponder.start(plant)) {
            watcher.start(vertx, plant.port());
            try {
                if (warmUpDispatch) {
                    // the same start-up on a plant of its own first, so that the measured one runs on a warm JIT
                    progress("warm-up round: the same plant in namespace " + WARM_UP_NAMESPACE
                            + ", its own 5 bridges (closed afterwards)");
                    try (PlantEventWatcher warmWatcher = new PlantEventWatcher(WARM_UP_NAMESPACE)) {
                        warmWatcher.start(vertx, plant.port());
                        PlantLayout warm = plant.provision(WARM_UP_NAMESPACE, lines, machinesPerLine,
                                ordersPerLine, seed);
                        awaitOrdersSeen(warmWatcher, warm.lineOfOrder().size());
                        List<MesBridge> warmBridges = createBridges(plant, warm, "warm-", rules, oeeSeconds);
                        try {
                            DispatchResult cold = dispatchPhase(warm, warmWatcher, warmBridges);
                            md.coldDispatch(cold);
                            progress(String.format("warm-up round (cold JIT): %d/%d dispatched in %.0f ms from "
                                            + "the first decision (%.0f decisions/s)", cold.dispatched(),
                                    cold.orders(), cold.firstToLastMs(), cold.decisionsPerSecond()));
                        } finally {
                            warmBridges.forEach(MesBridge::close);
                        }
                    }
                }
                progress(String.format("provisioning %d lines x %d machines and %d RELEASED work orders", lines,
                        machinesPerLine, lines * ordersPerLine));
                PlantLayout layout = plant.provision(NAMESPACE, lines, machinesPerLine, ordersPerLine, seed);
                awaitOrdersSeen(watcher, layout.lineOfOrder().size());
                bridges.addAll(createBridges(plant, layout, "mes-", rules, oeeSeconds));
                DispatchResult dispatch = dispatchPhase(layout, watcher, bridges);
                md.dispatch(dispatch);
                progress(String.format("phase 1: %d/%d dispatched in %.0f ms from the first decision "
                                + "(%.0f decisions/s; %.0f ms from the start() calls)", dispatch.dispatched(),
                        dispatch.orders(), dispatch.firstToLastMs(), dispatch.decisionsPerSecond(),
                        dispatch.callToLastMs()));
                if (dispatch.dispatched() < dispatch.orders()) {
                    throw new IllegalStateException("only " + dispatch.dispatched() + " of " + dispatch.orders()
                            + " orders were dispatched in time; see the log above (the bridges' warnings)");
                }
                List<String> machineIds = layout.machineIds();
                PlantSnapshot afterDispatch = PlantSnapshot.of(watcher, machineIds);
                md.snapshot("after phase 1 (every machine running, plant settled)", afterDispatch);
                progress("after phase 1: " + afterDispatch);
                ThingId firstLine = layout.lines().get(0);
                PlanTiming planTiming = PlanTiming.measure(bridges.get(0).view(firstLine), rules);
                md.planTiming(planTiming);
                progress(String.format("planner CPU time for %s (%d orders): %.2f ms with nothing to do, %.2f ms "
                                + "(max %.2f) for a fault (%d actions)", firstLine, planTiming.orders(),
                        planTiming.steadyMs(), planTiming.faultMs(), planTiming.faultMaxMs(),
                        planTiming.faultActions()));
                Map<String, Long> before = total(bridges);
                long cpuBefore = processCpuNanos();
                long wallBefore = System.nanoTime();
                FaultRun faultRun = new FaultRun(plant, layout, watcher, bridges, settleMs, faultTimeoutMs);
                List<FaultResult> results = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
                for (int k = 0; k < warmUpFaults + faults && System.nanoTime() < deadline; k++) {
                    boolean warmUp = k < warmUpFaults;
                    FaultResult r = faultRun.fault(k + 1, warmUp);
                    results.add(r);
                    if (k < 3 || (k + 1) % 10 == 0 || !r.allMoved()) {
                        progress(String.format("fault %d%s: %s, %d orders (%d to machines, %d to the pool, %d held),"
                                        + " %.1f ms after the PATCH returned, %.1f ms after the DOWN event%s",
                                k + 1, warmUp ? " (warm-up)" : "", r.machine(), r.orders(), r.toMachine(),
                                r.toPool(), r.held(), r.latencyMs(), r.fromEventMs(),
                                r.allMoved() ? "" : " — NOT ALL MOVED within the timeout"));
                    }
                }
                double cpu = 100.0 * (processCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
                PlantSnapshot atEnd = PlantSnapshot.of(watcher, machineIds);
                md.snapshot("at the end (after the last repair, plant settled)", atEnd);
                progress("at the end: " + atEnd);
                md.faults(results, faults, diff(total(bridges), before), cpu, maxMinutes,
                        responder.starts(), responder.stops(), responder.failedReports());
                md.bridgeTotals(bridges.stream().map(b -> b.config().instanceId()).toList(),
                        bridges.stream().map(b -> b.counters().snapshot()).toList());
            } finally {
                bridges.forEach(MesBridge::close);
            }
        }
        md.loadAfter(MachineDescription.loadAverage());
        md.write(report, (System.nanoTime() - runStart) / 1e9);
        progress("report written to " + report);
    }

    /** One bridge per line of the layout, as {@code ./plantmesh up} runs them: {@code <prefix>1..n}. */
    private static List<MesBridge> createBridges(MesBenchPlant plant, PlantLayout layout, String prefix,
            MesRules rules, int oeeSeconds) {
        List<MesBridge> bridges = new ArrayList<>();
        int n = 0;
        for (ThingId line : layout.lines()) {
            n++;
            bridges.add(MesBridge.create(MesBridgeConfig.defaults(prefix + n, plant.wsEndpoint(), "ditto", "ditto",
                            plant.mongoUri(), List.of(line))
                    .withMongoDatabase("plantmesh_mes")
                    .withRules(rules)
                    .withResyncInterval(Duration.ofMinutes(10))
                    .withOeeInterval(Duration.ofSeconds(oeeSeconds))));
        }
        return bridges;
    }

    /** Phase 1: starts the bridges together and waits (bounded) for every order's DISPATCHED event. */
    private DispatchResult dispatchPhase(PlantLayout layout, PlantEventWatcher watcher, List<MesBridge> bridges)
            throws Exception {
        int orders = layout.lineOfOrder().size();
        int machines = layout.machines();
        Map<String, Long> dispatchedAt = new ConcurrentHashMap<>();
        Consumer<PlantEvent> counter = e -> {
            boolean placed = "DISPATCHED".equals(e.orderStatus()) || "RUNNING".equals(e.orderStatus());
            if (e.isOrder() && placed) {
                dispatchedAt.putIfAbsent(e.thingId(), e.arrivedNanos());
            }
        };
        watcher.listen(counter);
        long eventsBefore = watcher.orderEvents();
        long[] firstReconcile = new long[bridges.size()];
        long[] startReturned = new long[bridges.size()];
        long[] acknowledged = new long[bridges.size()];
        Arrays.fill(firstReconcile, -1);
        Arrays.fill(acknowledged, -1);
        List<ThingId> lineIds = layout.lines();
        long[] ordersOfLine = lineIds.stream().mapToLong(line -> layout.lineOfOrder().values().stream()
                .filter(line::equals).count()).toArray();
        ExecutorService starter = Executors.newFixedThreadPool(bridges.size());
        progress("phase 1: starting " + bridges.size() + " MES bridges together");
        long cpuBefore = processCpuNanos();
        long call = System.nanoTime();
        List<Future<?>> starts = new ArrayList<>();
        for (int i = 0; i < bridges.size(); i++) {
            int index = i;
            starts.add(starter.submit(() -> {
                bridges.get(index).start();
                startReturned[index] = System.nanoTime();
            }));
        }
        long deadline = call + TimeUnit.SECONDS.toNanos(180);
        List<Map<String, Long>> counters = null;
        long cpuAtLast = -1;
        while (System.nanoTime() < deadline) {
            boolean allReconciling = true;
            boolean allAcknowledged = true;
            for (int i = 0; i < bridges.size(); i++) {
                long now = System.nanoTime();
                if (firstReconcile[i] < 0 && bridges.get(i).counters().get("reconciliations") >= 1) {
                    firstReconcile[i] = now;
                }
                if (acknowledged[i] < 0 && bridges.get(i).counters().get("orders.dispatched") >= ordersOfLine[i]) {
                    acknowledged[i] = now;
                }
                allReconciling &= firstReconcile[i] >= 0;
                allAcknowledged &= acknowledged[i] >= 0;
            }
            if (counters == null && dispatchedAt.size() >= orders) {
                // the moment the last decision's event arrived: what the bridges have counted by now
                counters = bridges.stream().map(b -> b.counters().snapshot()).toList();
                cpuAtLast = processCpuNanos();
            }
            if (allReconciling && allAcknowledged && counters != null) {
                break;
            }
            LockSupport.parkNanos(500_000);
        }
        if (counters == null) {
            counters = bridges.stream().map(b -> b.counters().snapshot()).toList();
            cpuAtLast = processCpuNanos();
        }
        long last = dispatchedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
        double cpu = 100.0 * (cpuAtLast - cpuBefore) / Math.max(1, last - call);
        long orderEvents = watcher.orderEvents() - eventsBefore;
        for (Future<?> f : starts) {
            f.get(60, TimeUnit.SECONDS);
        }
        starter.shutdown();
        watcher.unlisten(counter);
        long first = dispatchedAt.values().stream().mapToLong(Long::longValue).min().orElse(last);
        List<DispatchResult.BridgeStart> perBridge = new ArrayList<>();
        for (int i = 0; i < bridges.size(); i++) {
            ThingId line = lineIds.get(i);
            List<Long> times = layout.lineOfOrder().entrySet().stream().filter(e -> e.getValue().equals(line))
                    .map(e -> dispatchedAt.get(e.getKey().toString())).filter(t -> t != null).toList();
            long lineLast = times.stream().mapToLong(Long::longValue).max().orElse(-1);
            long lineFirst = times.stream().mapToLong(Long::longValue).min().orElse(-1);
            perBridge.add(new DispatchResult.BridgeStart(bridges.get(i).config().instanceId(), line.toString(),
                    times.size(), ms(startReturned[i] - call),
                    firstReconcile[i] < 0 ? Double.NaN : ms(firstReconcile[i] - call),
                    lineFirst < 0 ? Double.NaN : ms(lineFirst - call),
                    lineLast < 0 ? Double.NaN : ms(lineLast - lineFirst),
                    acknowledged[i] < 0 || lineLast < 0 ? Double.NaN : ms(acknowledged[i] - lineLast),
                    counters.get(i)));
        }
        progress("waiting until every machine runs its first order");
        double allRunning = Double.NaN;
        long runningDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < runningDeadline) {
            long running = watcher.orders().values().stream().filter(o -> "RUNNING".equals(o.status())).count();
            if (running >= machines) {
                allRunning = ms(System.nanoTime() - last);
                break;
            }
            Thread.sleep(20);
        }
        watcher.awaitQuiet(1000, 30_000);
        return new DispatchResult(orders, dispatchedAt.size(), ms(last - call), ms(last - first), perBridge,
                allRunning, cpu, orderEvents, total(bridges));
    }

    /** Waits (bounded) until the subscriber has seen every order created. */
    private static void awaitOrdersSeen(PlantEventWatcher watcher, int orders) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<String, OrderState> seen = watcher.orders();
            long released = seen.values().stream().filter(o -> "RELEASED".equals(o.status())).count();
            if (released >= orders) {
                return;
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("the event subscriber saw only " + watcher.orders().size() + " of " + orders
                + " work orders created within 30 s; check the twin server's log");
    }

    static Map<String, Long> total(List<MesBridge> bridges) {
        Map<String, Long> sum = new TreeMap<>();
        for (MesBridge b : bridges) {
            b.counters().snapshot().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static long processCpuNanos() {
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
