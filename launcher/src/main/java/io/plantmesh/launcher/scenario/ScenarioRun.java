package io.plantmesh.launcher.scenario;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.erp.bridge.ErpBridgeConfig;
import io.plantmesh.launcher.LaunchListener;
import io.plantmesh.launcher.LaunchOptions;
import io.plantmesh.launcher.PlantMeshLauncher;
import io.plantmesh.launcher.RunningPlantMesh;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.shopfloor.RunningShopFloor;
import io.plantmesh.launcher.shopfloor.ShopFloorLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Runs one mode of the scenario on a fresh embedded mesh in this JVM (data under the given directory, free ports):
 * the demo plant reduced to the chosen lines and machines, the seeded orders, the probes (device listener, the UI's
 * event stream, the MES bridges' applied-state hook), the measured window with progress and consistency samples,
 * then the drain and the end checks (every device message reached twin ingestion; the ERP's books).
 */
final class ScenarioRun {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);

    private static final String ERP_USER = "PLANTMESH";
    private static final String ERP_PASSWORD = "plantmesh";
    /** Enough orders for this multiple of the plant's capacity in the run. */
    private static final double ORDER_COVER = 1.3;
    /** Progress lines on the terminal at most this often. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final ScenarioSettings settings;
    private final ScenarioMode mode;
    private final Path dataDir;
    private final Consumer<String> out;
    private final Latencies latencies = new Latencies();
    private final Map<String, String> mesStates = new ConcurrentHashMap<>();
    private final Map<String, Duration> cycles = new ConcurrentHashMap<>();
    private final Map<String, Long> quantities = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile DeviceProbe probe;
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    ScenarioRun(final ScenarioSettings settings, final ScenarioMode mode, final Path dataDir,
            final Consumer<String> out) {
        this.settings = settings;
        this.mode = mode;
        this.dataDir = dataDir;
        this.out = out;
    }

    /** Machines chosen from the demo plant: the first ones of lines 1..n, spread evenly. */
    static List<MachineTwin> machines(final DemoPlant plant, final int lines, final int devices) {
        final Map<Integer, List<MachineTwin>> byLine = new TreeMap<>();
        for (final MachineTwin m : plant.machines()) {
            final int line = lineNumber(m.line().toString());
            if (line <= lines) {
                byLine.computeIfAbsent(line, l -> new ArrayList<>()).add(m);
            }
        }
        final List<MachineTwin> chosen = new ArrayList<>();
        int left = devices;
        int linesLeft = byLine.size();
        for (final List<MachineTwin> onLine : byLine.values()) {
            onLine.sort((a, b) -> a.id().toString().compareTo(b.id().toString()));
            final int take = Math.min(onLine.size(), (int) Math.ceil((double) left / linesLeft));
            chosen.addAll(onLine.subList(0, take));
            left -= take;
            linesLeft--;
        }
        return chosen;
    }

    static int lineNumber(final String lineId) {
        return Integer.parseInt(lineId.substring(lineId.lastIndexOf('-') + 1));
    }

    /** Machines that can run an order of their line (the MES's capability rule). */
    static Set<String> production(final DemoPlant plant, final List<MachineTwin> machines) {
        final Map<String, Set<String>> needed = new HashMap<>();
        for (final WorkOrderTwin order : plant.workOrders()) {
            needed.computeIfAbsent(order.line().toString(), l -> new HashSet<>())
                    .add(Objects.requireNonNullElse(order.requiredCapability(), ""));
        }
        final Set<String> out = new HashSet<>();
        for (final MachineTwin m : machines) {
            final Set<String> caps = needed.getOrDefault(m.line().toString(), Set.of());
            final boolean can = !caps.isEmpty() && (m.capabilities() == null || m.capabilities().isEmpty()
                    || caps.contains("") || caps.stream().anyMatch(c -> m.capabilities().contains(c)));
            if (can) {
                out.add(m.id().toString());
            }
        }
        return out;
    }

    ModeResult run() {
        final Instant reference = Instant.now();
        final DemoPlant plant = DemoPlant.generate(DemoPlant.DEFAULT_PLANT, settings.seed(), reference);
        final List<MachineTwin> chosen = machines(plant, settings.lines(), settings.devices());
        final Set<String> chosenIds = new HashSet<>();
        chosen.forEach(m -> chosenIds.add(m.id().toString()));
        final Set<String> production = production(plant, chosen);
        plant.workOrders().forEach(o -> quantities.put(o.id().toString(), (long) Math.ceil(o.quantity())));
        final boolean baseline = mode == ScenarioMode.BASELINE;
        final long mqttMachines = chosen.stream().filter(m -> m.device() != null
                && m.device().opcuaEndpoint() == null).count();
        final Duration telemetry = Duration.ofMillis(Math.max(1, Math.round(3_600_000.0 * settings.devices()
                / settings.ratePerHour())));
        final ShopFloorOptions floor = new ShopFloorOptions(true, 0, 0, 0, 0,
                ShopFloorOptions.DEFAULT_DEVICE_PASSWORD, chosenIds::contains, telemetry,
                p -> p.withMtbf(settings.mtbf()).withMttr(settings.mttr()), true, 4, settings.timeScale(), 0, 0,
                baseline ? settings.wall(settings.mesPoll()) : ShopFloorOptions.DEFAULT_MES_RESYNC, false, false);
        final LaunchOptions options = new LaunchOptions("127.0.0.1", 0, dataDir, 0, null, null, true,
                settings.seed(), floor);
        final Duration batch = settings.wall(settings.erpBatch());
        final UnaryOperator<ErpBridgeConfig> erpConfig = baseline ? c -> c.withIntervals(batch, batch)
                : UnaryOperator.identity();
        final ShopFloorLauncher.Tuning tuning = new ShopFloorLauncher.Tuning(
                simulator -> attach(simulator, production),
                UnaryOperator.identity(),
                bridge -> bridge.followMachineEvents(!baseline).onMachineApplied(this::mesApplied),
                erpConfig,
                bridge -> bridge.batchMode(baseline));
        out.accept(String.format(Locale.ROOT, "%-8s starting the mesh: %d machines (%d MQTT, %d run orders) on %d "
                + "line(s), time scale %.0fx, MQTT telemetry every %d ms%s", mode.label(), chosen.size(),
                mqttMachines, production.size(), settings.lines(), settings.timeScale(), telemetry.toMillis(),
                baseline ? String.format(Locale.ROOT, ", MES polls every %s plant (%d ms), ERP batch every %s plant "
                        + "(%d ms)", human(settings.mesPoll()), settings.wall(settings.mesPoll()).toMillis(),
                        human(settings.erpBatch()), batch.toMillis()) : ", every consumer follows events"));
        final RunningPlantMesh mesh = PlantMeshLauncher.start(options, LaunchListener.silent(), tuning);
        try (TwinEventStream stream = new TwinEventStream(probe, latencies, plant.plant())) {
            return measure(mesh, stream, plant, chosenIds, production);
        } finally {
            final DeviceProbe p = probe;
            if (p != null) {
                p.detach();
            }
            mesh.close();
        }
    }

    private void attach(final ShopFloorSimulator simulator, final Set<String> production) {
        for (final SimulatedMachine m : simulator.machines()) {
            cycles.put(m.machineId(), m.profile().nominalCycle());
        }
        probe = new DeviceProbe(simulator, production);
        quantities.forEach(probe::quantity);
    }

    private void mesApplied(final org.eclipse.ditto.things.model.ThingId id, final MachineTwin twin) {
        if (twin.state() == null || twin.state().state() == null) {
            return;
        }
        final long now = System.nanoTime();
        final String state = twin.state().state().name();
        final String before = mesStates.put(id.toString(), state);
        if (state.equals(before) || probe == null) {
            return;
        }
        final long origin = probe.seenByMes(id.toString(), state);
        if (origin >= measureFrom && origin <= measureUntil) {
            latencies.add(Latencies.STATE_MES, (now - origin) / 1e6);
        }
    }

    private ModeResult measure(final RunningPlantMesh mesh, final TwinEventStream stream, final DemoPlant plant,
            final Set<String> machines, final Set<String> production) {
        final RunningShopFloor floor = mesh.shopFloor().orElseThrow(() -> new IllegalStateException(
                "the scenario's mesh started without its shop floor; see the log above"));
        stream.open(mesh.apiBase(), LaunchOptions.DEV_USER, LaunchOptions.DEV_PASSWORD);
        final URI mesApi = floor.mesBridges().stream().map(b -> b.apiUri().orElse(null)).filter(Objects::nonNull)
                .findFirst().orElseThrow(() -> new IllegalStateException("no MES API runs; see the log above"));
        final int created = createOrders(mesApi, plant, production);
        final URI erpBase = URI.create(floor.erp().orElseThrow().baseUri().toString());
        out.accept(String.format(Locale.ROOT, "%-8s mesh up (twin API %s), %d orders created through the MES API; "
                + "warming up for %d s", mode.label(), mesh.apiBase(), created, settings.warmUp().toSeconds()));
        sleep(settings.warmUp());

        final long accepted0 = accepted(floor);
        final var ingested0 = floor.ingestion().orElseThrow().counters();
        final Instant plantStart = floor.simulator().plantTime();
        final long start = System.nanoTime();
        final long end = start + settings.duration().toNanos();
        measureFrom = start;
        measureUntil = end;
        stream.measure(start, end);
        probe.startMeasuring(plantStart);
        final Resources resources = new Resources();
        resources.start();
        final Map<String, long[]> agree = new LinkedHashMap<>();
        for (final String kind : List.of(KIND_MACHINE, KIND_ORDER, KIND_STOCK)) {
            agree.put(kind, new long[2]);
        }
        final List<double[]> series = new ArrayList<>();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        long nextSample = start;
        while (System.nanoTime() < end) {
            final long now = System.nanoTime();
            if (now >= nextSample) {
                final double share = sample(stream, machines, erpBase, agree);
                series.add(new double[] {(now - start) / 1e9, share});
                resources.sample(accepted(floor) - floor.ingestion().orElseThrow().counters().received(),
                        floor.gateways().stream().mapToLong(g -> g.counters().buffered()).sum());
                nextSample += settings.sampleInterval().toNanos();
            }
            if (now >= nextProgress) {
                progress(floor, stream, start, accepted0, agree);
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            sleep(Duration.ofMillis(Math.max(1, Math.min(nextSample, nextProgress) - System.nanoTime()) / 1_000_000
                    + 1));
        }
        final Instant plantEnd = floor.simulator().plantTime();
        probe.stopMeasuring(plantEnd);
        resources.stop();
        final long accepted1 = accepted(floor);
        final long good = probe.goodInWindow();
        final long faults = probe.faultsInWindow();
        final double plantSeconds = Duration.between(plantStart, plantEnd).toMillis() / 1000.0;
        double capacity = 0;
        for (final String m : production) {
            final Duration cycle = cycles.get(m);
            if (cycle != null) {
                capacity += plantSeconds / (cycle.toMillis() / 1000.0);
            }
        }
        out.accept(String.format(Locale.ROOT, "%-8s measured window over; stopping the devices and waiting for the "
                + "messages and postings in flight", mode.label()));
        floor.simulator().close();
        final long[] messages = drainMessages(floor, accepted0, ingested0);
        final ModeResult.Books books = drainBooks(stream, erpBase);
        final Map<String, Long> mes = new TreeMap<>();
        for (final MesBridge bridge : floor.mesBridges()) {
            bridge.counters().snapshot().forEach((k, v) -> mes.merge(k, v, Long::sum));
        }
        final Map<String, Double> consistency = new LinkedHashMap<>();
        final Map<String, Long> pairs = new LinkedHashMap<>();
        long all = 0;
        long allAgree = 0;
        for (final var e : agree.entrySet()) {
            pairs.put(e.getKey(), e.getValue()[1]);
            consistency.put(e.getKey(), e.getValue()[1] == 0 ? Double.NaN : (double) e.getValue()[0]
                    / e.getValue()[1]);
            all += e.getValue()[1];
            allAgree += e.getValue()[0];
        }
        pairs.put(KIND_ALL, all);
        consistency.put(KIND_ALL, all == 0 ? Double.NaN : (double) allAgree / all);
        final double hours = settings.duration().toMillis() / 3_600_000.0;
        final ModeResult result = new ModeResult(mode, latencies.summaries(), latencies.raw(), good, capacity,
                production.size(), plantSeconds / 3600.0, consistency, pairs, series, messages[0], messages[1],
                messages[2], messages[3], messages[4], (accepted1 - accepted0) / hours, books, faults, mes, requisitions(mesh),
                probe.scrapInWindow(), probe.overproducedInWindow(), probe.machineTime(),
                new ModeResult.Load(resources.processPercent(), resources.cpuPercent(), resources.ingestionLag()[0],
                        resources.ingestionLag()[1], resources.gatewayBuffers()[0], resources.gatewayBuffers()[1]));
        out.accept(String.format(Locale.ROOT, "%-8s done: efficiency %.1f %%, consistency %.1f %%, %d latency "
                + "samples; device messages %d, consumed by twin ingestion %d, applied %d, dead-lettered %d; books %s",
                mode.label(), 100 * result.efficiency(), 100 * consistency.get(KIND_ALL), latencies.count(),
                messages[0], messages[1], messages[2], messages[3], books.exact() ? "exact" : "NOT exact"));
        return result;
    }

    static final String KIND_MACHINE = "machine state";
    static final String KIND_ORDER = "order progress";
    static final String KIND_STOCK = "stock on hand";
    static final String KIND_ALL = "all";

    /** One consistency sample; returns the share of agreeing pairs in it. */
    private double sample(final TwinEventStream stream, final Set<String> machines, final URI erpBase,
            final Map<String, long[]> agree) {
        long n = 0;
        long ok = 0;
        final Map<String, String> device = probe.states();
        for (final String m : machines) {
            final String d = device.get(m);
            final boolean same = d != null && d.equals(stream.machineState(m)) && d.equals(mesStates.get(m));
            count(agree, KIND_MACHINE, same);
            n++;
            ok += same ? 1 : 0;
        }
        for (final var e : stream.orders().entrySet()) {
            final TwinEventStream.OrderView v = e.getValue();
            final long d = probe.order(e.getKey()).good();
            final boolean done = "COMPLETED".equals(v.status) && v.received >= v.good;
            if (d == 0 || done) {
                continue;
            }
            final long step = Math.max(1, (long) Math.ceil(0.05 * v.quantity));
            final boolean same = "COMPLETED".equals(v.status) ? false
                    : v.good >= d - 1 && v.received >= Math.min(v.good, d) - step - 1;
            count(agree, KIND_ORDER, same);
            n++;
            ok += same ? 1 : 0;
        }
        final Map<String, Double> erp = erpStock(erpBase);
        if (erp != null) {
            for (final var e : stream.stock().entrySet()) {
                final Double inErp = erp.get(e.getKey().substring(e.getKey().indexOf(":mat-") + 5));
                final boolean same = inErp != null && Math.abs(inErp - e.getValue()) < 1e-6;
                count(agree, KIND_STOCK, same);
                n++;
                ok += same ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) ok / n;
    }

    private static void count(final Map<String, long[]> agree, final String kind, final boolean same) {
        final long[] c = agree.get(kind);
        c[1]++;
        if (same) {
            c[0]++;
        }
    }

    private void progress(final RunningShopFloor floor, final TwinEventStream stream, final long start,
            final long accepted0, final Map<String, long[]> agree) {
        final long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
        long n = 0;
        long ok = 0;
        for (final long[] c : agree.values()) {
            ok += c[0];
            n += c[1];
        }
        out.accept(String.format(Locale.ROOT, "%-8s %s / %s  device messages %d  twin events %d  latencies "
                + "measured %d  good pieces %d  consistency %.1f %%", mode.label(), clock(elapsed),
                clock(settings.duration().toSeconds()), accepted(floor) - accepted0, stream.events(),
                latencies.count(), probe.goodInWindow(), n == 0 ? 0.0 : 100.0 * ok / n));
    }

    private static String clock(final long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    static String human(final Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    private static long accepted(final RunningShopFloor floor) {
        final var m = floor.ingress().metrics();
        return m.telemetryAccepted() + m.eventsAccepted();
    }

    /**
     * Waits (bounded) until twin ingestion consumed every message the ingress accepted and applied what it consumed;
     * returns, from the window's start on: accepted, consumed, applied (or duplicates), dead-lettered (or expired);
     * and the dead-lettered before the window.
     */
    private long[] drainMessages(final RunningShopFloor floor, final long accepted0,
            final io.plantmesh.devices.ingestion.IngestionCounters.Snapshot before) {
        final var ingestion = floor.ingestion().orElseThrow();
        final BooleanSupplier drained = () -> {
            final var c = ingestion.counters();
            final boolean buffers = floor.gateways().stream().allMatch(g -> g.counters().buffered() == 0);
            return buffers && c.received() >= accepted(floor);
        };
        waitUntil(drained, Duration.ofSeconds(60));
        waitUntil(() -> {
            final var c = ingestion.counters();
            return c.applied() + c.duplicates() + c.deadLettered() + c.expired() >= c.received();
        }, Duration.ofSeconds(30));
        final var c = ingestion.counters();
        return new long[] {accepted(floor) - accepted0, c.received() - before.received(),
            c.applied() + c.duplicates() - before.applied() - before.duplicates(),
            c.deadLettered() + c.expired() - before.deadLettered() - before.expired(),
            before.deadLettered() + before.expired()};
    }

    /** Waits (bounded) until every completed order is fully received in the ERP, then reads the ERP's books. */
    private ModeResult.Books drainBooks(final TwinEventStream stream, final URI erpBase) {
        final Duration wait = Duration.ofSeconds(60).plus(mode == ScenarioMode.BASELINE
                ? settings.wall(settings.erpBatch()).multipliedBy(2).plus(settings.wall(settings.mesPoll())
                        .multipliedBy(2)) : Duration.ZERO);
        final long deadline = System.nanoTime() + wait.toNanos();
        final boolean drained = waitUntil(() -> stream.orders().values().stream()
                .filter(v -> "COMPLETED".equals(v.status)).allMatch(v -> v.received >= v.good), wait);
        // postings of running orders may be in flight (made by the ERP, not yet recorded): read until the books
        // agree or the wait is over
        ModeResult.Books books = books(stream, erpBase, drained);
        while (!books.exact() && System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(1));
            books = books(stream, erpBase, drained);
        }
        return books;
    }

    private ModeResult.Books books(final TwinEventStream stream, final URI erpBase, final boolean drained) {
        final Map<String, TwinEventStream.OrderView> orders = stream.orders();
        final Map<String, Double> received = new HashMap<>();
        long erpItems = 0;
        try {
            for (final JsonObject item : odataAll(erpBase, "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem",
                    "Plant eq '" + DemoPlant.DEFAULT_PLANT + "'")) {
                final String order = item.getString("ManufacturingOrder", "");
                if (order.isEmpty()) {
                    continue;
                }
                erpItems++;
                if ("101".equals(item.getString("GoodsMovementType"))) {
                    received.merge(order, Double.parseDouble(String.valueOf(item.getValue("QuantityInEntryUnit"))),
                            Double::sum);
                }
            }
        } catch (final RuntimeException e) {
            LOG.warn("Reading the ERP's material documents failed: {}", e.getMessage());
            return new ModeResult.Books(0, -1, 0, 0, 0, 0, 0, 0, false);
        }
        long twinItems = 0;
        int completed = 0;
        double erpReceived = 0;
        long deviceGood = 0;
        long twinGood = 0;
        int mismatched = 0;
        int deviceMismatched = 0;
        for (final var e : orders.entrySet()) {
            twinItems += e.getValue().documentItems;
            if (!"COMPLETED".equals(e.getValue().status)) {
                continue;
            }
            completed++;
            final double r = received.getOrDefault(e.getKey(), 0.0);
            final long d = probe.order(e.getKey()).good();
            erpReceived += r;
            deviceGood += d;
            twinGood += e.getValue().good;
            if (Math.abs(r - e.getValue().good) > 1e-6) {
                mismatched++;
            }
            if (d != e.getValue().good) {
                deviceMismatched++;
            }
        }
        return new ModeResult.Books(completed, erpItems, twinItems, erpReceived, twinGood, deviceGood, mismatched,
                deviceMismatched, drained);
    }

    private long requisitions(final RunningPlantMesh mesh) {
        try {
            final HttpRequest request = HttpRequest.newBuilder(URI.create(mesh.apiBase() + "/search/things?filter="
                    + URLEncoder.encode("exists(features/procurement)", StandardCharsets.UTF_8)
                    + "&fields=features/procurement/properties/requisitionsCreated&option=size(200)"))
                    .header("Authorization", basic(LaunchOptions.DEV_USER, LaunchOptions.DEV_PASSWORD))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            final JsonObject body = new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            long sum = 0;
            for (final Object item : body.getJsonArray("items", new JsonArray())) {
                final Object v = ((JsonObject) item).getJsonObject("features", new JsonObject())
                        .getJsonObject("procurement", new JsonObject()).getJsonObject("properties", new JsonObject())
                        .getValue("requisitionsCreated");
                sum += v instanceof Number n ? n.longValue() : 0;
            }
            return sum;
        } catch (final Exception e) {
            LOG.warn("Counting the purchase requisitions failed: {}", e.getMessage());
            return -1;
        }
    }

    /** The ERP's unrestricted stock per material of the plant, or null if it could not be read. */
    private Map<String, Double> erpStock(final URI erpBase) {
        try {
            final Map<String, Double> stock = new HashMap<>();
            for (final JsonObject row : odataAll(erpBase, "API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod",
                    "Plant eq '" + DemoPlant.DEFAULT_PLANT + "'")) {
                stock.merge(row.getString("Material"), Double.parseDouble(String.valueOf(
                        row.getValue("MatlWrhsStkQtyInMatlBaseUnit"))), Double::sum);
            }
            return stock;
        } catch (final RuntimeException e) {
            LOG.debug("Reading the ERP's stock failed: {}", e.getMessage());
            return null;
        }
    }

    private List<JsonObject> odataAll(final URI erpBase, final String set, final String filter) {
        final List<JsonObject> rows = new ArrayList<>();
        String next = erpBase + set + "?$format=json&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                .replace("+", "%20");
        int pages = 0;
        while (next != null && pages++ < 1000) {
            final JsonObject d;
            try {
                final HttpRequest request = HttpRequest.newBuilder(URI.create(next))
                        .header("Authorization", basic(ERP_USER, ERP_PASSWORD))
                        .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).GET().build();
                final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the ERP answered " + response.statusCode() + " to " + next
                            + ": " + response.body());
                }
                d = new JsonObject(response.body()).getJsonObject("d");
            } catch (final java.io.IOException e) {
                throw new IllegalStateException("the ERP at " + erpBase + " could not be read: " + e.getMessage(), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            final JsonArray results = d.getJsonArray("results", new JsonArray());
            for (int i = 0; i < results.size(); i++) {
                rows.add(results.getJsonObject(i));
            }
            final String more = d.getString("__next");
            next = more == null ? null : more.startsWith("http") ? more : erpBase + more;
        }
        return rows;
    }

    /**
     * The seeded orders, the same in both modes: per line, enough for {@value #ORDER_COVER} times the line's capacity
     * over warm-up and window, each about {@code orderWork} of one machine's work, copying material, capability and bill of
     * materials (per piece) from the line's demo orders.
     */
    private int createOrders(final URI mesApi, final DemoPlant plant, final Set<String> production) {
        final Random random = new Random(settings.seed() * 31 + 7);
        final Map<String, List<WorkOrderTwin>> templates = new TreeMap<>();
        for (final WorkOrderTwin o : plant.workOrders()) {
            templates.computeIfAbsent(o.line().toString(), l -> new ArrayList<>()).add(o);
        }
        final double plantSeconds = (settings.duration().toMillis() + settings.warmUp().toMillis()) / 1000.0
                * settings.timeScale();
        final Map<String, List<String>> productionByLine = new TreeMap<>();
        for (final MachineTwin m : plant.machines()) {
            if (production.contains(m.id().toString())) {
                productionByLine.computeIfAbsent(m.line().toString(), l -> new ArrayList<>()).add(m.id().toString());
            }
        }
        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int created = 0;
        for (final var entry : productionByLine.entrySet()) {
            final List<WorkOrderTwin> lineTemplates = templates.getOrDefault(entry.getKey(), List.of());
            if (lineTemplates.isEmpty()) {
                continue;
            }
            double pieces = 0;
            double cycleSum = 0;
            for (final String m : entry.getValue()) {
                final double cycle = cycles.getOrDefault(m, Duration.ofSeconds(60)).toMillis() / 1000.0;
                pieces += plantSeconds / cycle;
                cycleSum += cycle;
            }
            final double meanCycle = cycleSum / entry.getValue().size();
            final long quantity = Math.max(10, Math.min(500, Math.round(settings.orderWork().toSeconds() / meanCycle)));
            final int count = (int) Math.ceil(pieces * ORDER_COVER / quantity);
            final int line = lineNumber(entry.getKey());
            for (int i = 0; i < count; i++) {
                final WorkOrderTwin template = lineTemplates.get(random.nextInt(lineTemplates.size()));
                final JsonArray bom = new JsonArray();
                for (final WorkOrderTwin.BomItem item : template.billOfMaterials()) {
                    bom.add(new JsonObject().put("material", item.material())
                            .put("quantity", item.quantity() / template.quantity() * quantity)
                            .put("unit", item.unit()));
                }
                final JsonObject body = new JsonObject()
                        .put("id", plant.plant() + ":wo-" + (800_000 + line * 10_000 + i))
                        .put("material", template.material())
                        .put("quantity", quantity)
                        .put("dueDate", now.plus(Duration.ofMinutes(30 + random.nextInt(24 * 60))).toString())
                        .put("line", entry.getKey())
                        .put("priority", 1 + random.nextInt(5))
                        .put("billOfMaterials", bom);
                if (template.requiredCapability() != null) {
                    body.put("requiredCapability", template.requiredCapability());
                }
                if (template.operation() != null) {
                    body.put("operation", template.operation());
                }
                post(mesApi.resolve(mesApi.getPath() + "/work-orders"), body);
                probe.quantity(body.getString("id"), quantity);
                created++;
            }
        }
        return created;
    }

    private void post(final URI uri, final JsonObject body) {
        try {
            final HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("The MES API refused a scenario order (" + response.statusCode()
                        + "): " + response.body() + " for " + body.encode());
            }
        } catch (final java.io.IOException e) {
            throw new IllegalStateException("The MES API at " + uri + " could not be reached: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating orders", e);
        }
    }

    private static String basic(final String user, final String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Polls {@code condition} every 200 ms until it holds or {@code atMost} passed; returns whether it held. */
    private static boolean waitUntil(final BooleanSupplier condition, final Duration atMost) {
        final long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(Duration.ofMillis(200));
        }
        return condition.getAsBoolean();
    }

    private static void sleep(final Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scenario was interrupted", e);
        }
    }
}
