package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.mes.MesBridge;

/**
 * The demo plant's orders flowing through the whole embedded footprint, as {@code ./plantmesh up} runs it: the MES
 * bridge dispatches line 2's released orders, the simulated machines (OPC-UA through the gateway, and MQTT) start
 * them, their pieces complete orders, and faults of the simulated machines make the MES move orders elsewhere; the ERP
 * bridge books the completed orders' goods receipts in the embedded ERP. Plant time runs 600 times as fast, and the
 * machines fail every few plant-minutes, so this happens within a minute or two.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MesFlowIT {

    private static final Duration WAIT = Duration.ofSeconds(150);

    @TempDir
    static Path dataDir;

    private RunningPlantMesh running;
    private TwinHttp http;

    @BeforeAll
    void start() {
        ShopFloorOptions floor = ShopFloorOptions.forTests()
                .withMachines(id -> id.startsWith("plant1:machine-2-"))
                .withDispatchJobs(true)
                .withTimeScale(600)
                .withErpPort(0)
                .withMaintenance(true)
                .withProfileTuning(p -> p.withMtbf(Duration.ofMinutes(40)).withMttr(Duration.ofMinutes(20)));
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(floor),
                LaunchListener.silent());
        http = new TwinHttp(running.httpPort());
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void ordersAreDispatchedRunCompletedAndMovedWhenMachinesFault() throws Exception {
        List<MesBridge> bridges = running.shopFloor().orElseThrow().mesBridges();
        assertThat(bridges).extracting(b -> b.config().instanceId()).containsExactly("mes-2");
        MesBridge mes = bridges.get(0);

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(orders("RUNNING") + orders("COMPLETED")).as("orders running or completed").isPositive();
            assertThat(orders("COMPLETED")).as("completed orders of line 2").isPositive();
            assertThat(mes.counters().get("orders.redispatched") + mes.counters().get("orders.released"))
                    .as("orders moved off a faulted machine").isPositive();
        });
        // every completed order has as many good pieces as it asked for, counted from its machines
        for (JsonValue item : search("COMPLETED")) {
            JsonObject order = item.asObject();
            double quantity = order.getValue("attributes/quantity").orElseThrow().asDouble();
            long good = order.getValue("features/progress/properties/good").orElseThrow().asLong();
            assertThat(good).as(order.getValue("thingId").orElseThrow().asString()).isGreaterThanOrEqualTo(
                    (long) quantity);
        }
        // the ERP bridge books what the completed orders produced: goods receipts (101) equal to their good pieces
        String completed = search("COMPLETED").get(0).orElseThrow().asObject().getValue("thingId").orElseThrow()
                .asString();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonObject order = get("/things/" + completed);
            long good = order.getValue("features/progress/properties/good").orElseThrow().asLong();
            double received = 0;
            for (JsonValue m : order.getValue("features/erp/properties/goodsMovements").map(JsonValue::asArray)
                    .orElse(JsonArray.empty())) {
                if ("101".equals(m.asObject().getValue("movementType").map(JsonValue::asString).orElse(""))) {
                    received += m.asObject().getValue("quantity").orElseThrow().asDouble();
                }
            }
            assertThat(received).as("goods receipts of " + completed).isEqualTo((double) good);
        });
        // the line twin's schedule lists what is dispatched or running
        JsonObject line = get("/things/plant1:line-2");
        assertThat(line.getValue("features/schedule/properties/queue")).isPresent();
        assertThat(mes.counters().get("writes.failed")).isZero();
        // the maintenance service follows the machines and writes their health (the demo plant's model learns first)
        assertThat(running.shopFloor().orElseThrow().maintenance()).isPresent();
        String assessed = "and(eq(attributes/line,\"plant1:line-2\"),exists(features/health/properties/modelState))";
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(get(
                "/search/things?filter=" + URLEncoder.encode(assessed, StandardCharsets.UTF_8)).getValue("items")
                .orElseThrow().asArray()).as("machines of line 2 with a health assessment").isNotEmpty());
    }

    private long orders(String status) throws Exception {
        return search(status).getSize();
    }

    private JsonArray search(String status) throws Exception {
        String filter = "and(eq(attributes/line,\"plant1:line-2\"),eq(features/status/properties/status,\"" + status
                + "\"))";
        JsonObject result = get("/search/things?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + "&option=size(200)");
        return result.getValue("items").orElseThrow().asArray();
    }

    private JsonObject get(String path) throws Exception {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JsonObject.of(response.body());
    }
}
