package io.plantmesh.devices.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.devices.gateway.support.TestHonoBroker;
import io.plantmesh.devices.gateway.support.TestHonoBroker.Received;
import io.plantmesh.devices.gateway.support.TestLineServer;
import io.plantmesh.devices.gateway.support.TestMappings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The gateway between a real OPC-UA server (Milo, test namespace) and a real MQTT server (Vert.x) standing in for
 * Hono's MQTT adapter, both on 127.0.0.1.
 */
class EdgeGatewayIT {

    private static final String DEVICE = "plant1:machine-1-01";
    private static final String TELEMETRY = "telemetry//" + DEVICE + "/?content-type=application%2Fvnd.plantmesh.machine%2Bjson";
    private static final String STATE_EVENT = "event//" + DEVICE + "/?content-type=application%2Fvnd.plantmesh.machine%2Bjson";
    private static final String ALARM_EVENT = "event//" + DEVICE + "/?content-type=application%2Fvnd.plantmesh.alarm%2Bjson";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Vertx vertx;
    private TestLineServer line;
    private TestHonoBroker broker;
    private final List<EdgeGateway> gateways = new ArrayList<>();

    @BeforeEach
    void startPeers() throws Exception {
        vertx = Vertx.vertx();
        line = TestLineServer.start("L1M01");
        broker = new TestHonoBroker(vertx, "plant1_gateway-1@plant1", "gw-secret");
        broker.start(0);
    }

