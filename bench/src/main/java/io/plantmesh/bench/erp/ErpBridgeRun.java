package io.plantmesh.bench.erp;

import static io.plantmesh.bench.ErpBridgeBenchmark.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.plantmesh.bench.MachineDescription;
import io.plantmesh.erp.bridge.ErpBridge;
import io.plantmesh.erp.bridge.ErpBridgeConfig;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Vertx;

/** One run of the ERP benchmark (see {@link io.plantmesh.bench.ErpBridgeBenchmark}): the phases and the report. */
public final class ErpBridgeRun {

    static final String PLANT = "bench";
    /** The direct OData load posts in a plant of its own, so that the bridge's books can be checked exactly. */
    static final String LOAD_PLANT = "load";

    private final Vertx vertx;
    private final Map<String, String> options;
    private final double[] loadBefore;

    public ErpBridgeRun(Vertx vertx, Map<String, String> options, double[] loadBefore) {
        this.vertx = vertx;
        this.options = options;
        this.loadBefore = loadBefore;
    }

    private String opt(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private int intOpt(String key, int fallback) {
        return Integer.parseInt(opt(key, Integer.toString(fallback)));
    }

    public void run() throws Exception {
        double[] rates = Arrays.stream(opt("rates", "1,5,10,20").split(",")).mapToDouble(Double::parseDouble)
                .toArray();
        int[] clients = Arrays.stream(opt("clients", "1,4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int minCompletions = intOpt("completions", 150);
        int rateSeconds = intOpt("rate-seconds", 20);
        int burstOrders = intOpt("burst-orders", 300);
        int machines = intOpt("machines", 35);
        double loadSeconds = Double.parseDouble(opt("load-seconds", "10"));
        long completionTimeoutMs = Long.parseLong(opt("completion-timeout-ms", "30000"));
        Path reportPath = Path.of(opt("report", "bench/results/erp-bridge.md"));
        long runStart = System.nanoTime();

        progress("starting the durable embedded store, the twin server and the embedded ERP (temporary directory)");
        try (ErpBenchPlant plant = ErpBenchPlant.start(vertx, PLANT, LOAD_PLANT, machines);
                ErpEventWatcher watcher = new ErpEventWatcher(PLANT)) {
            ErpBridgeConfig defaults = ErpBridgeConfig.defaults(plant.wsEndpoint(), plant.erpBase());
            ErpBridgeConfig config = defaults
                    .withErpUser(plant.erpUser(), plant.erpPassword())
                    .withNamespaces(List.of(PLANT))
                    .withIntervals(Duration.ofMinutes(10), defaults.stockPollInterval())
                    .withWorkers(intOpt("workers", defaults.workers()));
            ErpBridgeReport report = new ErpBridgeReport(options, config, loadBefore, machines);
            plant.provisionMaterials();
            watcher.start(vertx, plant.twinPort());
            CompletionRun run = new CompletionRun(plant, watcher, machines);
            try (ErpBridge bridge = ErpBridge.create(config)) {
                bridge.start();
                progress("ERP bridge started (" + config.workers() + " orders at a time, resync every "
                        + config.resyncInterval().toMinutes() + " min)");

                // 1. through the bridge
                progress("warm-up burst: 100 RUNNING orders (JIT)");
                CompletionRun.Burst warm = run.burst(100, 120_000);
                progress(String.format("warm-up burst: %d/%d orders recorded, %d postings in %.2f s: %.0f postings/s",
                        warm.recorded(), warm.orders(), warm.postings(), warm.seconds(), warm.postingsPerSecond()));
                watcher.awaitQuiet(1000, 30_000);
                progress("phase 1: burst of " + burstOrders + " RUNNING orders");
                CompletionRun.Burst burst = run.burst(burstOrders, 300_000);
                progress(String.format("phase 1: %d/%d orders recorded, %d postings in %.2f s: %.0f postings/s "
                                + "through the bridge (CPU %.0f %%)", burst.recorded(), burst.orders(),
                        burst.postings(), burst.seconds(), burst.postingsPerSecond(), burst.cpuPercent()));
                report.burst(warm, burst);
                watcher.awaitQuiet(1000, 30_000);

                // 2. completion latency
                List<CompletionRun.RateResult> results = new ArrayList<>();
                for (double rate : rates) {
                    int n = Math.max(minCompletions, (int) Math.ceil(rate * rateSeconds));
                    progress(String.format("phase 2: %d RUNNING orders for %.1f completions/s; waiting for their "
                            + "postings so far", n, rate));
                    List<WorkOrderTwin> orders = run.createRunning(n);
                    int ready = run.awaitReceivedWhileRunning(orders, 300_000);
                    if (ready < n) {
                        throw new IllegalStateException("only " + ready + " of " + n + " orders had their postings "
                                + "recorded within 300 s; see the bridge's log");
                    }
                    watcher.awaitQuiet(1000, 30_000);
                    progress(String.format("phase 2: completing %d orders at %.1f/s (load %.2f)", n, rate,
                            MachineDescription.loadAverage()[0]));
                    CompletionRun.RateResult r = run.completeAtRate(orders, rate, completionTimeoutMs);
                    results.add(r);
                    progress(String.format("phase 2: %.1f completions/s: completion -> receipt recorded %s; missed %d,"
                                    + " late sends %d, CPU %.0f %%, load %.2f", rate, r.latencies().summary(),
                            r.missed(), r.lateStarts(), r.cpuPercent(), r.loadAfter()[0]));
                    watcher.awaitQuiet(2000, 60_000);
                }
                report.rates(results);
            }
            watcher.awaitQuiet(1000, 30_000);

            // books: the ERP holds exactly what the twins recorded
            BookCheck books = BookCheck.of(plant, watcher, PLANT);
            progress("books: " + books.summary());
            report.books(books);

            // 3. the ERP directly
            ODataLoad load = new ODataLoad(vertx, plant.erpBase(), plant.erpUser(), plant.erpPassword(), LOAD_PLANT);
            progress("phase 3: warm-up, 16 OData clients for 5 s");
            ODataLoad.Result warmLoad = load.run(16, 5, "warm-up");
            progress(String.format("phase 3 warm-up: %.0f postings/s", warmLoad.perSecond()));
            List<ODataLoad.Result> loads = new ArrayList<>();
            for (int c : clients) {
                ODataLoad.Result r = load.run(c, loadSeconds, "load-" + c);
                loads.add(r);
                progress(String.format("phase 3: %d clients: %d postings in %.1f s = %.0f postings/s, %s, %d failed%s",
                        c, r.postings(), r.seconds(), r.perSecond(), r.latencies().summary(), r.failures(),
                        r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")"));
            }
            report.directLoad(warmLoad, loads);
            report.loadAfter(MachineDescription.loadAverage());
            report.write(reportPath, (System.nanoTime() - runStart) / 1e9);
            progress("report written to " + reportPath);
        }
    }
}
