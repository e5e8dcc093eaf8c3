package io.plantmesh.devices.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

import io.plantmesh.devices.simulator.DeviceProtocol;
import io.plantmesh.devices.simulator.MachineSpec;
import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.SimulatorConfig;
import io.plantmesh.devices.simulator.machine.MachineType;

/**
 * An MQTT machine against a test MQTT server standing in for Hono's MQTT adapter: it logs in as
 * {@code plant1_machine-1-08@plant1}, subscribes to its commands, publishes telemetry (QoS 0) and events (QoS 1) with
 * the PlantMesh content type, answers commands on the response topic, and reconnects after the server drops it.
 */
class MachineMqttDeviceIT {

    private record Connect(String clientId, String username, String password) {
    }

    private record Publish(String topic, Buffer payload, MqttQoS qos) {
    }

    private final List<Connect> connects = new CopyOnWriteArrayList<>();
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Publish> publishes = new CopyOnWriteArrayList<>();
    private final List<MqttEndpoint> endpoints = new CopyOnWriteArrayList<>();

    private Vertx vertx;
    private MqttServer server;
    private Path pki;
    private ShopFloorSimulator floor;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
        server.endpointHandler(endpoint -> {
            connects.add(new Connect(endpoint.clientIdentifier(), endpoint.auth().getUsername(),
                    endpoint.auth().getPassword()));
            endpoints.add(endpoint);
            endpoint.subscribeHandler(subscribe -> {
                subscribe.topicSubscriptions().forEach(s -> subscriptions.add(s.topicName()));
                endpoint.subscribeAcknowledge(subscribe.messageId(),
                        subscribe.topicSubscriptions().stream().map(s -> s.qualityOfService()).toList());
            });
            endpoint.publishHandler(message -> {
                publishes.add(new Publish(message.topicName(), message.payload().copy(), message.qosLevel()));
                if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                    endpoint.publishAcknowledge(message.messageId());
                }
            });
            endpoint.accept(false);
        });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        pki = Files.createTempDirectory("plantmesh-sim-mqtt");
        final MachineSpec machine = new MachineSpec("plant1:machine-1-08", "L1M08", 1, 8, MachineType.CNC_MILL,
                "Machining centre 1-08", DeviceProtocol.MQTT);
        floor = ShopFloorSimulator.create(SimulatorConfig.builder(pki)
                .machines(List.of(machine))
                .opcUaEnabled(false)
                .timeScale(60)
                .tickInterval(Duration.ofMillis(100))
                .profileTuning(p -> p.withSetupTime(Duration.ofSeconds(30)).withMtbf(Duration.ofDays(10_000)))
                .mqtt(MqttDeviceSettings.defaults()
                        .withEndpoint("127.0.0.1", server.actualPort())
                        .withPasswords("default-secret", Map.of("plant1:machine-1-08", "secret-1-08"))
                        .withTelemetryInterval(Duration.ofMillis(200))
                        .withReconnect(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build());
        floor.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (floor != null) {
            floor.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(pki);
    }

    @Test
    void connectsPublishesTelemetryAndEventsAndAnswersCommands() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> !connects.isEmpty() && !subscriptions.isEmpty());
        assertThat(connects.get(0)).isEqualTo(new Connect("plant1_machine-1-08", "plant1_machine-1-08@plant1",
                "secret-1-08"));
        assertThat(subscriptions).containsExactly("command///req/#");

        await().atMost(20, TimeUnit.SECONDS).until(() -> telemetry().size() >= 3);
        final Publish telemetry = telemetry().get(0);
        assertThat(telemetry.topic()).isEqualTo("telemetry/?content-type=application%2Fvnd.plantmesh.machine%2Bjson");
        assertThat(telemetry.qos()).isEqualTo(MqttQoS.AT_MOST_ONCE);
        assertThat(telemetry.payload().length()).isLessThan(2048);
        final JsonObject features = telemetry.payload().toJsonObject().getJsonObject("features");
        assertThat(features.getJsonObject("telemetry").getDouble("temperature")).isBetween(10.0, 60.0);
        assertThat(features.getJsonObject("state").getString("state")).isEqualTo("IDLE");

        // the current state is reported as an event (QoS 1) right after connecting
        await().atMost(20, TimeUnit.SECONDS).until(() -> !events().isEmpty());
        assertThat(events().get(0).qos()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        assertThat(events().get(0).topic()).isEqualTo("event/?content-type=application%2Fvnd.plantmesh.machine%2Bjson");

        final MqttEndpoint adapter = endpoints.get(endpoints.size() - 1);
        vertx.runOnContext(v -> adapter.publish("command///req/0a1b/startJob",
                new JsonObject().put("workOrder", "plant1:wo-100001").put("operation", "0010").toBuffer(),
                MqttQoS.AT_LEAST_ONCE, false, false));

        await().atMost(20, TimeUnit.SECONDS).until(() -> response("command///res/0a1b/200") != null);
        final JsonObject answer = response("command///res/0a1b/200").payload().toJsonObject();
        assertThat(answer.getBoolean("accepted")).isTrue();
        assertThat(answer.getString("message")).contains("plant1:wo-100001/0010");

        // the state changes reach the adapter as events: SETUP, then RUNNING after the (scaled) setup time
        await().atMost(20, TimeUnit.SECONDS).until(() -> eventStates().contains("SETUP")
                && eventStates().contains("RUNNING"));

        vertx.runOnContext(v -> adapter.publish("command///req/0a1c/calibrate", Buffer.buffer(),
                MqttQoS.AT_LEAST_ONCE, false, false));
        await().atMost(20, TimeUnit.SECONDS).until(() -> response("command///res/0a1c/400") != null);
        assertThat(response("command///res/0a1c/400").payload().toJsonObject().getBoolean("accepted")).isFalse();
    }

    @Test
    void reconnectsAfterTheAdapterDropsTheConnection() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> connects.size() == 1 && !subscriptions.isEmpty());
        final MqttEndpoint first = endpoints.get(0);

        vertx.runOnContext(v -> first.close());

        await().atMost(20, TimeUnit.SECONDS).until(() -> connects.size() >= 2 && subscriptions.size() >= 2);
        final int telemetryBefore = telemetry().size();
        await().atMost(20, TimeUnit.SECONDS).until(() -> telemetry().size() > telemetryBefore);
    }

    private List<Publish> telemetry() {
        return publishes.stream().filter(p -> p.topic().startsWith("telemetry/")).toList();
    }

    private List<Publish> events() {
        return publishes.stream().filter(p -> p.topic().startsWith("event/")).toList();
    }

    private List<String> eventStates() {
        return events().stream()
                .map(p -> p.payload().toJsonObject().getJsonObject("features").getJsonObject("state")
                        .getString("state"))
                .toList();
    }

    private Publish response(final String topic) {
        return publishes.stream().filter(p -> p.topic().equals(topic)).findFirst().orElse(null);
    }
}
