package io.plantmesh.devices.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.plantmesh.tls.ListenerTls;
import io.vertx.core.http.ClientAuth;

class IngressConfigTest {

    private final IngressConfig defaults = IngressConfig.defaults("mongodb://127.0.0.1:27017", "127.0.0.1:9092");

    @Test
    void tlsFromHonosVariables() {
        IngressConfig config = defaults.withEnvironment(Map.of("HONO_MQTT_CERTPATH", "/etc/hono/cert.pem",
                "HONO_MQTT_KEYPATH", "/etc/hono/key.pem", "HONO_MQTT_TRUSTSTOREPATH", "/etc/hono/devices-ca.pem",
                "HONO_MQTT_PORT", "8883"));

        assertThat(config.mqttTls()).isEqualTo(new ListenerTls(Path.of("/etc/hono/cert.pem"),
                Path.of("/etc/hono/key.pem"), Path.of("/etc/hono/devices-ca.pem"), ClientAuth.REQUIRED));
        assertThat(config.mqttPort()).isEqualTo(IngressConfig.SECURE_MQTT_PORT);
        assertThat(defaults.mqttTls()).isNull();
        assertThat(defaults.authThrottling()).isEqualTo(AuthThrottling.defaults());
    }

    @Test
    void aCertificateWithoutKeyIsRefusedNamingTheMissingVariable() {
        assertThatThrownBy(() -> defaults.withEnvironment(Map.of("HONO_MQTT_CERTPATH", "/etc/hono/cert.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HONO_MQTT_KEYPATH");
    }

    @Test
    void throttlingSettingsMustBeConsistent() {
        assertThatThrownBy(() -> new AuthThrottling(5, java.time.Duration.ofMinutes(10),
                java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(15), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialLockout");
    }
}