    @AfterEach
    void stopAll() throws Exception {
        gateways.forEach(EdgeGateway::close);
        broker.close();
        line.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void valueChangesArriveAsNormalisedTelemetryWithDeadbandApplied() {
        startGateway(0);
        line.set("L1M01", "SpindleSpeed", 100.0);
        // 100 rad/s = 954.93 rpm
        await().atMost(WAIT).until(() -> telemetryValues("spindleSpeed").stream().anyMatch(v -> near(v, 954.93)));
        // 100.3 rad/s is 2.9 rpm more: inside the 5 rpm deadband; 101 rad/s (964.46 rpm) is not
        line.set("L1M01", "SpindleSpeed", 100.3);
        line.set("L1M01", "Temperature", 104.0);
        line.set("L1M01", "Power", 2500.0);
        line.set("L1M01", "GoodCount", org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger.valueOf(17));
        await().atMost(WAIT).until(() -> telemetryValues("temperature").stream().anyMatch(v -> near(v, 40.0)));
        line.set("L1M01", "SpindleSpeed", 101.0);
        await().atMost(WAIT).until(() -> telemetryValues("spindleSpeed").stream().anyMatch(v -> near(v, 964.46)));

        assertThat(telemetryValues("spindleSpeed")).noneMatch(v -> near(v, 957.79));
        assertThat(telemetryValues("power")).anyMatch(v -> near(v, 2.5));
        assertThat(broker.receivedOn(TELEMETRY)).allSatisfy(r -> {
            assertThat(r.qos()).isZero();
            assertThat(r.payload().length()).isLessThan(2048);
            assertThat(r.json().getLong("ts")).isPositive();
        });
        assertThat(broker.receivedOn(TELEMETRY)).anySatisfy(r -> assertThat(r.json().getJsonObject("features")
                .getJsonObject("counters").getLong("good")).isEqualTo(17L));
    }

    @Test
    void stateChangeArrivesAsQos1Event() {
        startGateway(0);
        await().atMost(WAIT).until(() -> states().contains("IDLE"));
        line.set("L1M01", "State", "RUNNING");
        await().atMost(WAIT).until(() -> states().contains("RUNNING"));
        final Received running = broker.receivedOn(STATE_EVENT).stream()
                .filter(r -> "RUNNING".equals(state(r))).findFirst().orElseThrow();
        assertThat(running.qos()).isEqualTo(1);
        assertThat(running.json().getJsonObject("features").getJsonObject("state").getString("since")).endsWith("Z");
    }

    @Test
    void thresholdCrossingProducesAlarmEvent() {
        startGateway(0);
        // 200 °F = 93.3 °C: above the 80 °C warning, below the 95 °C critical threshold
        line.set("L1M01", "Temperature", 200.0);
        await().atMost(WAIT).until(() -> !broker.receivedOn(ALARM_EVENT).isEmpty());
        final Received alarm = broker.receivedOn(ALARM_EVENT).get(0);
        assertThat(alarm.qos()).isEqualTo(1);
        final JsonObject body = alarm.json().getJsonObject("alarm");
        assertThat(body.getString("code")).isEqualTo("TEMP_HIGH");
        assertThat(body.getString("severity")).isEqualTo("warning");
        assertThat(body.getString("path")).isEqualTo("features/telemetry/properties/temperature");
        assertThat(body.getDouble("threshold")).isEqualTo(80.0);
        assertThat(body.getDouble("value")).isBetween(93.3, 93.4);
    }

    @Test
    void commandsInvokeMachineMethodsAndAreAnswered() {
        startGateway(0);
        await().atMost(WAIT).until(() -> broker.subscribed("command//+/req/#") && gateways.get(0).opcUaConnected());
        broker.sendCommand("command//" + DEVICE + "/req/42/startJob",
                "{\"workOrder\":\"wo-100001\",\"operation\":\"0010\"}");
        final String ok = "command//" + DEVICE + "/res/42/200";
        await().atMost(WAIT).until(() -> !broker.receivedOn(ok).isEmpty());
        assertThat(line.calls()).containsExactly("L1M01.StartJob(wo-100001, 0010)");
        assertThat(broker.receivedOn(ok).get(0).json()).isEqualTo(new JsonObject().put("accepted", true)
                .put("message", "StartJob accepted"));

        // one-way: invoked, never answered; unknown command: 404; machine DOWN rejects: 409
        broker.sendCommand("command//" + DEVICE + "/req//holdJob", "");
        broker.sendCommand("command//" + DEVICE + "/req/43/selfDestruct", "{}");
        await().atMost(WAIT).until(() -> !broker.receivedOn("command//" + DEVICE + "/res/43/404").isEmpty());
        line.set("L1M01", "State", "DOWN");
        broker.sendCommand("command//" + DEVICE + "/req/44/startJob", "{\"workOrder\":\"wo-2\",\"operation\":\"1\"}");
        await().atMost(WAIT).until(() -> !broker.receivedOn("command//" + DEVICE + "/res/44/409").isEmpty());
        broker.sendCommand("command//" + DEVICE + "/req/45/startJob", "{\"workOrder\":\"wo-2\"}");
        await().atMost(WAIT).until(() -> !broker.receivedOn("command//" + DEVICE + "/res/45/400").isEmpty());
        assertThat(line.calls()).contains("L1M01.HoldJob()");
        // the MES's planned maintenance: its JSON body's number and text become the method's Double and String
        broker.sendCommand("command//" + DEVICE + "/req/46/startMaintenance",
                "{\"windowId\":\"mw-1\",\"durationMinutes\":90,\"reason\":\"bearing wear predicted\"}");
        await().atMost(WAIT).until(() -> !broker.receivedOn("command//" + DEVICE + "/res/46/200").isEmpty());
        assertThat(line.calls()).contains("L1M01.StartMaintenance(90.0, bearing wear predicted)");
        assertThat(broker.receivedOn("command//" + DEVICE + "/res//")).isEmpty();
    }

    @Test
    void messagesBufferedWhileTheBrokerIsDownArriveInOrder() throws Exception {
        final EdgeGateway gateway = startGateway(1);
        await().atMost(WAIT).until(() -> states().contains("IDLE") && !telemetryValues("temperature").isEmpty());
        final int port = broker.port();
        broker.stop();
        await().atMost(WAIT).until(() -> !gateway.mqttConnected());

        final List<Double> offline = setTemperaturesWhileOffline(gateway, 30.0, 10);
        line.set("L1M01", "State", "RUNNING");
        awaitAppended(gateway, gateway.counters().appended());

        broker.start(port);
        await().atMost(WAIT).until(() -> telemetryValues("temperature").size() >= offline.size()
                && states().contains("RUNNING"));
        assertThat(telemetryValues("temperature")).containsSubsequence(offline);
        assertThat(telemetryValues("temperature")).filteredOn(offline::contains).containsExactlyElementsOf(offline);
        assertThat(gateway.counters().droppedTelemetry()).isZero();
        await().atMost(WAIT).until(() -> gateway.counters().buffered() == 0);
    }

    @Test
    void messagesBufferedWhileOfflineSurviveAGatewayRestart() throws Exception {
        final EdgeGateway first = startGateway(1);
        await().atMost(WAIT).until(() -> states().contains("IDLE") && !telemetryValues("temperature").isEmpty());
        final int port = broker.port();
        broker.stop();
        await().atMost(WAIT).until(() -> !first.mqttConnected());
        final List<Double> offline = setTemperaturesWhileOffline(first, 50.0, 5);
        first.close();
        gateways.remove(first);

        final EdgeGateway second = startGateway(1);
        assertThat(second.counters().buffered()).as("kept on disk across the restart").isGreaterThanOrEqualTo(
                offline.size());
        broker.start(port);
        await().atMost(WAIT).until(() -> telemetryValues("temperature").containsAll(offline));
        // the buffered values come first and in order; the restarted gateway then reports the current value anew
        final List<Double> replayed = telemetryValues("temperature").stream().filter(offline::contains).toList();
        assertThat(replayed.subList(0, offline.size())).containsExactlyElementsOf(offline);
        assertThat(replayed.subList(offline.size(), replayed.size())).allMatch(v -> v.equals(54.0));
    }

    @Test
    void reconnectsToARestartedOpcUaServerAndMonitorsAgain() throws Exception {
        final EdgeGateway gateway = startGateway(0);
        await().atMost(WAIT).until(gateway::opcUaConnected);
        final int port = line.port();
        line.close();
        await().atMost(WAIT).until(() -> !gateway.opcUaConnected());
        line = TestLineServer.start(port, "L1M01");
        await().atMost(WAIT).until(gateway::opcUaConnected);
        // 122 °F = 50 °C, seen only through the re-created subscription
        line.set("L1M01", "Temperature", 122.0);
        await().atMost(WAIT).until(() -> telemetryValues("temperature").contains(50.0));
    }

    /** Sets temperatures (°F in, °C out) one by one and waits until each is in the buffer; returns the °C values. */
    private List<Double> setTemperaturesWhileOffline(final EdgeGateway gateway, final double firstCelsius,
            final int count) {
        final List<Double> celsius = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final double c = firstCelsius + i;
            final long before = gateway.counters().appended();
            line.set("L1M01", "Temperature", c * 9 / 5 + 32);
            awaitAppended(gateway, before);
            celsius.add(c);
        }
        return celsius;
    }

