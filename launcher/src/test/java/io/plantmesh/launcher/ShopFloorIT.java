package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

import io.plantmesh.devices.ingress.registry.Device;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.shopfloor.RunningShopFloor;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan.FloorMachine;

/**
 * The whole embedded footprint in-process, with a small floor of the demo plant (one line: two OPC-UA machines of
 * different types and one MQTT machine) on free ports: OPC-UA values reach the twins, a fault shows DOWN, live
 * messages run OPC-UA methods and MQTT commands and their answers come back to the HTTP caller, bad device
 * credentials are refused, and a restart registers nothing again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopFloorIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    private Floor floor;
    private RunningPlantMesh running;
    private TwinHttp http;
    private final Vertx vertx = Vertx.vertx();

    /** The test floor: a machine for jobs and one that fails over OPC-UA, and an MQTT machine. */
    private record Floor(FloorMachine opcUaJob, FloorMachine opcUaFault, FloorMachine mqtt) {

        Set<String> ids() {
            return Set.of(opcUaJob.thingId(), opcUaFault.thingId(), mqtt.thingId());
        }
    }

    @BeforeAll
    void startTheFootprint() {
        floor = chooseFloor();
        MachineType failing = floor.opcUaFault().type();
        ShopFloorOptions shopFloor = ShopFloorOptions.forTests()
                .withMachines(floor.ids()::contains)
                // only the fault machine's type fails, within seconds, and stays DOWN for the rest of the test
                .withProfileTuning(p -> p.equals(failing.profile())
                        ? p.withMtbf(Duration.ofSeconds(2)).withMttr(Duration.ofHours(8)) : p);
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(shopFloor),
                LaunchListener.silent());
        http = new TwinHttp(running.httpPort());
    }

    @AfterAll
    void stop() throws Exception {
        if (running != null) {
            running.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A line of the seed-42 demo plant with two OPC-UA machines of different types and an MQTT machine. */
    private static Floor chooseFloor() {
        DemoPlant plant = DemoPlant.generate("plant1", LaunchOptions.DEFAULT_DEMO_SEED, Instant.now());
        ShopFloorPlan all = ShopFloorPlan.of("plant1", plant.machines(), id -> true);
        for (List<FloorMachine> line : all.machinesByLine().values()) {
            for (FloorMachine fault : line) {
                Optional<FloorMachine> job = line.stream()
                        .filter(m -> m.opcUa() && fault.opcUa() && m.type() != fault.type()).findFirst();
                Optional<FloorMachine> mqtt = line.stream()
                        .filter(m -> !m.opcUa() && m.type() != fault.type()).findFirst();
                if (job.isPresent() && mqtt.isPresent()) {
                    return new Floor(job.get(), fault, mqtt.get());
                }
            }
        }
        throw new AssertionError("the demo plant has no line with OPC-UA machines of two types and an MQTT machine");
    }

    @Test
    @Order(1)
    void everyServiceOfTheFloorIsUp() {
        RunningShopFloor shopFloor = running.shopFloor().orElseThrow();
        assertThat(shopFloor.kafkaBootstrapServers()).startsWith("127.0.0.1:");
        assertThat(shopFloor.ingressEndpoints().mqttPort()).isPositive();
        assertThat(shopFloor.ingressEndpoints().registryUrl()).startsWith("http://127.0.0.1:").endsWith("/v1");
        assertThat(shopFloor.opcUaEndpoints()).containsOnlyKeys(floor.opcUaJob().line());
        assertThat(shopFloor.gateways()).hasSize(1);
        assertThat(shopFloor.ingestion()).isPresent();
        assertThat(shopFloor.simulator().machines()).hasSize(3);
    }

    @Test
    @Order(2)
    void opcUaValuesReachTheTwin() throws Exception {
        String machine = floor.opcUaJob().thingId();
        SimulatedMachine simulated = running.shopFloor().orElseThrow().simulator().machine(machine).orElseThrow();
        List<Double> seen = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Double temperature = number(machine, "telemetry/properties/temperature");
            assertThat(temperature).as("twin temperature of " + machine).isNotNull();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(temperature)) {
                seen.add(temperature);
            }
            // the twin follows the machine: at least two different readings, the latest close to the machine's own
            assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
            assertThat(temperature).isCloseTo(simulated.snapshot().temperature(),
                    org.assertj.core.data.Offset.offset(2.0));
        });
        assertThat(text(machine, "state/properties/state")).isEqualTo("IDLE");
    }

    @Test
    @Order(2)
    void theGatewayHasATwinShowingItsConnectionBufferAndSessionsAndNothingOfItIsDeadLettered() throws Exception {
        String gateway = "plant1:gateway-" + floor.opcUaJob().line();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> twin = http.get("/things/" + gateway);
            assertThat(twin.statusCode()).as(twin.body()).isEqualTo(200);
            JsonObject features = new JsonObject(twin.body()).getJsonObject("features");
            assertThat(features.getJsonObject("connectivity").getJsonObject("properties").getBoolean("connected"))
                    .as("Hono's ttd notification of the gateway's command subscription").isTrue();
            JsonObject buffer = features.getJsonObject("buffer").getJsonObject("properties");
            assertThat(buffer.getLong("messages")).as(twin.body()).isZero();
            assertThat(buffer.getLong("overflowed")).isZero();
            JsonObject machines = features.getJsonObject("opcua").getJsonObject("properties")
                    .getJsonObject("machines");
            assertThat(machines.getJsonObject(floor.opcUaJob().thingId()).getString("session"))
                    .isEqualTo("CONNECTED");
            assertThat(machines.getJsonObject(floor.opcUaFault().thingId()).getString("session"))
                    .isEqualTo("CONNECTED");
        });
        assertThat(http.get("/things/" + gateway).body()).contains("\"definition\":\"io.plantmesh:edge-gateway:1.0.0\"",
                "\"policyId\":\"plant1:gateways\"");
        // the gateway's own notifications and reports found their twin: none of them was dead-lettered
        assertThat(running.shopFloor().orElseThrow().ingestion().orElseThrow().counters().deadLetteredByReason())
                .doesNotContainKey("things:thing.notfound");
        assertThat(deadLettersOf(gateway)).isZero();
    }

    /** Records in the tenant's dead-letter topic whose key (device id) is the given one. */
    private long deadLettersOf(String deviceId) {
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", running.shopFloor().orElseThrow().kafkaBootstrapServers());
        props.put("group.id", "shopfloor-it-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        String topic = io.plantmesh.devices.ingestion.deadletter.DeadLetterPublisher.topicFor("plant1");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(props)) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic,
                    Duration.ofSeconds(10)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return 0;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            for (int polls = 0; polls < 50 && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p));
                    polls++) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (deviceId.equals(record.key())) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    @Test
    @Order(3)
    void aMachineFaultShowsDownOnTheTwin() throws Exception {
        String machine = floor.opcUaFault().thingId();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(text(machine, "state/properties/state")).isEqualTo("DOWN"));
        SimulatedMachine simulated = running.shopFloor().orElseThrow().simulator().machine(machine).orElseThrow();
        assertThat(simulated.faultLog()).isNotEmpty();
        assertThat(text(machine, "state/properties/reason"))
                .contains(simulated.faultLog().get(0).mode().code());
    }

    @Test
    @Order(4)
    void startJobOnAnOpcUaMachineRunsTheMethodAndAnswersTheCaller() throws Exception {
        String machine = floor.opcUaJob().thingId();
        awaitTelemetry(machine);
        HttpResponse<String> response = http.post("/things/" + machine + "/inbox/messages/startJob",
                "{\"workOrder\":\"plant1:wo-100001\",\"operation\":\"10\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject answer = new JsonObject(response.body());
        assertThat(answer.getBoolean("accepted")).as(response.body()).isTrue();
        assertThat(answer.getString("message")).isNotBlank();
        SimulatedMachine simulated = running.shopFloor().orElseThrow().simulator().machine(machine).orElseThrow();
        assertThat(simulated.snapshot().jobId()).isEqualTo("plant1:wo-100001/10");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(text(machine, "state/properties/state")).isIn("SETUP", "RUNNING"));
    }

    @Test
    @Order(5)
    void startJobOnAnMqttMachineIsACommandWhoseResponseReturnsToTheCaller() throws Exception {
        String machine = floor.mqtt().thingId();
        awaitTelemetry(machine);
        HttpResponse<String> response = http.post("/things/" + machine + "/inbox/messages/startJob",
                "{\"workOrder\":\"plant1:wo-100006\",\"operation\":\"10\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getBoolean("accepted")).as(response.body()).isTrue();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(text(machine, "state/properties/state")).isIn("SETUP", "RUNNING"));

        // a second start while the job runs is refused by the machine, and that answer comes back too
        HttpResponse<String> again = http.post("/things/" + machine + "/inbox/messages/startJob",
                "{\"workOrder\":\"plant1:wo-100011\",\"operation\":\"10\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(new JsonObject(again.body()).getBoolean("accepted")).isFalse();
    }

    @Test
    @Order(6)
    void devicesWithWrongCredentialsAreRefused() throws Throwable {
        int port = running.shopFloor().orElseThrow().ingressEndpoints().mqttPort();
        String user = ShopFloorPlan.authId(floor.opcUaFault().thingId()) + "@plant1";
        assertThatThrownBy(() -> connect(port, user, "not-the-password"))
                .isInstanceOfSatisfying(MqttConnectionException.class, e -> assertThat(e.code())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> connect(port, "plant1_machine-9-99@plant1", ShopFloorOptions.DEFAULT_DEVICE_PASSWORD))
                .isInstanceOfSatisfying(MqttConnectionException.class, e -> assertThat(e.code())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));
        // the same device with its provisioned password is let in
        MqttClient client = connect(port, user, ShopFloorOptions.DEFAULT_DEVICE_PASSWORD);
        assertThat(client.isConnected()).isTrue();
        client.disconnect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    @Order(7)
    void aRestartRegistersNothingAgain() {
        RunningShopFloor before = running.shopFloor().orElseThrow();
        Map<String, String> versions = deviceVersions(before);
        assertThat(versions).hasSize(4); // 3 machines and the line's gateway
        Device opcUa = before.ingress().registry().device("plant1", floor.opcUaJob().thingId()).orElseThrow();
        assertThat(opcUa.via()).containsExactly("plant1:gateway-" + floor.opcUaJob().line());
        assertThat(before.ingress().registry().device("plant1", floor.mqtt().thingId()).orElseThrow().via())
                .isEmpty();
        running.close();
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(ShopFloorOptions.forTests()
                .withMachines(floor.ids()::contains)), LaunchListener.silent());
        assertThat(deviceVersions(running.shopFloor().orElseThrow())).isEqualTo(versions);
    }

    @Test
    @Order(8)
    void anMqttPortInUseNamesTheOption() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            LaunchOptions options = LaunchOptions.forTests(dataDir.resolve("port-in-use"))
                    .withShopFloor(ShopFloorOptions.forTests().withMachines(floor.ids()::contains)
                            .withPorts(0, taken.getLocalPort(), 0, 0));
            assertThatThrownBy(() -> PlantMeshLauncher.start(options, LaunchListener.silent()))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("The MQTT adapter cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--mqtt-port or PLANTMESH_MQTT_PORT")
                    .hasMessageContaining("--no-devices");
        }
        // everything the failed start had started was stopped again: the same directory starts cleanly
        try (RunningPlantMesh again = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir.resolve("port-in-use"))
                .withDemo(false), LaunchListener.silent())) {
            assertThat(again.shopFloor()).isEmpty();
        }
    }

    private Map<String, String> deviceVersions(RunningShopFloor shopFloor) {
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(floor.ids());
        ids.add("plant1:gateway-" + floor.opcUaJob().line());
        for (String id : ids) {
            versions.put(id, shopFloor.ingress().registry().device("plant1", id).orElseThrow().version());
        }
        return versions;
    }

    private MqttClient connect(int port, String user, String password) throws Throwable {
        MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setUsername(user).setPassword(password)
                .setClientId("shopfloor-it-" + System.nanoTime()));
        try {
            client.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause(); // MqttConnectionException is a Throwable, not an Exception
        }
        return client;
    }

    private void awaitTelemetry(String machine) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(number(machine, "telemetry/properties/temperature")).as("telemetry of " + machine)
                        .isNotNull());
    }

    private Double number(String machine, String path) throws Exception {
        HttpResponse<String> response = http.get("/things/" + machine + "/features/" + path);
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return "null".equals(response.body()) ? null : Double.valueOf(response.body());
    }

    private String text(String machine, String path) throws Exception {
        HttpResponse<String> response = http.get("/things/" + machine + "/features/" + path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body().startsWith("\"") ? new io.vertx.core.json.JsonArray("[" + response.body() + "]")
                .getString(0) : response.body();
    }
}
