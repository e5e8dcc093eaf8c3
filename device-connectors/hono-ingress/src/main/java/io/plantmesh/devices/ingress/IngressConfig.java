package io.plantmesh.devices.ingress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.plantmesh.tls.ListenerTls;

/**
 * Configuration of the Hono-compatible ingress.
 *
 * @param mqttHost address the MQTT adapter binds (127.0.0.1 by default)
 * @param mqttPort MQTT port (1883 by default, as Hono's insecure port; with TLS use {@link #SECURE_MQTT_PORT}; 0 = a
 *        free port)
 * @param registryHost address of the registry's own HTTP server
 * @param registryPort port of the registry's own HTTP server (0 = free, -1 = none: mount
 *        {@link HonoIngress#mountRegistryApi} into a router of your own instead)
 * @param mongoUri MongoDB connection string of the registry
 * @param mongoDatabase database of the registry collections ({@code hono_tenants}, {@code hono_devices},
 *        {@code hono_credentials})
 * @param kafkaBootstrapServers the Kafka cluster for the northbound records
 * @param tenants tenants whose four Hono topics are created at start
 * @param maxPayloadBytes largest PUBLISH payload (Hono's default 2,048 bytes); larger ones close the connection
 * @param authenticationRequired whether devices must authenticate (Hono's default true)
 * @param commandConsumerGroup Kafka consumer group reading {@code hono.command.*}
 * @param bcryptCost BCrypt cost factor for {@code pwd-plain} passwords (Hono's default 10)
 * @param downstreamTimeout how long Kafka may take to acknowledge a record before the device's message fails
 * @param mqttTls TLS of the MQTT adapter (mqtts; with a client CA, devices must present a certificate chaining to
 *        it before they authenticate with their password); null for plain MQTT
 * @param registryTls TLS of the registry's own HTTP server; null for plain http
 * @param authThrottling how repeated authentication failures of one auth-id are slowed down
 */
