package io.plantmesh.devices.ingress;

import static io.plantmesh.devices.ingress.support.IngressFixture.via;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.util.QoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.plantmesh.devices.ingress.support.IngressFixture;
import io.plantmesh.devices.ingress.support.TestDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * Devices publish over MQTT; Hono's own application client (KafkaApplicationClientImpl 2.6.0) reads the records:
 * this proves the northbound format and the adapter's rules.
 */
class NorthboundFormatIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MACHINE = "plant1:machine-1-01";
    private static final String GATEWAY = "plant1:gateway-1";
    private static final String BEHIND_GATEWAY = "plant1:machine-1-02";
    private static final String NOT_BEHIND_GATEWAY = "plant1:machine-1-03";
    private static final String DITTO_DEFAULTS = "plant1:machine-1-04";
    private static final String DISABLED = "plant1:machine-1-05";
    private static final String PASSWORD = "s3cret-pw";

    @TempDir
    static Path dir;
    static IngressFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngressFixture(dir, c -> c);
        fixture.device(MACHINE, new JsonObject(), PASSWORD);
        fixture.device(GATEWAY, new JsonObject(), PASSWORD);
        fixture.device(BEHIND_GATEWAY, via(GATEWAY), PASSWORD);
        fixture.device(NOT_BEHIND_GATEWAY, via("plant1:gateway-2"), PASSWORD);
        fixture.device(DITTO_DEFAULTS, new JsonObject().put("defaults",
                new JsonObject().put("content-type", "application/vnd.eclipse.ditto+json")), PASSWORD);
        fixture.device(DISABLED, new JsonObject().put("enabled", false), PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void telemetryWithQos1ArrivesWithHonosHeadersAndIsAcknowledged() throws Exception {
        String payload = "{\"ts\":1764144000000,\"features\":{\"telemetry\":{\"spindleSpeed\":1200.5}},\"id\":\""
                + UUID.randomUUID() + "\"}";
        Instant before = Instant.now().minusMillis(1);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            String topic = "telemetry/?content-type=application%2Fvnd.plantmesh.machine%2Bjson";
            int packetId = device.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> device.isAcked(packetId));

            DownstreamMessage<KafkaMessageContext> m = awaitTelemetry(payload);
            assertThat(m.getTenantId()).isEqualTo("plant1");
            assertThat(m.getDeviceId()).isEqualTo(MACHINE);
            assertThat(m.getContentType()).isEqualTo("application/vnd.plantmesh.machine+json");
            assertThat(m.getQos()).isEqualTo(QoS.AT_LEAST_ONCE);
            assertThat(m.getPayload().toString()).isEqualTo(payload);
            assertThat(m.getCreationTime()).isBetween(before, Instant.now());
            assertThat(m.getTimeToLive()).isNull();
            assertThat(m.getProperties().getProperty("orig_adapter", String.class)).isEqualTo("hono-mqtt");
            assertThat(m.getProperties().getProperty("orig_address", String.class)).isEqualTo(topic);
            assertThat(m.getProperties().getPropertiesMap()).doesNotContainKey("x-opt-retain");
            assertThat(m.getMessageContext().getRecord().key()).isEqualTo(MACHINE);
        }
    }

    @Test
    void telemetryWithQos0GetsTheDefaultContentTypeAndRetainBecomesAHeader() throws Exception {
        String payload = "raw-" + UUID.randomUUID();
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            device.publish("t", Buffer.buffer(payload), MqttQoS.AT_MOST_ONCE, true);
            DownstreamMessage<KafkaMessageContext> m = awaitTelemetry(payload);
            assertThat(m.getQos()).isEqualTo(QoS.AT_MOST_ONCE);
            assertThat(m.getContentType()).isEqualTo("application/octet-stream");
            assertThat(m.getProperties().getProperty("x-opt-retain", Boolean.class)).isTrue();
        }
    }

    @Test
    void deviceDefaultsSetTheContentType() throws Exception {
        String payload = "{\"topic\":\"plant1/machine-1-04/things/twin/commands/modify\",\"path\":\"/\",\"value\":\""
                + UUID.randomUUID() + "\"}";
        try (TestDevice device = fixture.connect(DITTO_DEFAULTS, PASSWORD)) {
            device.publish("telemetry", Buffer.buffer(payload), MqttQoS.AT_MOST_ONCE);
            assertThat(awaitTelemetry(payload).getContentType()).isEqualTo("application/vnd.eclipse.ditto+json");
        }
    }

    @Test
    void eventWithTtlArrivesWithTimeToLive() throws Exception {
        String payload = "{\"alarm\":{\"code\":\"TEMP_HIGH\",\"id\":\"" + UUID.randomUUID() + "\"}}";
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            int packetId = device.publish("event/?content-type=application%2Fvnd.plantmesh.alarm%2Bjson&hono-ttl=30",
                    Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> device.isAcked(packetId));
            DownstreamMessage<KafkaMessageContext> m = awaitEvent(payload);
            assertThat(m.getDeviceId()).isEqualTo(MACHINE);
            assertThat(m.getContentType()).isEqualTo("application/vnd.plantmesh.alarm+json");
            assertThat(m.getQos()).isEqualTo(QoS.AT_LEAST_ONCE);
            assertThat(m.getTimeToLive()).isEqualTo(Duration.ofSeconds(30));
            assertThat(m.getCreationTime()).isNotNull();
        }
    }

    @Test
    void eventWithQos0IsRefusedAndTheConnectionClosed() throws Exception {
        String refused = "refused-" + UUID.randomUUID();
        long before = fixture.ingress.metrics().rejected(RejectReason.QOS_NOT_SUPPORTED);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            device.publish("e", Buffer.buffer(refused), MqttQoS.AT_MOST_ONCE);
            await().atMost(WAIT).until(device::isClosed);
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.QOS_NOT_SUPPORTED)).isEqualTo(before + 1);
        assertNeverForwarded(MACHINE, refused);
    }

    @Test
    void gatewayPublishesForADeviceThatListsIt() throws Exception {
        String payload = "via-gw-" + UUID.randomUUID();
        try (TestDevice gateway = fixture.connect(GATEWAY, PASSWORD)) {
            int packetId = gateway.publish("telemetry//" + BEHIND_GATEWAY, Buffer.buffer(payload),
                    MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> gateway.isAcked(packetId));
            assertThat(awaitTelemetry(payload).getDeviceId()).isEqualTo(BEHIND_GATEWAY);

            String second = "via-gw-tenant-" + UUID.randomUUID();
            gateway.publish("e/plant1/" + BEHIND_GATEWAY, Buffer.buffer(second), MqttQoS.AT_LEAST_ONCE);
            assertThat(awaitEvent(second).getDeviceId()).isEqualTo(BEHIND_GATEWAY);
        }
    }

    @Test
    void gatewayNotInViaIsRefusedAndDisconnected() throws Exception {
        String refused = "not-via-" + UUID.randomUUID();
        long before = fixture.ingress.metrics().rejected(RejectReason.NOT_AUTHORIZED);
        try (TestDevice gateway = fixture.connect(GATEWAY, PASSWORD)) {
            int packetId = gateway.publish("telemetry//" + NOT_BEHIND_GATEWAY, Buffer.buffer(refused),
                    MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(gateway::isClosed);
            assertThat(gateway.isAcked(packetId)).isFalse();
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.NOT_AUTHORIZED)).isEqualTo(before + 1);
        assertNeverForwarded(NOT_BEHIND_GATEWAY, refused);
    }

    @Test
    void gatewayWithErrorSubscriptionGetsAnErrorMessageAndStaysConnected() throws Exception {
        String refused = "not-via-err-" + UUID.randomUUID();
        try (TestDevice gateway = fixture.connect(GATEWAY, PASSWORD)) {
            assertThat(gateway.subscribe("error//+/#", 0)).isEqualTo(0);
            gateway.publish("telemetry//" + NOT_BEHIND_GATEWAY + "/?correlation-id=c-42", Buffer.buffer(refused),
                    MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> !gateway.received().isEmpty());
            MqttPublishMessage error = gateway.received().get(0);
            assertThat(error.topicName()).isEqualTo("error//" + NOT_BEHIND_GATEWAY + "/telemetry/c-42/403");
            JsonObject body = error.payload().toJsonObject();
            assertThat(body.getInteger("code")).isEqualTo(403);
            assertThat(body.getString("correlation-id")).isEqualTo("c-42");
            assertThat(body.getString("message")).contains("via");
            assertThat(body.getString("timestamp")).isNotBlank();
            assertThat(gateway.isClosed()).isFalse();
        }
        assertNeverForwarded(NOT_BEHIND_GATEWAY, refused);
    }

    @Test
    void wrongPasswordIsRefusedWithBadUserNameOrPassword() {
        assertThatThrownBy(() -> fixture.connect(MACHINE, "wrong"))
                .isInstanceOfSatisfying(TestDevice.Refused.class, e -> assertThat(e.code())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> TestDevice.connect(fixture.vertx, fixture.endpoints.mqttPort(), "nobody@plant1", "x"))
                .isInstanceOfSatisfying(TestDevice.Refused.class, e -> assertThat(e.code())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void disabledDeviceIsRefusedAsNotAuthorized() {
        assertThatThrownBy(() -> fixture.connect(DISABLED, PASSWORD))
                .isInstanceOfSatisfying(TestDevice.Refused.class, e -> assertThat(e.code())
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED));
    }

    @Test
    void oversizedPayloadClosesTheConnectionAndIsCounted() throws Exception {
        long before = fixture.ingress.metrics().rejected(RejectReason.PAYLOAD_TOO_LARGE);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            device.publish("telemetry", Buffer.buffer(new byte[2049]), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(device::isClosed);
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.PAYLOAD_TOO_LARGE)).isEqualTo(before + 1);
    }

    @Test
    void emptyPayloadNeedsAContentType() throws Exception {
        long before = fixture.ingress.metrics().rejected(RejectReason.EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            device.publish("telemetry", Buffer.buffer(), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(device::isClosed);
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.EMPTY_PAYLOAD_WITHOUT_CONTENT_TYPE))
                .isEqualTo(before + 1);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            String contentType = "application/x-heartbeat-" + UUID.randomUUID();
            int packetId = device.publish("telemetry/?content-type=" + contentType, Buffer.buffer(),
                    MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> device.isAcked(packetId));
            await().atMost(WAIT).until(() -> fixture.telemetry.stream()
                    .anyMatch(m -> contentType.equals(m.getContentType())));
        }
    }

    @Test
    void unknownTopicIsRefused() throws Exception {
        long before = fixture.ingress.metrics().rejected(RejectReason.MALFORMED_TOPIC);
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            device.publish("plant/floor/temperature", Buffer.buffer("1"), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(device::isClosed);
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.MALFORMED_TOPIC)).isEqualTo(before + 1);
    }

    /** Same key, same partition: once a later marker from the device arrived, the refused record can't follow. */
    private static void assertNeverForwarded(String deviceId, String refusedPayload) throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        try (TestDevice device = fixture.connect(deviceId, PASSWORD)) {
            int packetId = device.publish("t", Buffer.buffer(marker), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> device.isAcked(packetId));
        }
        awaitTelemetry(marker);
        List<String> events = fixture.events.stream().map(m -> String.valueOf(m.getPayload())).toList();
        List<String> telemetry = fixture.telemetry.stream().map(m -> String.valueOf(m.getPayload())).toList();
        assertThat(telemetry).doesNotContain(refusedPayload);
        assertThat(events).doesNotContain(refusedPayload);
    }

    private static DownstreamMessage<KafkaMessageContext> awaitTelemetry(String payload) {
        return awaitIn(fixture.telemetry, payload);
    }

    private static DownstreamMessage<KafkaMessageContext> awaitEvent(String payload) {
        return awaitIn(fixture.events, payload);
    }

    private static DownstreamMessage<KafkaMessageContext> awaitIn(List<DownstreamMessage<KafkaMessageContext>> list,
            String payload) {
        return await().atMost(WAIT).until(() -> list.stream()
                .filter(m -> m.getPayload() != null && payload.equals(m.getPayload().toString())).findFirst(),
                Optional::isPresent).orElseThrow();
    }
}
