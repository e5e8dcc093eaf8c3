package io.plantmesh.devices.ingestion;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.security.client.TokenClient;

/**
 * Configuration of the twin ingestion: where it reads (Kafka, Hono tenants), where it writes (Ditto), and how it
 * coalesces, bounds and times out. Immutable; change it with the {@code with...} copies.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers of Hono's northbound API, e.g. {@code 127.0.0.1:9092}
 * @param tenants Hono tenants to consume (one telemetry and one event consumer each); also the Ditto namespaces whose
 *                live messages become commands
 * @param consumerGroup Kafka consumer group; fixed so that committed offsets survive restarts
 * @param dittoEndpoint Ditto WebSocket base, e.g. {@code ws://127.0.0.1:8080} (the client adds {@code /ws/2})
 * @param dittoUser Ditto basic-auth user (the demo policies grant {@code nginx:ditto}); null with {@code dittoTokens}
 * @param dittoPassword its password
 * @param coalescingWindow how long a record that finds its device idle (no twin write in flight) waits for more
 *                         before its write starts; zero (the default) starts it at once, at the end of the event-loop
 *                         task that handed the record over. Records arriving while a device's write is in flight
 *                         always wait for it and go into the next write together (adaptive coalescing), so batching
 *                         grows with load and write latency without a fixed delay. Whole milliseconds
 * @param maxBatchRecords at most this many records of one device go into one write
 * @param maxInFlightWrites twin writes outstanding at once over the WebSocket; more wait for a slot
 * @param maxPendingRecords records received but not yet settled (written or dead-lettered) before Hono's consumer
 *                          stops fetching (it pauses at this many; Kafka's max.poll.records is twice this)
 * @param writeTimeout a twin write without an answer after this long counts as a transient failure and is retried
 * @param commandTimeout how long a command waits for the device's response before the Ditto message gets 408
 * @param commitInterval how often completed offsets are committed (besides on rebalance and shutdown)
 * @param maxAlarms length of the bounded {@code features/health/properties/alarms} list
 * @param countersLogInterval how often the counters are logged
 * @param drainTimeout on close, how long to wait for records already received to be written
 * @param commandsEnabled whether Ditto live messages are forwarded as Hono commands
 * @param dittoTokens OpenID Connect tokens of the ingestion's service account (client
 *                    {@code plantmesh-twin-ingestion}, role {@code svc-twin-ingestion}), sent instead of
 *                    {@code dittoUser}/{@code dittoPassword} and renewed during the session; null for basic auth
 */
