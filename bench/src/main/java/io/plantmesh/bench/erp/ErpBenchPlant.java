package io.plantmesh.bench.erp;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.erp.embedded.EmbeddedErp;
import io.plantmesh.erp.embedded.ErpConfig;
import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Everything the ERP bridge works between, in this JVM on 127.0.0.1 with free ports and a temporary data directory:
 * the durable embedded store, the twin server (user {@code ditto}/{@code ditto}) and the embedded ERP on the same
 * store (database {@code plantmesh_erp}), with the bench's material master: the product {@value #PRODUCT} and its two
 * components, plus the materials of the direct OData load in a plant of their own, all with stock enough for any
 * run. Also the twin writes
 * the benchmark makes as "the MES" (orders created running, completions), over the twin server's HTTP API.
 */
final class ErpBenchPlant implements AutoCloseable {

    static final String PRODUCT = "FG-B100";
    static final String COMPONENT_PIECES = "RM-B200";
    static final String COMPONENT_KG = "RM-B300";
    /** Pieces per order, the good and scrap pieces reported before completion and at completion. */
    static final int ORDER_QUANTITY = 50;
    static final long GOOD_BEFORE = 40;
    static final long SCRAP_BEFORE = 2;
    static final long GOOD_AT_COMPLETION = 50;
    static final long SCRAP_AT_COMPLETION = 3;
    /** Postings an order gets before completion and at completion: confirmation, two 261, one 101. */
    static final int POSTINGS_PER_STEP = 4;

    private static final BigDecimal PLENTY = new BigDecimal("1000000000");
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    private final Path dir;
    private final String plant;
    private EmbeddedMongoServer store;
    private TwinServer server;
    private EmbeddedErp erp;
    private WebClient web;
    private int port;

    private ErpBenchPlant(Path dir, String plant) {
        this.dir = dir;
        this.plant = plant;
    }

    /** Starts store, twin server and ERP; the caller must close the plant, which also deletes its data. */
    static ErpBenchPlant start(Vertx vertx, String plant, String loadPlant, int machines) throws IOException {
        ErpBenchPlant p = new ErpBenchPlant(Files.createTempDirectory("plantmesh-erp-bench"), plant);
        try {
            p.store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(p.dir.resolve("store")));
            p.store.start();
            p.server = TwinServer.create(TwinServerConfig.defaults(p.store.connectionString()).withPort(0)
                    .withUsers(Map.of("ditto", "ditto"), null));
            p.port = p.server.start();
            ErpConfig.Builder config = ErpConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .mongoUri(p.store.connectionString())
                    .database(ErpConfig.DEFAULT_DATABASE)
                    .material(MaterialMaster.of(PRODUCT, plant, "PC", new BigDecimal("48")))
                    .material(MaterialMaster.of(COMPONENT_PIECES, plant, "PC", new BigDecimal("1.2"))
                            .withInitialStock(PLENTY))
                    .material(MaterialMaster.of(COMPONENT_KG, plant, "KG", new BigDecimal("3.8"))
                            .withInitialStock(PLENTY))
                    .material(MaterialMaster.of(ODataLoad.PRODUCT, loadPlant, "PC", new BigDecimal("48")))
                    .material(MaterialMaster.of(ODataLoad.COMPONENT, loadPlant, "PC", new BigDecimal("1.2"))
                            .withInitialStock(PLENTY));
            for (int m = 1; m <= machines; m++) {
                config.workCenter(new WorkCenter(machine(plant, m).toString(), plant, "CC-L1", new BigDecimal("85")));
            }
            p.erp = EmbeddedErp.create(config.build(), vertx).start();
            p.web = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(32).setKeepAlive(true));
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    static ThingId machine(String plant, int m) {
        return PlantThingIds.machine(plant, 1, m);
    }

    String mongoUri() {
        return store.connectionString();
    }

