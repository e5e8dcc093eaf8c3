package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.security.EmbeddedIdentity;
import io.plantmesh.launcher.shopfloor.RunningShopFloor;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;
import picocli.CommandLine;

/**
 * The embedded footprint as {@code ./plantmesh up} runs it, with the real Keycloak (started once for this class) and
 * line 2's shop floor: every service authenticates with its service account's token (the audit log names their
 * roles as the subjects of their writes, never the development user), the MES dispatches, the ERP receives goods
 * receipts posted by the ERP bridge's account; people get what the role matrix and the MES and ERP role tables say;
 * the MES bridge hears of orders created by someone else by event alone (its periodic re-read is set to an hour);
 * {@code plantmesh security apply} against the running Keycloak changes nothing; stopping stops Keycloak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureFootprintIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String LINE = "plant1:line-2";

    @TempDir
    static Path dataDir;

    private final Map<String, String> services = new ConcurrentHashMap<>();
    private final Map<String, TokenClient> people = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningPlantMesh running;
    private URI issuer;
    private String mesApi;
    private String erpApi;

    @BeforeAll
    void start() {
        ShopFloorOptions floor = ShopFloorOptions.forTests()
                .withMachines(id -> id.startsWith("plant1:machine-2-"))
                .withDispatchJobs(true)
                .withTimeScale(600)
                .withErpPort(0)
                .withMaintenance(true)
                // only change events keep the MES bridge current: it would re-read the twins after an hour
                .withMesResyncInterval(Duration.ofHours(1));
        LaunchListener listener = new LaunchListener() {
            @Override
            public void serviceUp(String service, String address, String note) {
                services.merge(service, address + " (" + note + ")", (a, b) -> a + "; " + b);
            }
        };
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(floor)
                .withKeycloak(KeycloakOptions.forTests()), listener);
        EmbeddedIdentity identity = running.identity().orElseThrow();
        issuer = identity.keycloak().issuer(PlantMeshRealm.NAME);
        RunningShopFloor shopFloor = running.shopFloor().orElseThrow();
        mesApi = shopFloor.mesBridges().get(0).apiUri().orElseThrow().toString();
        erpApi = shopFloor.erp().orElseThrow().baseUri().toString();
    }

    @AfterAll
    void stop() {
        if (running != null) {
            URI keycloak = running.identity().map(i -> i.keycloak().baseUrl()).orElse(null);
            running.close();
            if (keycloak != null) {
                assertThat(listens(keycloak)).as("Keycloak stopped with PlantMesh").isFalse();
            }
        }
    }

    @Test
    @Order(1)
    void upListsTheIssuerTheDemoUsersWhatEachMayDoAndHowToGetAToken() {
        assertThat(services.get("Keycloak")).startsWith(running.identity().orElseThrow().keycloak().baseUrl()
                + " (embedded Keycloak");
        assertThat(services.get("issuer")).startsWith(issuer.toString());
        assertThat(services.get("demo user")).contains("viewer / viewer", "supervisor / supervisor",
                "planner / planner", "finance / finance", "admin / admin")
                .contains("role plant-viewer: reads", "role it-admin: everything");
        assertThat(services.get("token")).contains("client_id=plantmesh-ui", issuer + "/protocol/openid-connect/token");
        assertThat(services.get("MES API")).contains("Bearer tokens");
        assertThat(services.get("ingestion")).contains("client 'plantmesh-twin-ingestion'");
        assertThat(services.get("ERP bridge")).contains("client plantmesh-erp-bridge");
        assertThat(services.get("maintenance")).contains("client plantmesh-maintenance");
        assertThat(running.shopFloor().orElseThrow().ingestion().orElseThrow()).isNotNull();
        for (MesBridge bridge : running.shopFloor().orElseThrow().mesBridges()) {
            assertThat(bridge.config().twinTokens()).as("MES bridge with its token").isNotNull();
            assertThat(bridge.config().dittoUser()).isNull();
        }
    }

    @Test
    @Order(2)
    void theMesBridgeHearsOfAnOrderCreatedBySomeoneElseByEventAndDispatchesIt() throws Exception {
        String body = "{\"material\":\"FG-2001\",\"quantity\":20,\"dueDate\":\""
                + Instant.now().plus(Duration.ofDays(3650)) + "\",\"line\":\"" + LINE + "\",\"priority\":1,"
                + "\"requiredCapability\":\"turning\"}";
        HttpResponse<String> created = send("POST", mesApi + "/work-orders", "planner", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JsonObject.of(created.body()).getValue("id").orElseThrow().asString();

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonObject order = twin("admin", "/things/" + id);
            assertThat(order.getValue("features/status/properties/status").map(JsonValue::asString).orElse(""))
                    .as(id + " dispatched (or held for material) by the MES bridge")
                    .isIn("DISPATCHED", "RUNNING", "COMPLETED", "HELD");
        });
    }

    @Test
    @Order(3)
    void servicesWriteWithTheirTokensAndTheErpReceivesGoodsReceipts() throws Exception {
        // telemetry reaches the machines (through the ingestion's token), the MES runs and completes orders
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonObject machine = twin("viewer", "/things/plant1:machine-2-01");
            assertThat(machine.getValue("features/telemetry/properties")).isPresent();
            assertThat(search("COMPLETED")).as("completed orders of line 2").isNotEmpty();
        });
        // the ERP bridge books the completed order's goods receipt in the ERP, as its service account
        String completed = search("COMPLETED").get(0).orElseThrow().asObject().getValue("thingId").orElseThrow()
                .asString();
        List<String> receipts = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            receipts.clear();
            JsonObject order = twin("finance", "/things/" + completed);
            for (JsonValue m : order.getValue("features/erp/properties/goodsMovements").map(JsonValue::asArray)
                    .orElse(JsonArray.empty())) {
                if ("101".equals(m.asObject().getValue("movementType").map(JsonValue::asString).orElse(""))) {
                    receipts.add(m.asObject().getValue("document").orElseThrow().asString());
                }
            }
            assertThat(receipts).as("goods receipts of " + completed).isNotEmpty();
        });
        HttpResponse<String> items = send("GET", erpApi + "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem?$filter="
                + URLEncoder.encode("ManufacturingOrder eq '" + completed + "'", StandardCharsets.UTF_8)
                .replace("+", "%20"), "finance", null);
        assertThat(items.statusCode()).as(items.body()).isEqualTo(200);
        JsonObject receipt = JsonObject.of(items.body()).getValue("d/results").orElseThrow().asArray().stream()
                .map(JsonValue::asObject)
                .filter(i -> i.getValue("GoodsMovementType").map(JsonValue::asString).orElse("").equals("101"))
                .filter(i -> receipts.contains(i.getValue("MaterialDocument").map(JsonValue::asString).orElse("")))
                .findFirst().orElseThrow(() -> new AssertionError("no 101 item of " + completed + " in the ERP: "
                        + items.body()));
        HttpResponse<String> header = send("GET", erpApi + "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader("
                + "MaterialDocumentYear='" + receipt.getValue("MaterialDocumentYear").orElseThrow().asString()
                + "',MaterialDocument='" + receipt.getValue("MaterialDocument").orElseThrow().asString() + "')",
                "finance", null);
        assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
        assertThat(JsonObject.of(header.body()).getValue("d/CreatedByUser").map(JsonValue::asString))
                .as("the posting user of the goods receipt")
                .hasValue("service-account-" + PlantMeshRealm.ERP_BRIDGE_CLIENT);

        // who wrote the twins, from the audit log: the services' roles, never the development user; and the role
        // matrix grants every service what it writes (no service request was denied)
        List<String> denied = new ArrayList<>();
        Map<String, Set<String>> writers = writersByRole(denied);
        assertThat(denied).as("requests of the services the twin server denied").isEmpty();
        assertThat(writers.get("keycloak:svc-twin-ingestion")).as("ingestion wrote machines").contains("machine");
        assertThat(writers.get("keycloak:svc-mes-bridge")).as("MES wrote orders, machines, the line")
                .contains("work-order", "machine", "line");
        assertThat(writers.get("keycloak:svc-erp-bridge")).as("ERP bridge wrote orders").contains("work-order");
        assertThat(writers.getOrDefault("nginx:ditto", Set.of())).as("merges as the development user").isEmpty();
        // the maintenance service writes the machines' health with its own token (the role matrix lets it)
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> deniedLater = new ArrayList<>();
            assertThat(writersByRole(deniedLater).get("keycloak:svc-maintenance")).as("maintenance wrote machines")
                    .contains("machine");
            assertThat(deniedLater).as("requests of the services the twin server denied").isEmpty();
        });
    }

    @Test
    @Order(4)
    void costsAreReadByFinanceButNotBySupervisors() throws Exception {
        String completed = search("COMPLETED").get(0).orElseThrow().asObject().getValue("thingId").orElseThrow()
                .asString();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(send("GET", twinApi() + "/things/" + completed + "/features/cost", "finance", null)
                        .statusCode()).as("the ERP bridge recorded the order's costs").isEqualTo(200));

        HttpResponse<String> supervisorsCost = send("GET", twinApi() + "/things/" + completed + "/features/cost",
                "supervisor", null);
        assertThat(supervisorsCost.statusCode()).isEqualTo(404);
        JsonObject supervisorsOrder = twin("supervisor", "/things/" + completed);
        assertThat(supervisorsOrder.getValue("features/status")).isPresent();
        assertThat(supervisorsOrder.getValue("features/cost")).isEmpty();
        assertThat(twin("finance", "/things/" + completed).getValue("features/cost/properties/total")).isPresent();
    }

    @Test
    @Order(5)
    void theMesApiAndTheErpCheckTokensAndRoles() throws Exception {
        String order = search("COMPLETED").get(0).orElseThrow().asObject().getValue("thingId").orElseThrow()
                .asString();
        HttpResponse<String> viewersHold = send("POST", mesApi + "/work-orders/" + order + "/hold", "viewer",
                "{\"reason\":\"viewer tries\"}");
        assertThat(viewersHold.statusCode()).as(viewersHold.body()).isEqualTo(403);
        assertThat(JsonObject.of(viewersHold.body()).getValue("error").map(JsonValue::asString))
                .hasValue("mes:permission.denied");
        assertThat(send("GET", mesApi + "/lines/" + LINE + "/schedule", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", mesApi + "/lines/" + LINE + "/schedule", "viewer", null).statusCode())
                .isEqualTo(200);

        String costs = erpApi + "ZPLANTMESH_ORDER_COST_SRV/";
        assertThat(send("GET", costs, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> viewersCosts = send("GET", costs, "viewer", null);
        assertThat(viewersCosts.statusCode()).as(viewersCosts.body()).isEqualTo(403);
        assertThat(viewersCosts.body()).contains("PLANTMESH/FORBIDDEN");
        assertThat(send("GET", costs, "finance", null).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void securityApplyAgainstTheRunningKeycloakChangesNothing() {
        EmbeddedIdentity identity = running.identity().orElseThrow();
        URI keycloak = identity.keycloak().baseUrl();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = PlantMeshCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int port = running.httpPort();
        int exit = command.execute("security", "apply", "--keycloak-url", keycloak.toString(), "--data-dir",
                dataDir.toString(), "--demo-users", "--ui-origin",
                String.join(",", List.of("http://127.0.0.1:" + port, "http://localhost:" + port)));

        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Applying realm plantmesh to " + keycloak + " as plantmesh-admin")
                .contains("no changes: realm plantmesh is as declared (11 roles, 7 clients, 5 users)");
    }

    /**
     * Per subject of the writers' tokens: the kinds of twin it merged into (from the audit log, read as admin); the
     * services' denied requests go to {@code denied}.
     */
    private Map<String, Set<String>> writersByRole(List<String> denied) throws Exception {
        Map<String, Set<String>> writers = new LinkedHashMap<>();
        long from = 1;
        for (int page = 0; page < 500; page++) {
            HttpResponse<String> response = send("GET", twinApi() + "/plantmesh/audit?from=" + from + "&size=1000",
                    "admin", null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject body = JsonObject.of(response.body());
            for (JsonValue item : body.getValue("items").orElseThrow().asArray()) {
                JsonObject record = item.asObject();
                boolean service = record.getValue("subjects").map(JsonValue::asArray).orElse(JsonArray.empty())
                        .stream().anyMatch(v -> v.asString().startsWith("keycloak:svc-"));
                if (service && record.getValue("outcome").map(JsonValue::asString).orElse("").equals("DENIED")) {
                    denied.add(record.toString());
                }
                boolean merged = record.getValue("action").map(JsonValue::asString).orElse("").equals("thing.merge")
                        && record.getValue("outcome").map(JsonValue::asString).orElse("").equals("SUCCEEDED");
                if (!merged) {
                    continue;
                }
                String entity = record.getValue("entity").map(JsonValue::asString).orElse("");
                String kind = entity.contains(":machine-") ? "machine" : entity.contains(":wo-") ? "work-order"
                        : entity.contains(":line-") ? "line" : entity.contains(":mat-") ? "material" : "other";
                for (JsonValue subject : record.getValue("subjects").map(JsonValue::asArray)
                        .orElse(JsonArray.empty())) {
                    String s = subject.asString();
                    if (s.startsWith("keycloak:svc-") || s.startsWith("nginx:")) {
                        writers.computeIfAbsent(s, k -> new java.util.TreeSet<>()).add(kind);
                    }
                }
            }
            JsonValue next = body.getValue("next").orElse(JsonValue.nullLiteral());
            if (next.isNull()) {
                return writers;
            }
            from = next.asLong();
        }
        throw new AssertionError("the audit log has more than 500 pages");
    }

    private JsonArray search(String status) throws Exception {
        String filter = "and(eq(attributes/line,\"" + LINE + "\"),eq(features/status/properties/status,\"" + status
                + "\"))";
        return twin("supervisor", "/search/things?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + "&option=size(200)").getValue("items").orElseThrow().asArray();
    }

    private JsonObject twin(String user, String path) throws Exception {
        HttpResponse<String> response = send("GET", twinApi() + path, user, null);
        assertThat(response.statusCode()).as("GET " + path + " as " + user + ": " + response.body()).isEqualTo(200);
        return JsonObject.of(response.body());
    }

    private String twinApi() {
        return running.apiBase().toString();
    }

    /** A request as a demo user (password grant through plantmesh-ui), or without credentials ({@code user} null). */
    private HttpResponse<String> send(String method, String url, String user, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            TokenClient tokens = people.computeIfAbsent(user, u -> TokenClient.create(TokenClientConfig.password(
                    TokenClientConfig.keycloakTokenEndpoint(issuer), PlantMeshRealm.UI_CLIENT, null, u, u)));
            request.header("Authorization", tokens.token().authorization());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listens(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