public record IngestionConfig(
        String kafkaBootstrapServers,
        List<String> tenants,
        String consumerGroup,
        String dittoEndpoint,
        String dittoUser,
        String dittoPassword,
        Duration coalescingWindow,
        int maxBatchRecords,
        int maxInFlightWrites,
        int maxPendingRecords,
        Duration writeTimeout,
        Duration commandTimeout,
        Duration commitInterval,
        int maxAlarms,
        Duration countersLogInterval,
        Duration drainTimeout,
        boolean commandsEnabled,
        TokenClient dittoTokens) {

    public static final String DEFAULT_CONSUMER_GROUP = "plantmesh-ingestion";

    public IngestionConfig {
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        tenants = List.copyOf(tenants);
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("at least one Hono tenant is needed, e.g. plant1");
        }
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(dittoEndpoint, "dittoEndpoint");
        if (dittoTokens == null && (dittoUser == null || dittoPassword == null)) {
            throw new IllegalArgumentException("Twin ingestion needs credentials for Ditto: a user and password, or a "
                    + "token client (withDittoTokens)");
        }
        if (coalescingWindow == null || coalescingWindow.isNegative()) {
            throw new IllegalArgumentException("coalescingWindow must be zero (write an idle device's record at once) "
                    + "or a positive duration, was " + coalescingWindow);
        }
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(commitInterval, "commitInterval");
        requirePositive(countersLogInterval, "countersLogInterval");
        requirePositive(drainTimeout, "drainTimeout");
        if (maxBatchRecords < 1 || maxInFlightWrites < 1 || maxPendingRecords < 1 || maxAlarms < 1) {
            throw new IllegalArgumentException("maxBatchRecords, maxInFlightWrites, maxPendingRecords and maxAlarms "
                    + "must be at least 1");
        }
    }

    /** Defaults for the embedded footprint: tenant {@code plant1}, Ditto user {@code ditto/ditto}. */
    public static IngestionConfig defaults(String kafkaBootstrapServers, String dittoEndpoint) {
        return new IngestionConfig(kafkaBootstrapServers, List.of("plant1"), DEFAULT_CONSUMER_GROUP, dittoEndpoint,
                "ditto", "ditto", Duration.ZERO, 100, 64, 1000, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(1), 10, Duration.ofSeconds(60), Duration.ofSeconds(10),
                true, null);
    }

    /**
     * Applies the environment variables {@code PLANTMESH_KAFKA_BOOTSTRAP_SERVERS}, {@code PLANTMESH_INGESTION_TENANTS}
     * (comma-separated), {@code PLANTMESH_DITTO_ENDPOINT}, {@code PLANTMESH_DITTO_USER},
     * {@code PLANTMESH_DITTO_PASSWORD} where they are set.
     */
    public IngestionConfig withEnvironment(Map<String, String> env) {
        IngestionConfig c = this;
        if (env.containsKey("PLANTMESH_KAFKA_BOOTSTRAP_SERVERS")) {
            c = c.withKafka(env.get("PLANTMESH_KAFKA_BOOTSTRAP_SERVERS"));
        }
        if (env.containsKey("PLANTMESH_INGESTION_TENANTS")) {
            c = c.withTenants(Arrays.stream(env.get("PLANTMESH_INGESTION_TENANTS").split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        if (env.containsKey("PLANTMESH_DITTO_ENDPOINT")) {
            c = c.withDitto(env.get("PLANTMESH_DITTO_ENDPOINT"), c.dittoUser, c.dittoPassword);
        }
        if (env.containsKey("PLANTMESH_DITTO_USER") || env.containsKey("PLANTMESH_DITTO_PASSWORD")) {
            c = c.withDitto(c.dittoEndpoint, env.getOrDefault("PLANTMESH_DITTO_USER", c.dittoUser),
                    env.getOrDefault("PLANTMESH_DITTO_PASSWORD", c.dittoPassword));
        }
        return c;
    }

    public IngestionConfig withKafka(String bootstrapServers) {
        return new IngestionConfig(bootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser, dittoPassword,
                coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout, commandTimeout,
                commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withTenants(List<String> newTenants) {
        return new IngestionConfig(kafkaBootstrapServers, newTenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout,
                commandTimeout, commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withConsumerGroup(String group) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, group, dittoEndpoint, dittoUser, dittoPassword,
                coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout, commandTimeout,
                commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withDitto(String endpoint, String user, String password) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, endpoint, user, password,
                coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout, commandTimeout,
                commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    /** See {@code coalescingWindow} and {@code maxBatchRecords}: {@code Duration.ZERO} writes an idle device at once. */
    public IngestionConfig withCoalescing(Duration window, int maxRecordsPerWrite) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, window, maxRecordsPerWrite, maxInFlightWrites, maxPendingRecords, writeTimeout,
                commandTimeout, commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withBounds(int inFlightWrites, int pendingRecords) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, coalescingWindow, maxBatchRecords, inFlightWrites, pendingRecords, writeTimeout,
                commandTimeout, commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withTimeouts(Duration write, Duration command) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, write,
                command, commitInterval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withCommitInterval(Duration interval) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout,
                commandTimeout, interval, maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, dittoTokens);
    }

    public IngestionConfig withCommands(boolean enabled) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint, dittoUser,
                dittoPassword, coalescingWindow, maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout,
                commandTimeout, commitInterval, maxAlarms, countersLogInterval, drainTimeout, enabled, dittoTokens);
    }

    /** Ditto with OpenID Connect tokens from {@code tokens} instead of the basic-auth user. */
    public IngestionConfig withDittoTokens(TokenClient tokens) {
        return new IngestionConfig(kafkaBootstrapServers, tenants, consumerGroup, dittoEndpoint,
                tokens == null ? dittoUser : null, tokens == null ? dittoPassword : null, coalescingWindow,
                maxBatchRecords, maxInFlightWrites, maxPendingRecords, writeTimeout, commandTimeout, commitInterval,
                maxAlarms, countersLogInterval, drainTimeout, commandsEnabled, tokens);
    }

    /** Who the ingestion is towards Ditto, for logs: "user 'ditto'" or "client '...'". */
    public String dittoIdentity() {
        return dittoTokens != null ? "client '" + dittoTokens.config().clientId() + "'" : "user '" + dittoUser + "'";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
