package io.plantmesh.devices.ingress;

import static io.plantmesh.devices.ingress.support.IngressFixture.TENANT;
import static io.plantmesh.devices.ingress.support.IngressFixture.await;
import static io.plantmesh.devices.ingress.support.IngressFixture.via;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.client.ServiceInvocationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.support.IngressFixture;
import io.plantmesh.devices.ingress.support.TestDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.messages.MqttPublishMessage;

/** Commands sent with Hono's own application client reach MQTT devices and gateways; their answers come back. */
class CommandAndControlIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MACHINE = "plant1:machine-2-01";
    private static final String GATEWAY = "plant1:gateway-2";
    private static final String BEHIND_GATEWAY = "plant1:machine-2-08";
    private static final String OFFLINE = "plant1:machine-2-09";
    private static final String PASSWORD = "cmd-pw";

    @TempDir
    static Path dir;
    static IngressFixture fixture;
    static final List<DownstreamMessage<KafkaMessageContext>> responses = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fixture = new IngressFixture(dir, c -> c);
        fixture.device(MACHINE, new JsonObject(), PASSWORD);
        fixture.device(GATEWAY, new JsonObject(), PASSWORD);
        fixture.device(BEHIND_GATEWAY, via(GATEWAY), PASSWORD);
        fixture.device(OFFLINE, new JsonObject(), PASSWORD);
        await(fixture.honoClient.createCommandResponseConsumer(TENANT, null, responses::add, t -> { }));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void requestResponseCommandRoundTripsThroughASubscribedDevice() throws Exception {
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            answerEveryCommand(device, "command///res/%s/200/?content-type=application%%2Fjson",
                    "{\"accepted\":true}");
            assertThat(device.subscribe("command///req/#", 1)).isEqualTo(1);
            awaitTtd(MACHINE, -1);

            DownstreamMessage<KafkaMessageContext> response = await(fixture.honoClient.sendCommand(TENANT, MACHINE,
                    "startJob", Buffer.buffer("{\"workOrder\":\"WO-1\",\"operation\":\"10\"}"), "application/json"));

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getDeviceId()).isEqualTo(MACHINE);
            assertThat(response.getContentType()).isEqualTo("application/json");
            assertThat(response.getPayload().toJsonObject().getBoolean("accepted")).isTrue();
            assertThat(response.getProperties().getProperty("tenant_id", String.class)).isEqualTo(TENANT);
            assertThat(response.getCreationTime()).isNotNull();

            MqttPublishMessage command = device.received().get(0);
            assertThat(command.topicName()).matches("command///req/[A-Za-z0-9_-]+/startJob");
            assertThat(command.payload().toJsonObject().getString("workOrder")).isEqualTo("WO-1");
            assertThat(command.qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
        }
        awaitTtd(MACHINE, 0);
    }

    @Test
    void gatewaySubscribedForAllDevicesGetsTheirCommandsAndAnswersForThem() throws Exception {
        try (TestDevice gateway = fixture.connect(GATEWAY, PASSWORD)) {
            gateway.onMessage(m -> {
                String[] levels = m.topicName().split("/");
                String topic = "command//" + levels[2] + "/res/" + levels[4] + "/202";
                gateway.publish(topic, Buffer.buffer("queued"), MqttQoS.AT_LEAST_ONCE, false, ar -> { });
            });
            assertThat(gateway.subscribe("command//+/req/#", 0)).isEqualTo(0);
            awaitTtd(GATEWAY, -1);

            DownstreamMessage<KafkaMessageContext> response = await(fixture.honoClient.sendCommand(TENANT,
                    BEHIND_GATEWAY, "holdJob", Buffer.buffer("{}")));

            assertThat(response.getStatus()).isEqualTo(202);
            assertThat(response.getDeviceId()).isEqualTo(BEHIND_GATEWAY);
            assertThat(response.getPayload().toString()).isEqualTo("queued");
            assertThat(gateway.received().get(0).topicName())
                    .matches("command//" + BEHIND_GATEWAY + "/req/[A-Za-z0-9_-]+/holdJob");
        }
    }

    @Test
    void oneWayCommandArrivesWithAnEmptyRequestId() throws Exception {
        try (TestDevice device = fixture.connect(MACHINE, PASSWORD)) {
            assertThat(device.subscribe("c///q/#", 1)).isEqualTo(1);
            await(fixture.honoClient.sendOneWayCommand(TENANT, MACHINE, "setMode", Buffer.buffer("auto")));
            await().atMost(WAIT).until(() -> !device.received().isEmpty());
            assertThat(device.received().get(0).topicName()).isEqualTo("c///q//setMode");
            assertThat(device.received().get(0).payload().toString()).isEqualTo("auto");
        }
    }

    @Test
    void commandForADeviceWithoutSubscriptionGetsA503DeliveryFailure() {
        assertThatThrownBy(() -> await(fixture.honoClient.sendCommand(TENANT, OFFLINE, "startJob",
                Buffer.buffer("{}"))))
                .isInstanceOfSatisfying(ServiceInvocationException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(503));
        DownstreamMessage<KafkaMessageContext> failure = await().atMost(WAIT).until(() -> responses.stream()
                .filter(r -> OFFLINE.equals(r.getDeviceId())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(failure.getStatus()).isEqualTo(503);
        assertThat(failure.getContentType())
                .isEqualTo("application/vnd.eclipse-hono-delivery-failure-notification+json");
        assertThat(failure.getPayload().toJsonObject().getString("error")).contains("not connected");
    }

    @Test
    void unsubscribingSendsTtdZero() throws Exception {
        try (TestDevice device = fixture.connect(OFFLINE, PASSWORD)) {
            device.subscribe("command///req/#", 0);
            awaitTtd(OFFLINE, -1);
            device.unsubscribe("command///req/#");
            awaitTtd(OFFLINE, 0);
        }
    }

    private static void answerEveryCommand(TestDevice device, String responseTopicFormat, String body) {
        device.onMessage(m -> {
            String requestId = m.topicName().split("/")[4];
            device.publish(String.format(responseTopicFormat, requestId), Buffer.buffer(body),
                    MqttQoS.AT_LEAST_ONCE, false, ar -> { });
        });
    }

    private static void awaitTtd(String deviceId, int ttd) {
        await().atMost(WAIT).until(() -> fixture.events.stream().anyMatch(e -> deviceId.equals(e.getDeviceId())
                && Integer.valueOf(ttd).equals(e.getTimeTillDisconnect())
                && "application/vnd.eclipse-hono-empty-notification".equals(e.getContentType())));
    }
}
