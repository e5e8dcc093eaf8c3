package io.plantmesh.bench.mes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * The twins the MES bridges work on, all in this JVM on 127.0.0.1 with free ports and a temporary data directory: the
 * durable embedded store, the twin server (user {@code ditto}/{@code ditto}), and a plant of lines, machines that can
 * mill and RELEASED work orders, provisioned over the twin server's HTTP API like any other client would. Also the
 * HTTP writes the benchmark makes as "the machine's connectivity" (state changes).
 */
public final class MesBenchPlant implements AutoCloseable {

    static final String CAPABILITY = "milling";
    /** Ideal cycle time of every machine: with 10,000 pieces an order takes about a week, so none completes. */
    static final double IDEAL_CYCLE_MS = 60_000.0;
    static final double ORDER_QUANTITY = 10_000;

    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedMongoServer store;
    private TwinServer server;
    private int port;

    private MesBenchPlant(Path dir) {
        this.dir = dir;
    }

    /** Starts the store and the twin server; the caller must close the plant, which also deletes its data. */
    public static MesBenchPlant start() throws IOException {
        MesBenchPlant plant = new MesBenchPlant(Files.createTempDirectory("plantmesh-mes-bench"));
        try {
            plant.store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(plant.dir.resolve("store")));
            plant.store.start();
            plant.server = TwinServer.create(TwinServerConfig.defaults(plant.store.connectionString()).withPort(0)
                    .withUsers(Map.of("ditto", "ditto"), null));
            plant.port = plant.server.start();
            return plant;
        } catch (RuntimeException e) {
            plant.close();
            throw e;
        }
    }

    public String mongoUri() {
        return store.connectionString();
    }

    public URI wsEndpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/2");
    }

    public int port() {
        return port;
    }

    /**
     * Writes {@code lines} lines of {@code machinesPerLine} IDLE machines and {@code ordersPerLine} RELEASED orders
     * per line (priority 1..9, due within 14 days, released within the last 8 hours, from a seeded random), at most
     * 16 requests in flight.
     */
    public PlantLayout provision(String namespace, int lines, int machinesPerLine, int ordersPerLine, long seed)
            throws Exception {
        Map<ThingId, List<ThingId>> machinesByLine = new LinkedHashMap<>();
        Map<ThingId, ThingId> lineOfOrder = new LinkedHashMap<>();
        Instant now = Instant.now();
        Random random = new Random(seed);
        Instant dueBase = now.truncatedTo(ChronoUnit.DAYS).plus(7, ChronoUnit.DAYS);
        List<Thing> things = new ArrayList<>();
        int orderNumber = 0;
        for (int l = 1; l <= lines; l++) {
            ThingId line = PlantThingIds.line(namespace, l);
            List<ThingId> machines = new ArrayList<>();
            for (int m = 1; m <= machinesPerLine; m++) {
                ThingId id = PlantThingIds.machine(namespace, l, m);
                machines.add(id);
                things.add(MachineTwin.initial(id, line, "Mill " + l + "-" + m,
                                DeviceBinding.hono(namespace, id.toString()), now)
                        .withCapabilities(List.of(CAPABILITY), IDEAL_CYCLE_MS).toThing());
            }
            machinesByLine.put(line, List.copyOf(machines));
            things.add(LineTwin.initial(line, "Line " + l, "1000", machines).toThing());
            for (int o = 0; o < ordersPerLine; o++) {
                ThingId id = PlantThingIds.workOrder(namespace, ++orderNumber);
                lineOfOrder.put(id, line);
                Instant due = dueBase.plus(random.nextInt(14 * 24), ChronoUnit.HOURS);
                Instant released = now.minus(1 + random.nextInt(8 * 60), ChronoUnit.MINUTES);
                things.add(WorkOrderTwin.initial(id, "FG-" + (1 + random.nextInt(20)), ORDER_QUANTITY, due, line,
                        1 + random.nextInt(9), List.of(), released).withRouting("10", CAPABILITY).toThing());
            }
        }
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Thing thing : things) {
            inFlight.acquire();
            ThingId id = thing.getEntityId().orElseThrow();
            writes.add(sendAsync("PUT", "/things/" + id, thing.toJson().toString(), "application/json")
                    .whenComplete((r, e) -> inFlight.release())
                    .thenAccept(r -> requireSuccess("PUT " + id, r)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return new PlantLayout(namespace, machinesByLine, lineOfOrder);
    }

    /** Sets a machine's state as its connectivity would; returns when the twin server has persisted it. */
    public void machineState(ThingId machine, String state, String reason) throws Exception {
        machineStateAsync(machine, state, reason).get(30, TimeUnit.SECONDS);
    }

    /** Sets a machine's state; completes when the twin server has answered that it persisted it. */
    public CompletableFuture<Void> machineStateAsync(ThingId machine, String state, String reason) {
        String body = "{\"state\":\"" + state + "\",\"since\":\"" + Instant.now() + "\",\"reason\":\"" + reason
                + "\"}";
        return sendAsync("PATCH", "/things/" + machine + "/features/state/properties", body,
                "application/merge-patch+json").thenAccept(r -> requireSuccess("PATCH state of " + machine, r));
    }

    /** Merges a patch into a thing (what a machine reports). */
    public CompletableFuture<HttpResponse<String>> mergeAsync(ThingId thing, String patch) {
        return sendAsync("PATCH", "/things/" + thing, patch, "application/merge-patch+json");
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, String body,
            String contentType) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/2" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", AUTH)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    static void requireSuccess(String what, HttpResponse<String> r) {
        boolean ok = r.statusCode() / 100 == 2;
        if (!ok) {
            throw new IllegalStateException(what + " was refused by the twin server: " + r.statusCode() + " "
                    + r.body() + " (the benchmark's twins no longer match the Thing Models; update MesBenchPlant)");
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + dir + ": " + e);
        }
    }
}
