package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import io.plantmesh.mes.support.TestPlant;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

/**
 * The MES API against a real twin server: every endpoint over HTTP, every outcome checked in the twins as well.
 * Each test uses its own order ids, so the tests do not depend on each other's order.
 */
class MesApiIT {

    private static final ThingId LINE_1 = PlantThingIds.line("plant1", 1);
    private static final ThingId LINE_2 = PlantThingIds.line("plant1", 2);
    private static final ThingId MACHINE_1_01 = PlantThingIds.machine("plant1", 1, 1);
    private static final ThingId MACHINE_2_01 = PlantThingIds.machine("plant1", 2, 1);
    private static final PolicyId ORDERS_POLICY = PolicyId.of("plant1", "orders");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestPlant twinServer;
    private static TwinAccess twins;
    private static Vertx vertx;
    private static MesApi api;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        // mes-bridge has no logback-test.xml: keep the Ditto client's debug output out of the test log
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
        twinServer = TestPlant.start();
        http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        putOrdersPolicy();
        twins = TwinAccess.connect(twinServer.wsEndpoint(), "ditto", "ditto", TIMEOUT);
        vertx = Vertx.vertx();
        api = MesApi.create(vertx, twins, MesApiConfig.defaults(ORDERS_POLICY),
                () -> Map.of("reconciliations", 7L, "orders.dispatched", 2L));
        final int port = api.start("127.0.0.1", 0);
        assertThat(port).isPositive();
        base = api.baseUri().toString();
        assertThat(base).isEqualTo("http://127.0.0.1:" + port + "/api/mes/v1");
        createTwin(LineTwin.initial(LINE_1, "Line 1", "1000", List.of(MACHINE_1_01)).toThing());
        createTwin(LineTwin.initial(LINE_2, "Line 2", "1000", List.of(MACHINE_2_01)).toThing());
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (twins != null) {
            twins.close();
        }
        if (twinServer != null) {
            twinServer.close();
        }
    }

    // ---- work orders ----

    @Test
    void createsAReleasedOrderUnderThePlantsPolicyAndRefusesADuplicate() throws Exception {
        final Reply created = post("/work-orders", newOrder("plant1:wo-000101", LINE_1));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("location")).isEqualTo("/api/mes/v1/work-orders/plant1:wo-000101");
        assertThat(created.text("/id")).isEqualTo("plant1:wo-000101");
        assertThat(created.text("/status/status")).isEqualTo("RELEASED");
        assertThat(created.json().getValue("quantity").orElseThrow().asInt()).isEqualTo(120);
        assertThat(created.json().getValue("actions").orElseThrow().asArray())
                .containsExactly(JsonValue.of("hold"), JsonValue.of("cancel"));

        final Thing thing = thing(PlantThingIds.workOrder("plant1", 101));
        assertThat(thing.getPolicyEntityId().map(Object::toString)).contains("plant1:orders");
        final WorkOrderTwin twin = WorkOrderTwin.fromThing(thing);
        assertThat(twin.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(twin.quantity()).isEqualTo(120.0);
        assertThat(twin.priority()).isEqualTo(3);
        assertThat(twin.requiredCapability()).isEqualTo("milling");
        assertThat(twin.billOfMaterials()).hasSize(1);

        final Reply duplicate = post("/work-orders", newOrder("plant1:wo-000101", LINE_1));
        assertError(duplicate, 409, "mes:workorder.exists");
        assertThat(duplicate.text("/message")).contains("plant1:wo-000101");
        assertThat(duplicate.header("location")).isNull();
    }

    @Test
    void createsAnOrderWithoutIdUnderTheNextFreeNumberOfThePlant() throws Exception {
        assertThat(post("/work-orders", newOrder("plant1:wo-000900", LINE_1)).status()).isEqualTo(201);

        final Reply first = post("/work-orders", newOrder(null, LINE_1));
        final Reply second = post("/work-orders", newOrder(null, LINE_1));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        final long firstNumber = number(first.text("/id"));
        assertThat(firstNumber).isGreaterThan(900);
        assertThat(number(second.text("/id"))).isEqualTo(firstNumber + 1);
        assertThat(first.header("location")).isEqualTo("/api/mes/v1/work-orders/" + first.text("/id"));
        assertThat(get("/work-orders/" + second.text("/id")).text("/status/status")).isEqualTo("RELEASED");
    }

    @Test
    void refusesInvalidOrdersWithAClearMessage() throws Exception {
        final Reply negative = post("/work-orders", newOrder("plant1:wo-000102", LINE_1)
                .replace("\"quantity\": 120", "\"quantity\": -1"));
        assertError(negative, 400, "wot:payload.validation.error");
        assertThat(negative.text("/message")).contains("/attributes/quantity: must be >= 0 but was -1");
        assertError(get("/work-orders/plant1:wo-000102"), 404, "mes:workorder.notfound");

        final Reply unknownLine = post("/work-orders", newOrder("plant1:wo-000102", PlantThingIds.line("plant1", 9)));
        assertError(unknownLine, 400, "mes:request.invalid");
        assertThat(unknownLine.text("/message")).contains("plant1:line-9");

        assertError(post("/work-orders", "{\"material\": "), 400, "mes:request.invalid");
        final Reply missing = post("/work-orders", "{\"material\": \"FG-1\"}");
        assertError(missing, 400, "mes:request.invalid");
        assertThat(missing.text("/message")).contains("'quantity' is missing");
    }

    @Test
    void holdsResumesAndCancelsAnOrderInTheTwin() throws Exception {
        final ThingId id = PlantThingIds.workOrder("plant1", 103);
        assertThat(post("/work-orders", newOrder(id.toString(), LINE_1)).status()).isEqualTo(201);

        final Reply held = post("/work-orders/" + id + "/hold", "{\"reason\": \"waiting for drawings\"}");
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.text("/status/status")).isEqualTo("HELD");
        assertThat(held.text("/status/reasonCode")).isEqualTo("MANUAL");
        WorkOrderTwin twin = WorkOrderTwin.fromThing(thing(id));
        assertThat(twin.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(twin.status().reasonCode()).isEqualTo("MANUAL");
        assertThat(twin.status().reason()).isEqualTo("waiting for drawings");
        assertThat(held.json().getValue("revision").orElseThrow().asLong())
                .isEqualTo(thing(id).getRevision().orElseThrow().toLong());

        final Reply resumed = post("/work-orders/" + id + "/resume", "");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.text("/status/status")).isEqualTo("RELEASED");
        twin = WorkOrderTwin.fromThing(thing(id));
        assertThat(twin.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(twin.status().reasonCode()).isNull();

        final Reply cancelled = post("/work-orders/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(WorkOrderTwin.fromThing(thing(id)).status().status()).isEqualTo(WorkOrderStatus.CANCELLED);

        final Reply again = post("/work-orders/" + id + "/cancel", "");
        assertError(again, 409, "mes:transition.illegal");
        assertThat(again.text("/message")).contains("CANCELLED -> CANCELLED").contains("CANCELLED is final");
        assertThat(WorkOrderTwin.fromThing(thing(id)).status().status()).isEqualTo(WorkOrderStatus.CANCELLED);
    }

    @Test
    void releaseLiftsOnlyAManualHoldAndResumeLiftsAQualityHold() throws Exception {
        final ThingId id = PlantThingIds.workOrder("plant1", 104);
        assertThat(post("/work-orders", newOrder(id.toString(), LINE_1)).status()).isEqualTo(201);
        // the MES puts the order on quality hold
        final WorkOrderTwin released = WorkOrderTwin.fromThing(thing(id));
        final WorkOrderTwin moved = released.withStatus(WorkOrderStatus.HELD, Instant.now(), "scrap rate 12 %");
        final WorkOrderTwin qualityHold = moved.withStatusEntry(moved.status().withReasonCode("QUALITY"));
        twins.merge(id, WorkOrders.statusPatch(released, qualityHold)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        final Reply release = post("/work-orders/" + id + "/release", "");
        assertError(release, 409, "mes:transition.illegal");
        assertThat(release.text("/message")).contains("QUALITY").contains("resume");

        final Reply resume = post("/work-orders/" + id + "/resume", "{\"reason\": \"parts checked\"}");
        assertThat(resume.status()).isEqualTo(200);
        assertThat(WorkOrderTwin.fromThing(thing(id)).status().status()).isEqualTo(WorkOrderStatus.RELEASED);

        assertError(post("/work-orders/" + id + "/release", ""), 409, "mes:transition.illegal");
        assertThat(post("/work-orders/" + id + "/hold", "").status()).isEqualTo(200);
        assertThat(post("/work-orders/" + id + "/release", "").text("/status/status")).isEqualTo("RELEASED");
        assertThat(WorkOrderTwin.fromThing(thing(id)).status().status()).isEqualTo(WorkOrderStatus.RELEASED);
    }

    @Test
    void readsAnOrderAndAnswers404ForAnUnknownOneAnd400ForABadId() throws Exception {
        assertThat(post("/work-orders", newOrder("plant1:wo-000107", LINE_1)).status()).isEqualTo(201);

        final Reply read = get("/work-orders/plant1:wo-000107");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("/material")).isEqualTo("FG-2001");
        assertThat(read.text("/line")).isEqualTo("plant1:line-1");

        assertError(get("/work-orders/plant1:wo-000199"), 404, "mes:workorder.notfound");
        assertError(get("/work-orders/plant1:line-1"), 400, "mes:request.invalid");
        assertError(post("/work-orders/plant1:wo-000199/hold", ""), 404, "mes:workorder.notfound");
        assertError(post("/work-orders/plant1:wo-000107/hold", "{\"why\": \"x\"}"), 400, "mes:request.invalid");
    }

    // ---- lines ----

    @Test
    void theScheduleShowsTheLineQueueWithEachOrdersState() throws Exception {
        assertThat(post("/work-orders", newOrder("plant1:wo-000105", LINE_1)).status()).isEqualTo(201);
        final WorkOrderTwin dispatched = planned(order(106, LINE_1, 80), MACHINE_1_01, Instant.parse(
                "2026-11-30T08:00:00Z")).withProgress(new WorkOrderTwin.Progress(12, 1));
        createTwin(dispatched.toThing());
        // the queue as the MES writes it
        final JsonObject queue = JsonObject.newBuilder().set("queue", JsonFactory.newArrayBuilder()
                .add(JsonObject.newBuilder().set("workOrder", "plant1:wo-000106").set("machine", "plant1:machine-1-01")
                        .set("plannedStart", "2026-11-30T08:00:00Z").set("plannedEnd", "2026-11-30T09:00:00Z")
                        .build())
                .add(JsonObject.newBuilder().set("workOrder", "plant1:wo-000105").build())
                .add(JsonObject.newBuilder().set("workOrder", "plant1:wo-000198").build())
                .build()).build();
        twins.merge(LINE_1, JsonObject.newBuilder().set("features", JsonObject.newBuilder().set("schedule",
                JsonObject.newBuilder().set("properties", queue).build()).build()).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        final Reply schedule = get("/lines/plant1:line-1/schedule");

        assertThat(schedule.status()).isEqualTo(200);
        assertThat(schedule.text("/line")).isEqualTo("plant1:line-1");
        assertThat(schedule.text("/name")).isEqualTo("Line 1");
        final JsonArray entries = schedule.json().getValue("queue").orElseThrow().asArray();
        assertThat(entries.getSize()).isEqualTo(3);
        final JsonObject first = entries.get(0).orElseThrow().asObject();
        assertThat(first.getValue("position").orElseThrow().asInt()).isEqualTo(1);
        assertThat(first.getValue("workOrder").orElseThrow().asString()).isEqualTo("plant1:wo-000106");
        assertThat(first.getValue("machine").orElseThrow().asString()).isEqualTo("plant1:machine-1-01");
        assertThat(first.getValue("status").orElseThrow().asString()).isEqualTo("DISPATCHED");
        assertThat(first.getValue("priority").orElseThrow().asInt()).isEqualTo(5);
        assertThat(first.getValue("quantity").orElseThrow().asInt()).isEqualTo(80);
        assertThat(first.getValue("dueDate").orElseThrow().asString()).isEqualTo("2026-12-01T16:00:00Z");
        assertThat(first.getValue(JsonPointer.of("/progress/good")).orElseThrow().asLong()).isEqualTo(12);
        assertThat(first.getValue(JsonPointer.of("/progress/scrap")).orElseThrow().asLong()).isEqualTo(1);
        final JsonObject second = entries.get(1).orElseThrow().asObject();
        assertThat(second.getValue("status").orElseThrow().asString()).isEqualTo("RELEASED");
        assertThat(second.getValue("priority").orElseThrow().asInt()).isEqualTo(3);
        final JsonObject gone = entries.get(2).orElseThrow().asObject();
        assertThat(gone.getValue("missing").orElseThrow().asBoolean()).isTrue();
        assertThat(gone.contains("status")).isFalse();
    }

    @Test
    void theScheduleOfAnUnknownLineIs404InDittosErrorShape() throws Exception {
        final Reply unknown = get("/lines/plant1:line-7/schedule");

        assertError(unknown, 404, "mes:line.notfound");
        assertThat(unknown.text("/message")).contains("plant1:line-7");
        assertError(get("/lines/plant1:wo-000001/schedule"), 400, "mes:request.invalid");
    }

    // ---- B2MML ----

    @Test
    void theB2mmlViewsHoldTheLinesOrdersWithTheirQuantities() throws Exception {
        assertThat(post("/work-orders", newOrder("plant1:wo-000201", LINE_2)).status()).isEqualTo(201);
        createTwin(planned(order(202, LINE_2, 60), MACHINE_2_01, Instant.parse("2026-11-30T10:00:00Z")).toThing());
        createTwin(planned(order(203, LINE_2, 50), MACHINE_2_01, Instant.parse("2026-11-30T08:00:00Z"))
                .withStatus(WorkOrderStatus.RUNNING, Instant.parse("2026-11-30T08:01:00Z"), null)
                .withProgress(new WorkOrderTwin.Progress(40, 2)).toThing());
        createTwin(planned(order(204, LINE_2, 100), MACHINE_2_01, Instant.parse("2026-11-30T06:00:00Z"))
                .withStatus(WorkOrderStatus.RUNNING, Instant.parse("2026-11-30T06:01:00Z"), null)
                .withProgress(new WorkOrderTwin.Progress(100, 3))
                .withStatus(WorkOrderStatus.COMPLETED, Instant.parse("2026-11-30T07:30:00Z"), null).toThing());
        assertThat(post("/work-orders", newOrder("plant1:wo-000205", LINE_2)).status()).isEqualTo(201);
        assertThat(post("/work-orders/plant1:wo-000205/cancel", "").status()).isEqualTo(200);

        // search may trail the writes by a moment on a real Ditto: wait for the five orders, then check the content
        final Map<String, JsonObject> requests = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            final Reply schedule = get("/b2mml/production-schedule?line=plant1:line-2");
            assertThat(schedule.status()).isEqualTo(200);
            requests.clear();
            schedule.json().getValue(JsonPointer.of("/ProductionSchedule/ProductionRequest")).orElseThrow().asArray()
                    .forEach(r -> requests.put(r.asObject().getValue("ID").orElseThrow().asString(), r.asObject()));
            assertThat(requests.keySet()).containsExactlyInAnyOrder("plant1:wo-000201", "plant1:wo-000202",
                    "plant1:wo-000203");
        });
        final JsonObject released = requests.get("plant1:wo-000201");
        assertThat(text(released, "/RequestState")).isEqualTo("Released");
        assertThat(released.getValue("Priority").orElseThrow().asInt()).isEqualTo(3);
        assertThat(text(released, "/SegmentRequirement/0/MaterialProducedRequirement/0/MaterialDefinitionID"))
                .isEqualTo("FG-2001");
        assertThat(text(released, "/SegmentRequirement/0/MaterialProducedRequirement/0/Quantity/0/QuantityString"))
                .isEqualTo("120");
        assertThat(text(released, "/SegmentRequirement/0/MaterialConsumedRequirement/0/MaterialDefinitionID"))
                .isEqualTo("RAW-1001");
        assertThat(text(released, "/SegmentRequirement/0/MaterialConsumedRequirement/0/Quantity/0/QuantityString"))
                .isEqualTo("240");
        final JsonObject dispatched = requests.get("plant1:wo-000202");
        assertThat(text(dispatched, "/RequestState")).isEqualTo("Ready");
        assertThat(text(dispatched, "/StartTime")).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(text(dispatched, "/SegmentRequirement/0/EquipmentRequirement/0/EquipmentID"))
                .isEqualTo("plant1:machine-2-01");
        assertThat(text(dispatched, "/SegmentRequirement/0/MaterialProducedRequirement/0/Quantity/0/QuantityString"))
                .isEqualTo("60");

        final Reply performance = get("/b2mml/production-performance?line=plant1:line-2");
        assertThat(performance.status()).isEqualTo(200);
        assertThat(performance.text("/ProductionPerformance/ProductionScheduleID"))
                .isEqualTo("plant1:line-2/production-schedule");
        final Map<String, JsonObject> responses = new LinkedHashMap<>();
        performance.json().getValue(JsonPointer.of("/ProductionPerformance/ProductionResponse")).orElseThrow()
                .asArray().forEach(r -> responses.put(text(r.asObject(), "/ProductionRequestID"), r.asObject()));
        assertThat(responses.keySet()).containsExactlyInAnyOrder("plant1:wo-000203", "plant1:wo-000204");
        final JsonObject running = responses.get("plant1:wo-000203");
        assertThat(text(running, "/ResponseState")).isEqualTo("Running");
        assertThat(text(running, "/StartTime")).isEqualTo("2026-11-30T08:01:00Z");
        assertThat(text(running, "/SegmentResponse/0/MaterialProducedActual/0/Quantity/0/QuantityString"))
                .isEqualTo("40");
        assertThat(text(running,
                "/SegmentResponse/0/MaterialProducedActual/0/MaterialProducedActualProperty/0/Value/0/ValueString"))
                .isEqualTo("2");
        final JsonObject completed = responses.get("plant1:wo-000204");
        assertThat(text(completed, "/ID")).isEqualTo("plant1:wo-000204/response");
        assertThat(text(completed, "/ResponseState")).isEqualTo("Completed");
        assertThat(text(completed, "/EndTime")).isEqualTo("2026-11-30T07:30:00Z");
        assertThat(text(completed, "/SegmentResponse/0/MaterialProducedActual/0/Quantity/0/QuantityString"))
                .isEqualTo("100");
        assertThat(text(completed,
                "/SegmentResponse/0/MaterialProducedActual/0/MaterialProducedActualProperty/0/Value/0/ValueString"))
                .isEqualTo("3");
        assertThat(text(completed, "/SegmentResponse/0/EquipmentActual/0/EquipmentID"))
                .isEqualTo("plant1:machine-2-01");

        final Reply later = get("/b2mml/production-performance?line=plant1:line-2&since=2026-11-30T07:31:00Z");
        assertThat(later.json().getValue(JsonPointer.of("/ProductionPerformance/ProductionResponse")).orElseThrow()
                .asArray().getSize()).isEqualTo(1);
    }

    @Test
    void theB2mmlViewsNeedAnExistingLine() throws Exception {
        assertError(get("/b2mml/production-schedule?line=plant1:line-8"), 404, "mes:line.notfound");
        assertError(get("/b2mml/production-performance?line=plant1:line-8"), 404, "mes:line.notfound");
        assertError(get("/b2mml/production-schedule"), 400, "mes:request.invalid");
        assertError(get("/b2mml/production-performance?line=plant1:line-2&since=yesterday"), 400,
                "mes:request.invalid");
    }

    // ---- service ----

    // ---- maintenance windows ----

    @Test
    void plansAMaintenanceWindowOnAMachineListsItAndShowsItInTheLinesSchedule() throws Exception {
        final ThingId line = PlantThingIds.line("plant1", 3);
        final ThingId machine = PlantThingIds.machine("plant1", 3, 1);
        createTwin(LineTwin.initial(line, "Line 3", "1000", List.of(machine)).toThing());
        createTwin(io.plantmesh.twin.model.machine.MachineTwin.initial(machine, line, "Mill 3-01",
                io.plantmesh.twin.model.machine.DeviceBinding.hono("plant1", machine.toString()), Instant.now())
                .toThing());

        final Reply planned = post("/machines/" + machine + "/maintenance-windows", "{\"reason\":\"predicted "
                + "BEARING_WEAR failure\",\"duration\":\"PT2H\",\"requestedBy\":\"maintenance\","
                + "\"failureMode\":\"BEARING_WEAR\"}");

        assertThat(planned.status()).as(planned.body()).isEqualTo(201);
        assertThat(planned.header("location")).isEqualTo("/api/mes/v1/machines/" + machine + "/maintenance-windows");
        final String id = planned.text("/id");
        assertThat(id).startsWith("mw-");
        assertThat(planned.json().getValue("active").orElseThrow().asBoolean()).isTrue();
        final Instant start = Instant.parse(planned.text("/start"));
        assertThat(Instant.parse(planned.text("/end"))).isEqualTo(start.plus(Duration.ofHours(2)));
        // the window is in the machine twin, where the MES reconcilers see it
        final io.plantmesh.twin.model.machine.MachineTwin twin = io.plantmesh.twin.model.machine.MachineTwin
                .fromThing(thing(machine));
        assertThat(twin.maintenance()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo(id);
            assertThat(w.failureMode()).isEqualTo("BEARING_WEAR");
            assertThat(w.requestedBy()).isEqualTo("maintenance");
        });

        final Reply listed = get("/machines/" + machine + "/maintenance-windows");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().getValue("windows").orElseThrow().asArray()).hasSize(1);
        final Reply schedule = get("/lines/" + line + "/schedule");
        assertThat(schedule.status()).isEqualTo(200);
        assertThat(schedule.text("/maintenance/0/id")).isEqualTo(id);
        assertThat(schedule.text("/maintenance/0/machine")).isEqualTo(machine.toString());

        // an overlapping window is refused; a later one is planned
        assertError(post("/machines/" + machine + "/maintenance-windows", "{\"reason\":\"oil\",\"duration\":"
                + "\"PT1H\"}"), 409, "mes:maintenance.overlap");
        final Reply later = post("/machines/" + machine + "/maintenance-windows", "{\"reason\":\"oil\","
                + "\"start\":\"" + start.plus(Duration.ofHours(3)) + "\",\"duration\":\"PT1H\"}");
        assertThat(later.status()).as(later.body()).isEqualTo(201);
        assertThat(get("/lines/" + line + "/schedule").json().getValue("maintenance").orElseThrow().asArray())
                .hasSize(2);
        assertError(post("/machines/plant1:machine-3-09/maintenance-windows", "{\"reason\":\"x\","
                + "\"duration\":\"PT1H\"}"), 404, "mes:machine.notfound");
        assertError(post("/machines/" + machine + "/maintenance-windows", "{\"duration\":\"PT1H\"}"), 400,
                "mes:request.invalid");
    }

    @Test
    void servesAnOpenApiDocumentThatDescribesEveryRoute() throws Exception {
        final Reply document = get("/openapi.yaml");

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("content-type")).startsWith("application/yaml");
        assertThat(document.body()).startsWith("openapi: 3.0");
        final Map<String, String> described = openApiPaths(document.body());
        final Set<String> routes = new TreeSet<>();
        for (final Route route : api.router().getRoutes()) {
            final String path = route.getPath();
            final boolean endpoint = path != null && path.startsWith(MesApi.BASE_PATH) && !path.endsWith("/");
            if (endpoint && route.methods() != null) {
                final String openApiPath = path.substring(MesApi.BASE_PATH.length()).replaceAll(":(\\w+)", "{$1}");
                routes.add(openApiPath);
                for (final HttpMethod method : route.methods()) {
                    assertThat(described.get(openApiPath)).as(method + " " + openApiPath)
                            .contains("    " + method.name().toLowerCase(Locale.ROOT) + ":");
                }
            }
        }
        assertThat(routes).hasSize(13);
        assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void answersHealthAndMetrics() throws Exception {
        final Reply health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("/status")).isEqualTo("UP");

        final Reply metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.json().getKeys().stream().map(Object::toString).toList())
                .containsExactly("orders.dispatched", "reconciliations");
        assertThat(metrics.json().getValue("reconciliations").orElseThrow().asLong()).isEqualTo(7);
        assertThat(metrics.json().getValue("orders.dispatched").orElseThrow().asLong()).isEqualTo(2);
    }

    @Test
    void unknownPathsMethodsAndOversizedBodiesAnswerInDittosErrorShape() throws Exception {
        assertError(get("/no-such-thing"), 404, "mes:resource.notfound");
        assertError(send("DELETE", "/work-orders/plant1:wo-000101", null), 405, "mes:method.notallowed");
        assertError(post("/work-orders", "{\"material\": \"" + "x".repeat(70_000) + "\"}"), 413,
                "mes:request.toolarge");
    }

    // ---- helpers ----

    private static String newOrder(final String id, final ThingId line) {
        return "{" + (id == null ? "" : "\"id\": \"" + id + "\", ") + "\"material\": \"FG-2001\", \"quantity\": 120, "
                + "\"dueDate\": \"2026-12-01T16:00:00Z\", \"line\": \"" + line + "\", \"priority\": 3, "
                + "\"requiredCapability\": \"milling\", "
                + "\"billOfMaterials\": [{\"material\": \"RAW-1001\", \"quantity\": 240, \"unit\": \"PC\"}]}";
    }

    private static WorkOrderTwin order(final long number, final ThingId line, final double quantity) {
        return WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", number), "FG-" + number, quantity,
                Instant.parse("2026-12-01T16:00:00Z"), line, 5, List.of(), Instant.parse("2026-11-30T05:00:00Z"));
    }

    private static WorkOrderTwin planned(final WorkOrderTwin order, final ThingId machine, final Instant start) {
        final WorkOrderTwin dispatched = order.dispatchTo(machine, start.minusSeconds(60));
        return dispatched.withStatusEntry(dispatched.status().withPlan(machine, start, start.plusSeconds(3600)));
    }

    private static long number(final String workOrderId) {
        return Long.parseLong(PlantThingIds.parse(workOrderId).key());
    }

    private static void createTwin(final Thing thing) throws Exception {
        twins.create(thing.toJson()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Thing thing(final ThingId id) throws Exception {
        return twins.retrieve(id).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError(id + " does not exist"));
    }

    /** The demo plant's orders policy in short: the development user may do everything. */
    private static void putOrdersPolicy() throws Exception {
        final String policy = "{\"entries\": {\"DEV\": {\"subjects\": {\"nginx:ditto\": {\"type\": \"dev user\"}},"
                + "\"resources\": {\"thing:/\": {\"grant\": [\"READ\", \"WRITE\"], \"revoke\": []},"
                + "\"policy:/\": {\"grant\": [\"READ\", \"WRITE\"], \"revoke\": []},"
                + "\"message:/\": {\"grant\": [\"READ\", \"WRITE\"], \"revoke\": []}}}}}";
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(twinServer.httpBase() + "/policies/" + ORDERS_POLICY))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ditto:ditto".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(policy)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** The paths of the OpenAPI document, each with the text of its block (loosely: by indentation). */
    private static Map<String, String> openApiPaths(final String yaml) {
        final Map<String, String> paths = new LinkedHashMap<>();
        final List<String> lines = yaml.lines().toList();
        final int start = lines.indexOf("paths:");
        assertThat(start).as("a top-level 'paths:'").isNotNegative();
        final Pattern pathLine = Pattern.compile("^  (/\\S*):\\s*$");
        String current = null;
        final List<String> block = new ArrayList<>();
        for (final String line : lines.subList(start + 1, lines.size())) {
            final boolean topLevel = !line.isBlank() && !line.startsWith(" ");
            final Matcher m = pathLine.matcher(line);
            if (topLevel || m.matches()) {
                if (current != null) {
                    paths.put(current, String.join("\n", block));
                }
                block.clear();
                current = topLevel ? null : m.group(1);
                if (topLevel) {
                    break;
                }
            } else {
                block.add(line);
            }
        }
        if (current != null) {
            paths.put(current, String.join("\n", block));
        }
        return paths;
    }

    /** The string at a JSON pointer whose numeric segments index arrays (Ditto's pointers do not). */
    private static String text(final JsonObject json, final String pointer) {
        JsonValue value = json;
        for (final String segment : pointer.substring(1).split("/")) {
            final boolean index = value.isArray() && segment.matches("\\d+");
            final Optional<JsonValue> next = index ? value.asArray().get(Integer.parseInt(segment))
                    : value.isObject() ? value.asObject().getValue(JsonFactory.newKey(segment))
                    : Optional.empty();
            value = next.orElseThrow(() -> new AssertionError(pointer + " missing in " + json));
        }
        return value.asString();
    }

    private static void assertError(final Reply reply, final int status, final String error) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("content-type")).startsWith("application/json");
        final JsonObject json = reply.json();
        assertThat(json.getKeys().stream().map(Object::toString).toList())
                .containsExactlyInAnyOrder("status", "error", "message", "description");
        assertThat(json.getValue("status").orElseThrow().asInt()).isEqualTo(status);
        assertThat(json.getValue("error").orElseThrow().asString()).isEqualTo(error);
        assertThat(json.getValue("message").orElseThrow().asString()).isNotBlank();
        assertThat(json.getValue("description").orElseThrow().asString()).isNotBlank();
    }

    private static Reply get(final String path) throws Exception {
        return send("GET", path, null);
    }

    private static Reply post(final String path, final String body) throws Exception {
        return send("POST", path, body);
    }

    private static Reply send(final String method, final String path, final String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().map(), response.body());
    }

    private record Reply(int status, Map<String, List<String>> headers, String body) {

        String header(final String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonObject json() {
            return JsonObject.of(body);
        }

        String text(final String pointer) {
            return MesApiIT.text(json(), pointer);
        }
    }
}
