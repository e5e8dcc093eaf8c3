package io.plantmesh.devices.simulator.mqtt;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.tls.ClientTrust;

/**
 * Where the MQTT devices connect (a Hono MQTT adapter or PlantMesh's Hono-compatible ingress) and how they behave.
 *
 * @param host MQTT host
 * @param port MQTT port (plain TCP, or TLS with {@code trust})
 * @param tenant Hono tenant; devices log in as {@code <auth-id>@<tenant>}
 * @param defaultPassword password of every device without an entry in {@code passwords}
 * @param passwords device id to password
 * @param telemetryInterval how often each device publishes telemetry (real time)
 * @param reconnectMin first reconnect delay; doubles per failed attempt
 * @param reconnectMax longest reconnect delay
 * @param trust with TLS (mqtts): the CAs the adapter's certificate must chain to (its host name is verified too);
 *        null for plain MQTT
 */
public record MqttDeviceSettings(String host, int port, String tenant, String defaultPassword,
        Map<String, String> passwords, Duration telemetryInterval, Duration reconnectMin, Duration reconnectMax,
        ClientTrust trust) {

    public MqttDeviceSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(defaultPassword, "defaultPassword");
        Objects.requireNonNull(telemetryInterval, "telemetryInterval");
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        passwords = passwords == null ? Map.of() : Map.copyOf(passwords);
        final boolean validPort = port > 0 && port <= 65535;
        if (!validPort) {
            throw new IllegalArgumentException("MQTT port must be 1..65535, got " + port);
        }
        final boolean positiveInterval = telemetryInterval.toMillis() >= 1 && reconnectMin.toMillis() >= 1
                && reconnectMax.compareTo(reconnectMin) >= 0;
        if (!positiveInterval) {
            throw new IllegalArgumentException("telemetry interval and reconnect delays must be at least 1 ms and "
                    + "reconnectMax >= reconnectMin: telemetry=" + telemetryInterval + ", reconnect=" + reconnectMin
                    + ".." + reconnectMax);
        }
    }

    /** 127.0.0.1:1883, tenant plant1, one shared demo password, telemetry every 10 s, reconnect 1 s .. 30 s. */
    public static MqttDeviceSettings defaults() {
        return new MqttDeviceSettings("127.0.0.1", 1883, "plant1", "plantmesh-device-secret", Map.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), null);
    }

    public MqttDeviceSettings withEndpoint(final String newHost, final int newPort) {
        return new MqttDeviceSettings(newHost, newPort, tenant, defaultPassword, passwords, telemetryInterval,
                reconnectMin, reconnectMax, trust);
    }

    public MqttDeviceSettings withTelemetryInterval(final Duration interval) {
        return new MqttDeviceSettings(host, port, tenant, defaultPassword, passwords, interval, reconnectMin,
                reconnectMax, trust);
    }

    public MqttDeviceSettings withPasswords(final String newDefaultPassword, final Map<String, String> perDevice) {
        return new MqttDeviceSettings(host, port, tenant, newDefaultPassword, perDevice, telemetryInterval,
                reconnectMin, reconnectMax, trust);
    }

    public MqttDeviceSettings withTenant(final String newTenant) {
        return new MqttDeviceSettings(host, port, newTenant, defaultPassword, passwords, telemetryInterval,
                reconnectMin, reconnectMax, trust);
    }

    public MqttDeviceSettings withReconnect(final Duration min, final Duration max) {
        return new MqttDeviceSettings(host, port, tenant, defaultPassword, passwords, telemetryInterval, min, max,
                trust);
    }

    /** The same devices connecting over TLS, verifying the adapter against these CAs (null: plain MQTT). */
    public MqttDeviceSettings withTls(final ClientTrust newTrust) {
        return new MqttDeviceSettings(host, port, tenant, defaultPassword, passwords, telemetryInterval,
                reconnectMin, reconnectMax, newTrust);
    }

    /** {@code mqtt}, or {@code mqtts} with TLS. */
    public String scheme() {
        return trust == null ? "mqtt" : "mqtts";
    }

    public String passwordFor(final String deviceId) {
        return passwords.getOrDefault(deviceId, defaultPassword);
    }
}
