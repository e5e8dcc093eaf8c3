package io.plantmesh.devices.ingress;

import static io.plantmesh.devices.ingress.support.IngressFixture.via;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.plantmesh.devices.ingress.registry.Credential;
import io.plantmesh.devices.ingress.support.IngressFixture;
import io.plantmesh.devices.ingress.support.TestDevice;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.DevelopmentCertificates;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Device authentication of the MQTT adapter with TLS on (mqtts and an https registry from the development CA):
 * devices that verify the chain and host name connect; clients that do not trust the CA, or speak plain MQTT, do
 * not; wrong credentials get CONNACK 0x04; a gateway publishing for a device that does not list it is refused;
 * Hono's pre-hashed BCrypt credentials work; repeated failures lock the auth-id out (0x05, counted) until the
 * lockout ends.
 */
class DeviceAuthenticationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MACHINE = "plant1:machine-7-01";
    private static final String GATEWAY = "plant1:gateway-7";
    private static final String FOREIGN = "plant1:machine-7-02";
    private static final String PASSWORD = "tls-device-secret";
    private static final Duration LOCKOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    static IngressFixture fixture;
    static DevelopmentCertificates.Outcome certs;
    static ClientTrust trust;

    @BeforeAll
    static void start() throws Exception {
        certs = DevelopmentCertificates.ensure(dir.resolve("certs"), DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        trust = ClientTrust.fromPemFile(certs.caCertificateFile());
        fixture = new IngressFixture(dir, c -> c.withMqttTls(certs.listenerTls()).withRegistryTls(certs.listenerTls())
                .withAuthThrottling(new AuthThrottling(2, LOCKOUT, LOCKOUT, Duration.ofMinutes(1), 1000)));
        fixture.device(MACHINE, new JsonObject(), PASSWORD);
        fixture.device(GATEWAY, new JsonObject(), PASSWORD);
        fixture.device(FOREIGN, via("plant1:gateway-8"), PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static TestDevice connectTls(String deviceId, String password) throws Exception {
        return TestDevice.connect(fixture.vertx, "localhost", fixture.endpoints.mqttPort(),
                IngressFixture.username(deviceId), password, options -> options.setSsl(true)
                        .setTrustOptions(trust.vertxTrustOptions()).setHostnameVerificationAlgorithm("HTTPS"));
    }

    private static MqttConnectReturnCode refusal(String deviceId, String password) {
        AtomicReference<MqttConnectReturnCode> code = new AtomicReference<>();
        assertThatThrownBy(() -> connectTls(deviceId, password).close())
                .isInstanceOfSatisfying(TestDevice.Refused.class, e -> code.set(e.code()));
        return code.get();
    }

    @Test
    void aDeviceVerifyingTheChainPublishesOverMqtts() throws Exception {
        assertThat(fixture.endpoints.mqttUrl()).startsWith("mqtts://");
        String payload = "over-tls-" + UUID.randomUUID();
        try (TestDevice device = connectTls(MACHINE, PASSWORD)) {
            int packetId = device.publish("telemetry", Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(() -> device.isAcked(packetId));
        }
        await().atMost(WAIT).until(() -> fixture.telemetry.stream()
                .anyMatch(m -> m.getDeviceId().equals(MACHINE) && m.getPayload().toString().equals(payload)));
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
        assertThatThrownBy(() -> TestDevice.connect(fixture.vertx, "localhost", fixture.endpoints.mqttPort(),
                IngressFixture.username(MACHINE), PASSWORD, options -> options.setSsl(true)
                        .setHostnameVerificationAlgorithm("HTTPS")).close())
                .isNotInstanceOf(TestDevice.Refused.class)
                .hasStackTraceContaining("SSLHandshakeException");
    }

    @Test
    void plainMqttToTheTlsPortDoesNotConnect() {
        assertThatThrownBy(() -> TestDevice.connect(fixture.vertx, fixture.endpoints.mqttPort(),
                IngressFixture.username(MACHINE), PASSWORD).close())
                .isNotInstanceOf(TestDevice.Refused.class);
    }

    @Test
    void theRegistryServesHttpsVerifiedWithTheCa() throws Exception {
        assertThat(fixture.endpoints.registryUrl()).startsWith("https://");
        HttpClient client = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
        String url = fixture.endpoints.registryUrl().replace("127.0.0.1", "localhost") + "/tenants/plant1";

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongCredentialsAreRefusedWithBadUserNameOrPassword() {
        assertThat(refusal(MACHINE, "wrong")).isEqualTo(
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal("plant1:nobody-7", PASSWORD)).isEqualTo(
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aGatewayActingForADeviceThatDoesNotListItIsRefused() throws Exception {
        long before = fixture.ingress.metrics().rejected(RejectReason.NOT_AUTHORIZED);
        String payload = "foreign-" + UUID.randomUUID();
        try (TestDevice gateway = connectTls(GATEWAY, PASSWORD)) {
            int packetId = gateway.publish("telemetry//" + FOREIGN, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE);
            await().atMost(WAIT).until(gateway::isClosed);
            assertThat(gateway.isAcked(packetId)).isFalse();
        }
        assertThat(fixture.ingress.metrics().rejected(RejectReason.NOT_AUTHORIZED)).isGreaterThan(before);
        assertThat(fixture.telemetry).noneMatch(m -> m.getPayload().toString().equals(payload));
    }

    @Test
    void honosPreHashedBcryptCredentialsAuthenticate() throws Exception {
        String device = "plant1:machine-7-09";
        fixture.ingress.registry().putDevice(IngressFixture.TENANT, device, new JsonObject());
        JsonObject secret = new JsonObject().put("hash-function", "bcrypt")
                .put("pwd-hash", BCrypt.hashpw("pre-hashed-pw", BCrypt.gensalt(10)));
        fixture.ingress.registry().setCredentials(IngressFixture.TENANT, device, new JsonArray().add(new JsonObject()
                .put("type", Credential.HASHED_PASSWORD).put("auth-id", IngressFixture.authId(device))
                .put("secrets", new JsonArray().add(secret))), null);

        try (TestDevice connected = connectTls(device, "pre-hashed-pw")) {
            assertThat(connected.isClosed()).isFalse();
        }
        assertThat(refusal(device, "not-the-pw")).isEqualTo(
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void repeatedFailuresLockTheAuthIdOutUntilTheLockoutEnds() throws Exception {
        String device = "plant1:machine-7-05";
        fixture.device(device, new JsonObject(), PASSWORD);
        long throttledBefore = fixture.ingress.metrics().connectionsThrottled();

        // two free failures, the third starts the lockout; all three are plain "bad user name or password"
        for (int i = 0; i < 3; i++) {
            assertThat(refusal(device, "guess-" + i)).isEqualTo(
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        }
        // locked: even the right password is refused, as Hono answers a throttled client (not authorized)
        assertThat(refusal(device, PASSWORD)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        assertThat(fixture.ingress.metrics().connectionsThrottled()).isGreaterThan(throttledBefore);
        // another auth-id is not affected
        try (TestDevice other = connectTls(MACHINE, PASSWORD)) {
            assertThat(other.isClosed()).isFalse();
        }

        // after the lockout the right password works again, and clears the record
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            try (TestDevice back = connectTls(device, PASSWORD)) {
                return !back.isClosed();
            }
        });
        assertThat(refusal(device, "guess-again")).isEqualTo(
                MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
    }
}
