package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan.FloorMachine;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.DevelopmentCertificates;
import io.plantmesh.tls.TlsSettings;

/**
 * The embedded footprint with TLS on every listener (development CA, as {@code plantmesh up --tls}), on a floor of
 * one OPC-UA machine and one MQTT machine with the MES and the ERP: every listener announces https/wss/mqtts,
 * machine values travel device -> mqtts -> ingress -> Kafka -> ingestion -> wss -> twin, the MES API and the ERP
 * answer clients that verify the chain with the CA, and a client that does not trust the CA fails the handshake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantMeshTlsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DITTO = "Basic " + Base64.getEncoder().encodeToString(
            "ditto:ditto".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path dataDir;

    private RunningPlantMesh running;
    private LaunchTls tls;
    private HttpClient trusting;
    private FloorMachine opcUa;
    private FloorMachine mqtt;
    private final Map<String, String> services = new ConcurrentHashMap<>();

    @BeforeAll
    void startWithTls() {
        DevelopmentCertificates.Outcome certs = DevelopmentCertificates.ensure(dataDir.resolve("tls"),
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        ClientTrust trust = ClientTrust.fromPemFile(certs.caCertificateFile());
        tls = new LaunchTls(TlsSettings.none().withCommon(certs.serverCertificateFile(),
                certs.serverKeyFile(), null), trust);
        chooseFloor();
        ShopFloorOptions shopFloor = ShopFloorOptions.forTests()
                .withMachines(Set.of(opcUa.thingId(), mqtt.thingId())::contains)
                .withDispatchJobs(true)
                .withErpPort(0);
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(shopFloor).withTls(tls),
                new LaunchListener() {
                    @Override
                    public void serviceUp(String service, String address, String note) {
                        services.put(service, address);
                    }
                });
        trusting = HttpClient.newBuilder().sslContext(trust.sslContext()).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    /** A line of the seed-42 demo plant with an OPC-UA machine and an MQTT machine. */
    private void chooseFloor() {
        DemoPlant plant = DemoPlant.generate("plant1", LaunchOptions.DEFAULT_DEMO_SEED, Instant.now());
        ShopFloorPlan all = ShopFloorPlan.of("plant1", plant.machines(), id -> true);
        for (List<FloorMachine> line : all.machinesByLine().values()) {
            var opc = line.stream().filter(FloorMachine::opcUa).findFirst();
            var dev = line.stream().filter(m -> !m.opcUa()).findFirst();
            if (opc.isPresent() && dev.isPresent()) {
                opcUa = opc.get();
                mqtt = dev.get();
                return;
            }
        }
        throw new AssertionError("the demo plant has no line with an OPC-UA and an MQTT machine");
    }

    @Test
    void everyListenerAnnouncesItsSecureUrl() {
        assertThat(running.apiBase().toString()).startsWith("https://");
        assertThat(services.get("twin API")).startsWith("https://");
        assertThat(services.get("WebSocket")).startsWith("wss://");
        assertThat(services.get("MQTT")).startsWith("mqtts://");
        assertThat(services.get("registry")).startsWith("https://");
        assertThat(services.get("MES API")).startsWith("https://");
        assertThat(services.get("ERP")).startsWith("https://");
    }

    @Test
    void machineValuesReachTheTwinsThroughMqttsAndWss() {
        for (FloorMachine machine : List.of(mqtt, opcUa)) {
            SimulatedMachine simulated = running.shopFloor().orElseThrow().simulator().machine(machine.thingId())
                    .orElseThrow();
            List<Double> seen = new ArrayList<>();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                Double temperature = temperature(machine.thingId());
                assertThat(temperature).as("twin temperature of " + machine.thingId()).isNotNull();
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(temperature)) {
                    seen.add(temperature);
                }
                assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
                assertThat(temperature).isCloseTo(simulated.snapshot().temperature(),
                        org.assertj.core.data.Offset.offset(2.0));
            });
        }
    }

    @Test
    void theMesApiAndTheErpAnswerOverHttpsVerifiedWithTheCa() throws Exception {
        HttpResponse<String> openApi = trusting.send(HttpRequest.newBuilder(
                URI.create(services.get("MES API") + "/openapi.yaml")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("openapi");

        String erp = services.get("ERP");
        HttpResponse<String> stock = trusting.send(HttpRequest.newBuilder(URI.create(erp
                + "API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod?%24top=1")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "PLANTMESH:plantmesh".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stock.statusCode()).as(stock.body()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(running.apiBase() + "/whoami"))
                .header("Authorization", DITTO).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theWebUiServesHttpsAndProxiesTheHttpsApisTrustingTheCa() throws Exception {
        try (io.plantmesh.webui.WebUiServer ui = WebUiLauncher.start(running, "127.0.0.1", 0, tls)) {
            assertThat(ui.uri().getScheme()).isEqualTo("https");
            HttpResponse<String> twin = trusting.send(HttpRequest.newBuilder(ui.uri().resolve("/api/2/things/"
                    + mqtt.thingId() + "/attributes")).header("Authorization", DITTO)
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(twin.statusCode()).as(twin.body()).isEqualTo(200);
            HttpResponse<String> openApi = trusting.send(HttpRequest.newBuilder(ui.uri().resolve(
                    "/api/mes/v1/openapi.yaml")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(openApi.statusCode()).as(openApi.body()).isEqualTo(200);
            assertThat(openApi.body()).contains("openapi");
        }
    }

    private Double temperature(String machine) throws Exception {
        HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(URI.create(running.apiBase()
                + "/things/" + machine + "/features/telemetry/properties/temperature"))
                .header("Authorization", DITTO).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return "null".equals(response.body()) ? null : Double.valueOf(response.body());
    }
}
