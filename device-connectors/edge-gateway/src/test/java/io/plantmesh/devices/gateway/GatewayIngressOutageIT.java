package io.plantmesh.devices.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.devices.gateway.support.TestLineServer;
import io.plantmesh.devices.gateway.support.TestMappings;
import io.plantmesh.devices.ingress.HonoIngress;
import io.plantmesh.devices.ingress.IngressConfig;
import io.plantmesh.devices.ingress.support.IngressFixture;
import io.vertx.core.json.JsonObject;

/**
 * The gateway against the real ingress (Hono's MQTT device API, Kafka northbound), with Hono's own application client
 * reading tenant plant1's telemetry from the embedded Kafka broker: while the ingress is down the gateway buffers; when
 * the ingress comes back on the same port, everything buffered reaches Kafka once more, in the order it was produced,
 * as telemetry of the machine (the gateway publishes on its behalf; the machine lists the gateway in {@code via}).
 * The gateway's own health reports (telemetry for its own device id) are buffered alike: those produced during the
 * outage arrive afterwards and show the buffer growing, and a later one shows it empty again.
 */
class GatewayIngressOutageIT {

    private static final String GATEWAY = "plant1:gateway-1";
    private static final String MACHINE = "plant1:machine-1-01";
    private static final String GATEWAY_PASSWORD = "gw-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private IngressFixture hono;
    private HonoIngress restarted;
    private TestLineServer line;
    private EdgeGateway gateway;

    @BeforeEach
    void start() throws Exception {
        hono = new IngressFixture(tmp, c -> c);
        hono.device(GATEWAY, new JsonObject(), GATEWAY_PASSWORD);
        hono.device(MACHINE, IngressFixture.via(GATEWAY), "unused-machine-password");
        line = TestLineServer.start("L1M01");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (restarted != null) {
            restarted.close();
        }
        line.close();
        hono.close();
    }

    @Test
    void telemetryBufferedWhileTheIngressIsDownReachesKafkaInOrderWhenItReturns() throws Exception {
        final int mqttPort = hono.endpoints.mqttPort();
        gateway = EdgeGateway.create(GatewayConfig.builder(GATEWAY, GATEWAY_PASSWORD)
                .mqtt("127.0.0.1", mqttPort)
                .telemetryQos(1)
                .devices(List.of(MachineDevice.of(MACHINE, line.endpointUrl(), TestMappings.RETROFIT)))
                .mappings(Map.of(TestMappings.RETROFIT, TestMappings.retrofit()))
                .buffer(tmp.resolve("buffer"), 1 << 20)
                .flushInterval(Duration.ofMillis(100))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .healthInterval(Duration.ofMillis(200))
                .build());
        gateway.start();
        // 86 °F = 30 °C arrives through the ingress as the machine's telemetry
        line.set("L1M01", "Temperature", 86.0);
        await().atMost(WAIT).until(() -> temperatures().contains(30.0));

        hono.ingress.close();
        await().atMost(WAIT).until(() -> !gateway.mqttConnected());
        final List<Double> offline = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final double celsius = 40.0 + i;
            final long before = machineMessagesAppended();
            line.set("L1M01", "Temperature", celsius * 9 / 5 + 32);
            await().atMost(WAIT).until(() -> machineMessagesAppended() > before);
            offline.add(celsius);
        }
        assertThat(temperatures()).doesNotContainAnyElementsOf(offline);
        final long outageFrom = System.currentTimeMillis();
        final long reports = gateway.healthReports();
        await().atMost(WAIT).until(() -> gateway.healthReports() >= reports + 3);
        final long outageUntil = System.currentTimeMillis();

        // the ingress comes back on the same port, with the same registry (MongoDB) and Kafka
        final String mongoUri = "mongodb://127.0.0.1:" + hono.mongo.getLocalAddress().getPort();
        restarted = HonoIngress.create(IngressConfig.defaults(mongoUri, hono.bootstrapServers)
                .withMqttPort(mqttPort).withRegistryPort(0).withTenants(Set.of(IngressFixture.TENANT))
                .withBcryptCost(4));
        restarted.start();

        await().atMost(WAIT).until(() -> temperatures().containsAll(offline));
        // delivery is at least once (a resend after a lost PUBACK may repeat a value); first arrivals keep the order
        assertThat(temperatures().stream().filter(offline::contains).distinct().toList())
                .as("buffered values on Kafka, in production order")
                .containsExactlyElementsOf(offline);
        assertThat(gateway.counters().droppedTelemetry()).isZero();
        await().atMost(WAIT).until(() -> gateway.counters().buffered() == 0);
        assertThat(hono.telemetry).allSatisfy(m -> assertThat(m.getDeviceId() + " " + m.getContentType()).isIn(
                MACHINE + " application/vnd.plantmesh.machine+json",
                GATEWAY + " application/vnd.plantmesh.gateway+json"));

        // the health reports made during the outage arrived after it, each showing a fuller buffer than the last
        final Map<Long, Long> depthDuringOutage = new java.util.TreeMap<>();
        for (final JsonObject report : healthReports()) {
            final long ts = report.getLong("ts");
            final JsonObject buffer = report.getJsonObject("features").getJsonObject("buffer");
            if (ts >= outageFrom && ts < outageUntil && buffer != null) {
                depthDuringOutage.putIfAbsent(ts, buffer.getLong("messages"));
            }
        }
        assertThat(depthDuringOutage).hasSizeGreaterThanOrEqualTo(3);
        assertThat(new ArrayList<>(depthDuringOutage.values())).isSorted().doesNotHaveDuplicates()
                .allSatisfy(depth -> assertThat(depth).isPositive());
        // and a report after the outage shows it drained, the OPC-UA session connected
        await().atMost(WAIT).untilAsserted(() -> {
            final List<JsonObject> all = healthReports();
            final JsonObject last = all.get(all.size() - 1).getJsonObject("features");
            assertThat(last.getJsonObject("buffer").getLong("messages")).isZero();
            assertThat(last.getJsonObject("buffer").getLong("overflowed")).isZero();
            assertThat(last.getJsonObject("opcua").getJsonObject("machines").getJsonObject(MACHINE)
                    .getString("session")).isEqualTo("CONNECTED");
        });
    }

    /**
     * Messages appended to the buffer other than the gateway's health reports (a report is counted before it is
     * appended, so this is never too high).
     */
    private long machineMessagesAppended() {
        return gateway.counters().appended() - gateway.healthReports();
    }

    /** The gateway's reports about itself on Kafka, in arrival order. */
    private List<JsonObject> healthReports() {
        final List<JsonObject> reports = new ArrayList<>();
        for (final DownstreamMessage<KafkaMessageContext> m : hono.telemetry) {
            if (GATEWAY.equals(m.getDeviceId())) {
                reports.add(new JsonObject(m.getPayload()));
            }
        }
        return reports;
    }

    private List<Double> temperatures() {
        final List<Double> values = new ArrayList<>();
        for (final DownstreamMessage<KafkaMessageContext> m : hono.telemetry) {
            final JsonObject features = new JsonObject(m.getPayload()).getJsonObject("features");
            final JsonObject telemetry = features == null ? null : features.getJsonObject("telemetry");
            if (telemetry != null && telemetry.containsKey("temperature")) {
                values.add(Math.round(telemetry.getDouble("temperature") * 100) / 100.0);
            }
        }
        return values;
    }
}