    URI wsEndpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/2");
    }

    int twinPort() {
        return port;
    }

    URI erpBase() {
        return erp.baseUri();
    }

    String erpUser() {
        return erp.config().user();
    }

    String erpPassword() {
        return erp.config().password();
    }

    String plant() {
        return plant;
    }

    /** The material twins of the product and its components (no reorder point: the run creates no requisitions). */
    void provisionMaterials() throws Exception {
        List<Thing> things = new ArrayList<>();
        for (String material : List.of(PRODUCT, COMPONENT_PIECES, COMPONENT_KG)) {
            String unit = material.equals(COMPONENT_KG) ? "KG" : "PC";
            things.add(MaterialTwin.initial(PlantThingIds.material(plant, material), unit, plant, "0001", null, null)
                    .toThing());
        }
        put(things);
    }

    /**
     * A RUNNING order on machine {@code (n % machines) + 1} with {@value #GOOD_BEFORE} good and {@value #SCRAP_BEFORE}
     * scrap pieces reported, nothing posted yet: the bridge posts a confirmation, two component issues and a receipt.
     */
    WorkOrderTwin runningOrder(long number, int machines, Instant at) {
        ThingId id = PlantThingIds.workOrder(plant, number);
        ThingId line = PlantThingIds.line(plant, 1);
        List<WorkOrderTwin.BomItem> bom = List.of(
                new WorkOrderTwin.BomItem(COMPONENT_PIECES, 2.0 * ORDER_QUANTITY, "PC"),
                new WorkOrderTwin.BomItem(COMPONENT_KG, 0.5 * ORDER_QUANTITY, "KG"));
        return WorkOrderTwin.initial(id, PRODUCT, ORDER_QUANTITY, at.plus(Duration.ofDays(7)), line, 5, bom,
                        at.minusSeconds(600))
                .dispatchTo(machine(plant, (int) (number % machines) + 1), at.minusSeconds(590))
                .withStatus(WorkOrderStatus.RUNNING, at.minusSeconds(580), null)
                .withProgress(new WorkOrderTwin.Progress(GOOD_BEFORE, SCRAP_BEFORE, null, at));
    }

    /** Writes things over HTTP (PUT), at most 16 in flight; returns when all are written. */
    void put(List<Thing> things) throws Exception {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Thing thing : things) {
            inFlight.acquire();
            ThingId id = thing.getEntityId().orElseThrow();
            CompletableFuture<Void> write = send("PUT", "/things/" + id, thing.toJson().toString(),
                    "application/json").toCompletionStage().toCompletableFuture()
                    .whenComplete((r, e) -> inFlight.release())
                    .thenAccept(r -> requireSuccess("PUT " + id, r));
            writes.add(write);
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    /**
     * Completes a running order as the MES does: the final progress ({@value #GOOD_AT_COMPLETION} good,
     * {@value #SCRAP_AT_COMPLETION} scrap) and status COMPLETED in one merge.
     */
    Future<HttpResponse<Buffer>> complete(WorkOrderTwin running, Instant at) {
        WorkOrderTwin completed = running.withProgress(new WorkOrderTwin.Progress(GOOD_AT_COMPLETION,
                SCRAP_AT_COMPLETION, null, at)).withStatus(WorkOrderStatus.COMPLETED, at, null);
        String patch = "{\"features\":{\"status\":{\"properties\":" + completed.status().toJson() + "},"
                + "\"progress\":{\"properties\":" + completed.progress().toJson() + "}}}";
        return send("PATCH", "/things/" + running.id(), patch, "application/merge-patch+json");
    }

    /** GET on the twin server's HTTP API (e.g. a search count). */
    Future<HttpResponse<Buffer>> get(String pathAndQuery) {
        return web.get(port, "127.0.0.1", "/api/2" + pathAndQuery).putHeader("Authorization", AUTH)
                .timeout(60_000).send();
    }

    private Future<HttpResponse<Buffer>> send(String method, String path, String body, String contentType) {
        return web.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", "/api/2" + path)
                .putHeader("Authorization", AUTH)
                .putHeader("Content-Type", contentType)
                .timeout(30_000)
                .sendBuffer(Buffer.buffer(body));
    }

    static void requireSuccess(String what, HttpResponse<Buffer> r) {
        boolean ok = r.statusCode() / 100 == 2;
        if (!ok) {
            throw new IllegalStateException(what + " was refused by the twin server: " + r.statusCode() + " "
                    + r.bodyAsString() + " (the benchmark's twins no longer match the Thing Models; update "
                    + "ErpBenchPlant)");
        }
    }

    @Override
    public void close() {
        if (web != null) {
            web.close();
        }
        if (erp != null) {
            erp.close();
        }
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
