package io.plantmesh.devices.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mapping.MappingLoader;
import io.plantmesh.tls.ClientTrust;

/**
 * Everything an {@link EdgeGateway} needs. Build with {@link #builder(String, String)}; defaults: MQTT
 * 127.0.0.1:1883, telemetry QoS 0, flush every 200 ms, a 64 MiB buffer, reconnect backoff 500 ms doubling to 30 s,
 * OPC-UA security None with the anonymous identity, the bundled mappings, a health report every 10 s.
 *
 * @param gatewayId the gateway's Hono device id, e.g. {@code plant1:gateway-1}
 * @param tenant the Hono tenant, e.g. {@code plant1}
 * @param mqttPassword the gateway's password; the user name is {@code <gatewayId with ':' as '_'>@<tenant>}
 * @param telemetryQos 0 or 1; events are always QoS 1
 * @param publishWindow messages in flight (sent, not yet acknowledged) at most
 * @param ackTimeout a QoS 1 publish not acknowledged within this time counts as a broken connection
 * @param commandTimeout an OPC-UA method call not answered within this time is answered 503
 * @param mqttTrust with TLS (mqtts): the CAs the MQTT adapter's certificate must chain to (its host name is verified
 *        too); null for plain MQTT
 * @param healthInterval how often the gateway reports its own health (buffer, OPC-UA sessions) as telemetry for
 *        itself, besides reporting at once on a change; zero switches the reports off
 */
public record GatewayConfig(String mqttHost, int mqttPort, String gatewayId, String tenant, String mqttPassword,
        int telemetryQos, List<MachineDevice> devices, Map<String, MachineMapping> mappings, Path bufferDirectory,
        long bufferBoundBytes, Duration flushInterval, Duration reconnectInitial, Duration reconnectMax,
        int publishWindow, Duration ackTimeout, Duration commandTimeout, OpcUaSecurity opcUaSecurity,
        ClientTrust mqttTrust, Duration healthInterval) {

    public GatewayConfig {
        Objects.requireNonNull(mqttHost, "mqttHost");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(bufferDirectory, "bufferDirectory");
        Objects.requireNonNull(opcUaSecurity, "opcUaSecurity");
        devices = List.copyOf(devices);
        mappings = Map.copyOf(mappings);
        if (telemetryQos != 0 && telemetryQos != 1) {
            throw new IllegalArgumentException("telemetry QoS must be 0 or 1 (Hono rejects QoS 2), got "
                    + telemetryQos);
        }
        if (gatewayId.indexOf(':') < 0) {
            throw new IllegalArgumentException("gateway id '" + gatewayId + "' must be <tenant>:<name>, e.g. "
                    + "plant1:gateway-1");
        }
        for (final MachineDevice device : devices) {
            if (!mappings.containsKey(device.machineType())) {
                throw new IllegalArgumentException("device " + device.thingId() + " has machine type '"
                        + device.machineType() + "' without a mapping (known: " + mappings.keySet() + ")");
            }
        }
        Objects.requireNonNull(healthInterval, "healthInterval");
        if (healthInterval.isNegative()) {
            throw new IllegalArgumentException("health interval must not be negative (zero switches the health "
                    + "reports off), got " + healthInterval);
        }
        if (publishWindow < 1 || publishWindow > 1000) {
            throw new IllegalArgumentException("publish window must be in 1..1000, got " + publishWindow);
        }
    }

    /** Hono auth-id of the gateway: its device id with ':' replaced by '_' (auth-ids may not contain ':'). */
    public String mqttUsername() {
        return gatewayId.replace(':', '_') + "@" + tenant;
    }

    /** {@code mqtt://host:port}, or {@code mqtts://host:port} with TLS. */
    public String mqttUrl() {
        return (mqttTrust == null ? "mqtt" : "mqtts") + "://" + mqttHost + ":" + mqttPort;
    }

    public static Builder builder(final String gatewayId, final String mqttPassword) {
        return new Builder(gatewayId, mqttPassword);
    }

    public static final class Builder {
        private String mqttHost = "127.0.0.1";
        private int mqttPort = 1883;
        private final String gatewayId;
        private String tenant;
        private final String mqttPassword;
        private int telemetryQos;
        private List<MachineDevice> devices = List.of();
        private Map<String, MachineMapping> mappings;
        private Path bufferDirectory;
        private long bufferBoundBytes = 64L << 20;
        private Duration flushInterval = Duration.ofMillis(200);
        private Duration reconnectInitial = Duration.ofMillis(500);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private int publishWindow = 32;
        private Duration ackTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private OpcUaSecurity opcUaSecurity = OpcUaSecurity.NONE_ANONYMOUS;
        private ClientTrust mqttTrust;
        private Duration healthInterval = Duration.ofSeconds(10);

        private Builder(final String gatewayId, final String mqttPassword) {
            this.gatewayId = gatewayId;
            this.mqttPassword = mqttPassword;
            this.tenant = gatewayId.contains(":") ? gatewayId.substring(0, gatewayId.indexOf(':')) : gatewayId;
        }

        public Builder mqtt(final String host, final int port) {
            this.mqttHost = host;
            this.mqttPort = port;
            return this;
        }

        /**
         * MQTT over TLS (Hono's secure port is 8883): the adapter's certificate must chain to one of these CAs and
         * name the host; null for plain MQTT.
         */
        public Builder mqttTls(final ClientTrust trust) {
            this.mqttTrust = trust;
            return this;
        }

        public Builder tenant(final String value) {
            this.tenant = value;
            return this;
        }

        public Builder telemetryQos(final int value) {
            this.telemetryQos = value;
            return this;
        }

        public Builder devices(final List<MachineDevice> value) {
            this.devices = value;
            return this;
        }

        public Builder mappings(final Map<String, MachineMapping> value) {
            this.mappings = value;
            return this;
        }

        public Builder buffer(final Path directory, final long boundBytes) {
            this.bufferDirectory = directory;
            this.bufferBoundBytes = boundBytes;
            return this;
        }

        public Builder flushInterval(final Duration value) {
            this.flushInterval = value;
            return this;
        }

        public Builder reconnectBackoff(final Duration initial, final Duration max) {
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        public Builder publishWindow(final int value) {
            this.publishWindow = value;
            return this;
        }

        public Builder ackTimeout(final Duration value) {
            this.ackTimeout = value;
            return this;
        }

        public Builder commandTimeout(final Duration value) {
            this.commandTimeout = value;
            return this;
        }

        public Builder opcUaSecurity(final OpcUaSecurity value) {
            this.opcUaSecurity = value;
            return this;
        }

        /** How often the gateway reports its own health (and at once on a change); zero: never. */
        public Builder healthInterval(final Duration value) {
            this.healthInterval = value;
            return this;
        }

        public GatewayConfig build() {
            final Map<String, MachineMapping> effective = mappings != null ? mappings : MappingLoader.bundled();
            return new GatewayConfig(mqttHost, mqttPort, gatewayId, tenant, mqttPassword, telemetryQos, devices,
                    effective, bufferDirectory, bufferBoundBytes, flushInterval, reconnectInitial, reconnectMax,
                    publishWindow, ackTimeout, commandTimeout, opcUaSecurity, mqttTrust, healthInterval);
        }
    }
}