public record IngressConfig(String mqttHost, int mqttPort, String registryHost, int registryPort, String mongoUri,
        String mongoDatabase, String kafkaBootstrapServers, Set<String> tenants, int maxPayloadBytes,
        boolean authenticationRequired, String commandConsumerGroup, int bcryptCost, Duration downstreamTimeout,
        ListenerTls mqttTls, ListenerTls registryTls, AuthThrottling authThrottling) {

    public static final int NO_REGISTRY_SERVER = -1;
    /** Hono's (and IANA's) port for MQTT over TLS. */
    public static final int SECURE_MQTT_PORT = 8883;

    public IngressConfig {
        tenants = Set.copyOf(tenants);
        authThrottling = authThrottling == null ? AuthThrottling.defaults() : authThrottling;
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, not " + maxPayloadBytes);
        }
    }

    /** Hono's defaults: MQTT on 127.0.0.1:1883, registry HTTP on 127.0.0.1:28080, database {@code hono}. */
    public static IngressConfig defaults(String mongoUri, String kafkaBootstrapServers) {
        return new IngressConfig("127.0.0.1", 1883, "127.0.0.1", 28080, mongoUri, "hono", kafkaBootstrapServers,
                Set.of(), 2048, true, "plantmesh-hono-ingress", 10, Duration.ofSeconds(10), null, null,
                AuthThrottling.defaults());
    }

    public IngressConfig withMqttPort(int port) {
        return new IngressConfig(mqttHost, port, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withRegistryPort(int port) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, port, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withMongoDatabase(String database) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, database,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withTenants(Set<String> tenantIds) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenantIds, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withMaxPayloadBytes(int bytes) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, bytes, authenticationRequired, commandConsumerGroup, bcryptCost,
                downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withAuthenticationRequired(boolean required) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, required, commandConsumerGroup, bcryptCost,
                downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withCommandConsumerGroup(String group) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, group, bcryptCost,
                downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withBcryptCost(int cost) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup, cost,
                downstreamTimeout, mqttTls, registryTls, authThrottling);
    }

    public IngressConfig withDownstreamTimeout(Duration timeout) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, timeout, mqttTls, registryTls, authThrottling);
    }

    /** The MQTT adapter serves TLS with these files (null: plain MQTT). */
    public IngressConfig withMqttTls(ListenerTls tls) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, tls, registryTls, authThrottling);
    }

    /** The registry's HTTP server serves TLS with these files (null: plain http). */
    public IngressConfig withRegistryTls(ListenerTls tls) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, tls, authThrottling);
    }

    public IngressConfig withAuthThrottling(AuthThrottling throttling) {
        return new IngressConfig(mqttHost, mqttPort, registryHost, registryPort, mongoUri, mongoDatabase,
                kafkaBootstrapServers, tenants, maxPayloadBytes, authenticationRequired, commandConsumerGroup,
                bcryptCost, downstreamTimeout, mqttTls, registryTls, throttling);
    }

    /**
     * Overrides from environment variables, named after Hono's where Hono has one: {@code HONO_MQTT_PORT},
     * {@code HONO_MQTT_MAXPAYLOADSIZE}, {@code HONO_MQTT_AUTHENTICATIONREQUIRED}, {@code HONO_REGISTRY_HTTP_PORT},
     * {@code HONO_MONGODB_DBNAME}, {@code PLANTMESH_INGRESS_TENANTS} (comma-separated); TLS of the MQTT adapter as
     * Hono names it: {@code HONO_MQTT_CERTPATH}, {@code HONO_MQTT_KEYPATH} and, for client certificates,
     * {@code HONO_MQTT_TRUSTSTOREPATH} (a PEM file of CA certificates).
     */
    public IngressConfig withEnvironment(Map<String, String> env) {
        IngressConfig c = this;
        if (env.containsKey("HONO_MQTT_PORT")) {
            c = c.withMqttPort(Integer.parseInt(env.get("HONO_MQTT_PORT").trim()));
        }
        if (env.containsKey("HONO_MQTT_MAXPAYLOADSIZE")) {
            c = c.withMaxPayloadBytes(Integer.parseInt(env.get("HONO_MQTT_MAXPAYLOADSIZE").trim()));
        }
        if (env.containsKey("HONO_MQTT_AUTHENTICATIONREQUIRED")) {
            c = c.withAuthenticationRequired(Boolean.parseBoolean(env.get("HONO_MQTT_AUTHENTICATIONREQUIRED").trim()));
        }
        if (env.containsKey("HONO_REGISTRY_HTTP_PORT")) {
            c = c.withRegistryPort(Integer.parseInt(env.get("HONO_REGISTRY_HTTP_PORT").trim()));
        }
        if (env.containsKey("HONO_MONGODB_DBNAME")) {
            c = c.withMongoDatabase(env.get("HONO_MONGODB_DBNAME").trim());
        }
        if (env.containsKey("HONO_MQTT_CERTPATH") || env.containsKey("HONO_MQTT_KEYPATH")) {
            String cert = env.get("HONO_MQTT_CERTPATH");
            String key = env.get("HONO_MQTT_KEYPATH");
            if (cert == null || key == null) {
                throw new IllegalArgumentException("MQTT over TLS needs both HONO_MQTT_CERTPATH (certificate chain,"
                        + " PEM) and HONO_MQTT_KEYPATH (PKCS#8 key, PEM); only "
                        + (cert == null ? "HONO_MQTT_KEYPATH" : "HONO_MQTT_CERTPATH") + " is set.");
            }
            ListenerTls tls = ListenerTls.of(Path.of(cert.trim()), Path.of(key.trim()));
            String trust = env.get("HONO_MQTT_TRUSTSTOREPATH");
            c = c.withMqttTls(trust == null || trust.isBlank() ? tls : tls.withClientCa(Path.of(trust.trim())));
        }
        if (env.containsKey("PLANTMESH_INGRESS_TENANTS")) {
            c = c.withTenants(Arrays.stream(env.get("PLANTMESH_INGRESS_TENANTS").split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).collect(Collectors.toSet()));
        }
        return c;
    }
}