    private static void awaitAppended(final EdgeGateway gateway, final long before) {
        await().atMost(WAIT).until(() -> gateway.counters().appended() > before);
    }

    private EdgeGateway startGateway(final int telemetryQos) {
        final GatewayConfig config = GatewayConfig.builder("plant1:gateway-1", "gw-secret")
                .mqtt("127.0.0.1", broker.port())
                .telemetryQos(telemetryQos)
                .devices(List.of(MachineDevice.of(DEVICE, line.endpointUrl(), TestMappings.RETROFIT)))
                .mappings(Map.of(TestMappings.RETROFIT, TestMappings.retrofit()))
                .buffer(tmp.resolve("buffer"), 1 << 20)
                .flushInterval(Duration.ofMillis(100))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                // no health reports here: the tests count the buffer's messages (GatewayIngressOutageIT covers them)
                .healthInterval(Duration.ZERO)
                .build();
        final EdgeGateway gateway = EdgeGateway.create(config);
        gateways.add(gateway);
        try {
            gateway.start();
        } catch (final java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return gateway;
    }

    private List<Double> telemetryValues(final String property) {
        final List<Double> values = new ArrayList<>();
        for (final Received r : broker.receivedOn(TELEMETRY)) {
            final JsonObject telemetry = r.json().getJsonObject("features").getJsonObject("telemetry");
            if (telemetry != null && telemetry.containsKey(property)) {
                values.add(Math.round(telemetry.getDouble(property) * 100) / 100.0);
            }
        }
        return values;
    }

    private List<String> states() {
        return broker.receivedOn(STATE_EVENT).stream().map(EdgeGatewayIT::state).filter(s -> s != null).toList();
    }

    private static String state(final Received r) {
        final JsonObject state = r.json().getJsonObject("features").getJsonObject("state");
        return state == null ? null : state.getString("state");
    }

    private static boolean near(final double actual, final double expected) {
        return Math.abs(actual - expected) < 0.02;
    }
}
