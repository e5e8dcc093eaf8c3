package io.plantmesh.devices.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

import io.plantmesh.devices.simulator.mqtt.MqttDeviceSettings;

/** The default floor (the launcher's demo plant) started whole: 5 OPC-UA servers and 15 MQTT devices. */
class ShopFloorSimulatorIT {

    private final Set<String> mqttUsers = ConcurrentHashMap.newKeySet();
    private Vertx vertx;
    private MqttServer broker;
    private Path pki;
    private ShopFloorSimulator floor;

    @BeforeEach
    void startBroker() throws Exception {
        vertx = Vertx.vertx();
        broker = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
        broker.endpointHandler(endpoint -> {
            mqttUsers.add(endpoint.auth().getUsername());
            endpoint.subscribeHandler(s -> endpoint.subscribeAcknowledge(s.messageId(),
                    s.topicSubscriptions().stream().map(t -> t.qualityOfService()).toList()));
            endpoint.publishHandler(m -> {
                if (m.qosLevel().value() == 1) {
                    endpoint.publishAcknowledge(m.messageId());
                }
            });
            endpoint.accept(false);
        });
        broker.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        pki = Files.createTempDirectory("plantmesh-sim-floor");
    }

    @AfterEach
    void stop() throws Exception {
        if (floor != null) {
            floor.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(pki)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theDefaultFloorServesFiveLinesAndFifteenMqttDevices() throws Exception {
        floor = ShopFloorSimulator.create(SimulatorConfig.defaults(pki).toBuilder()
                .opcUaBasePort(0)
                .mqtt(MqttDeviceSettings.defaults().withEndpoint("127.0.0.1", broker.actualPort()))
                .build());
        floor.start();

        assertThat(floor.machines()).hasSize(50);
        assertThat(floor.opcUaEndpoints()).containsOnlyKeys(1, 2, 3, 4, 5);
        await().atMost(30, TimeUnit.SECONDS).until(() -> mqttUsers.size() == 15);
        assertThat(mqttUsers).contains("plant1_machine-1-03@plant1", "plant1_machine-5-06@plant1");

        // line 3's server hosts its seven OPC-UA machines, and not the MQTT ones
        final OpcUaClient client = OpcUaClient.create(floor.opcUaEndpoint(3).orElseThrow());
        try {
            client.connect();
            final int ns = client.readNamespaceTable().getIndex("urn:plantmesh:sim").intValue();
            final List<String> opcUaKeys = floor.layout().stream()
                    .filter(s -> s.line() == 3 && s.protocol() == DeviceProtocol.OPC_UA).map(MachineSpec::key)
                    .toList();
            assertThat(opcUaKeys).hasSize(7);
            for (final String key : opcUaKeys) {
                assertThat(client.readValue(0, TimestampsToReturn.Neither, new NodeId(ns, key + ".State"))
                        .statusCode().isGood()).as(key).isTrue();
            }
            assertThat(client.readValue(0, TimestampsToReturn.Neither, new NodeId(ns, "L3M01.State"))
                    .statusCode().isGood()).as("L3M01 is an MQTT machine").isFalse();
        } finally {
            client.disconnect();
        }
        assertThat(floor.faultLog()).isEmpty();
    }
}
