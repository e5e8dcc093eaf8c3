package io.plantmesh.devices.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.plantmesh.devices.ingress.support.IngressFixture;
import io.plantmesh.devices.ingress.support.TestDevice;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.kafka.EmbeddedKafkaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** PUBACK is tied to Kafka's acknowledgement: with the broker gone, a QoS 1 message is never acknowledged. */
class PubackAfterKafkaIT {

    private static final String MACHINE = "plant1:machine-3-01";

    @TempDir
    Path dir;

    @Test
    void noPubackWhileKafkaCannotAcknowledge() throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.create(EmbeddedKafkaConfig.defaults(dir));
                HonoIngress ingress = HonoIngress.create(IngressConfig.defaults(
                        "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), kafka.start())
                        .withMqttPort(0).withRegistryPort(IngressConfig.NO_REGISTRY_SERVER)
                        .withTenants(Set.of("plant1")).withBcryptCost(4)
                        .withDownstreamTimeout(Duration.ofSeconds(3)))) {
            IngressEndpoints endpoints = ingress.start();
            ingress.registry().ensureTenant("plant1", new JsonObject());
            ingress.registry().putDevice("plant1", MACHINE, new JsonObject());
            ingress.registry().setPassword("plant1", MACHINE, IngressFixture.authId(MACHINE), "pw");

            try (TestDevice device = TestDevice.connect(vertx, endpoints.mqttPort(),
                    IngressFixture.username(MACHINE), "pw")) {
                int accepted = device.publish("telemetry", Buffer.buffer("while kafka is up"), MqttQoS.AT_LEAST_ONCE);
                await().atMost(Duration.ofSeconds(30)).until(() -> device.isAcked(accepted));

                kafka.close();
                int pending = device.publish("telemetry", Buffer.buffer("while kafka is down"),
                        MqttQoS.AT_LEAST_ONCE);

                // the send fails after the downstream timeout; without an error subscription Hono closes the connection
                await().atMost(Duration.ofSeconds(60)).until(device::isClosed);
                assertThat(device.isAcked(pending)).isFalse();
            }
            assertThat(ingress.metrics().rejected(RejectReason.DOWNSTREAM_UNAVAILABLE)).isEqualTo(1);
            assertThat(ingress.metrics().telemetryAccepted()).isEqualTo(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            mongo.shutdownNow();
        }
    }
}
