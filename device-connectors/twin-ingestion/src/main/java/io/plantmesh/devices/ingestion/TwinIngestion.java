package io.plantmesh.devices.ingestion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.AccessTokenAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.TrustStoreConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProvider;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.jwt.model.ImmutableJsonWebToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.neovisionaries.ws.client.WebSocket;

import io.plantmesh.devices.ingestion.command.CommandForwarder;
import io.plantmesh.devices.ingestion.deadletter.DeadLetterPublisher;
import io.plantmesh.devices.ingestion.kafka.AtLeastOnceApplicationClient;
import io.plantmesh.devices.ingestion.kafka.AtLeastOnceApplicationClient.SettlingConsumer;
import io.plantmesh.devices.ingestion.twin.Channel;
import io.plantmesh.devices.ingestion.twin.DownstreamIngestor;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The twin ingestion: Hono's Kafka northbound API (telemetry and events of the configured tenants) into Ditto twins
 * through Ditto's public WebSocket API, and Ditto live messages back to devices as Hono commands.
 *
 * <p>Offsets are committed only for records that are settled: written to the twin (acknowledged
 * {@code twin-persisted}), recognised as already applied, or stored as a dead letter. See the module README for the
 * argument.
 */
public final class TwinIngestion implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinIngestion.class);
    /** How long before its token expires the session sends a fresh one. */
    static final long TOKEN_REFRESH_SECONDS = 10;

    private final IngestionConfig config;
    private final IngestionCounters counters = new IngestionCounters();
    private final ClientTrust dittoTrust;
    private Vertx vertx;
    private Context context;
    private DittoClient ditto;
    private AtLeastOnceApplicationClient hono;
    private DeadLetterPublisher deadLetters;
    private DownstreamIngestor ingestor;
    private final List<SettlingConsumer> consumers = new ArrayList<>();
    private long countersTimer = -1;
    private boolean started;
    private boolean closed;

    private TwinIngestion(IngestionConfig config, ClientTrust dittoTrust) {
        this.config = config;
        this.dittoTrust = dittoTrust;
    }

    /** Returns an unstarted ingestion; its caller must close it, including after a failed start. */
    public static TwinIngestion create(IngestionConfig config) {
        return new TwinIngestion(config, null);
    }

    /**
     * Returns an unstarted ingestion that verifies a {@code wss://} Ditto endpoint against {@code dittoTrust}
     * (null: the JVM's default trust store).
     */
    public static TwinIngestion create(IngestionConfig config, ClientTrust dittoTrust) {
        return new TwinIngestion(config, dittoTrust);
    }

    /**
     * Connects to Ditto, then starts the consumers (returning once Kafka assigned their partitions) and the command
     * subscription. Blocks the calling thread; do not call it on a Vert.x event loop.
     *
     * @throws IllegalStateException with what failed and what to check
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(4));
        context = vertx.getOrCreateContext();
        ditto = connectDitto();
        deadLetters = DeadLetterPublisher.create(context, config.kafkaBootstrapServers());
        ingestor = new DownstreamIngestor(context, ditto, deadLetters, counters, config);
        hono = AtLeastOnceApplicationClient.create(vertx, config.kafkaBootstrapServers(), config.consumerGroup(),
                config.maxPendingRecords(), config.commitInterval().toMillis());
        await(onContext(this::startHono), Duration.ofSeconds(60),
                "start Hono's Kafka consumers on " + config.kafkaBootstrapServers());
        if (config.commandsEnabled()) {
            CommandForwarder commands = new CommandForwarder(ditto, hono, context, config.tenants(),
                    config.commandTimeout(), counters);
            await(commands.start().toCompletableFuture(), Duration.ofSeconds(30),
                    "subscribe to Ditto live messages at " + config.dittoEndpoint());
        }
        countersTimer = vertx.setPeriodic(config.countersLogInterval().toMillis(),
                id -> LOG.info("Twin ingestion counters: {}", counters.snapshot()));
        LOG.info("Twin ingestion started: consuming {} from Kafka {} (group {}), writing twins via Ditto {} as {}{}",
                topics(), config.kafkaBootstrapServers(), config.consumerGroup(), config.dittoEndpoint(),
                config.dittoIdentity(), config.commandsEnabled()
                        ? "; live messages of namespaces " + config.tenants() + " become commands on hono.command.*"
                        : "");
    }

    private List<String> topics() {
        List<String> topics = new ArrayList<>();
        config.tenants().forEach(t -> {
            topics.add("hono.telemetry." + t);
            topics.add("hono.event." + t);
        });
        return topics;
    }

    private Future<Void> startHono() {
        Promise<Void> ready = Promise.promise();
        hono.addOnClientReadyHandler(ready);
        return hono.start()
                .compose(v -> ready.future())
                .compose(v -> {
                    List<Future<SettlingConsumer>> starting = new ArrayList<>();
                    for (String tenant : config.tenants()) {
                        starting.add(hono.createTelemetryConsumer(tenant,
                                m -> ingestor.ingest(Channel.TELEMETRY, m), counters::expired));
                        starting.add(hono.createEventConsumer(tenant,
                                m -> ingestor.ingest(Channel.EVENT, m), counters::expired));
                    }
                    return Future.all(starting).onSuccess(all -> starting.forEach(f -> consumers.add(f.result())));
                })
                .mapEmpty();
    }

    private DittoClient connectDitto() {
        var builder = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(config.dittoEndpoint())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(config.writeTimeout())
                .reconnectEnabled(true);
        if (dittoTrust != null) {
            String password = "plantmesh-" + java.util.UUID.randomUUID();
            builder.trustStoreConfiguration(TrustStoreConfiguration.newBuilder()
                    .location(dittoTrust.trustStoreUrl(password)).password(password).build());
        }
        var messaging = builder.build();
        var provider = MessagingProviders.webSocket(messaging, authentication());
        return await(DittoClients.newInstance(provider).connect().toCompletableFuture(), Duration.ofSeconds(30),
                "connect to Ditto at " + config.dittoEndpoint() + " as " + config.dittoIdentity());
    }

    /**
     * Basic authentication, or the service account's access token with the handshake and a fresh one ({@code
     * JWT-TOKEN}) {@value #TOKEN_REFRESH_SECONDS} s before the current one expires, so the session outlives its
     * tokens; if no fresh one can be had, Ditto ends the session at expiry and the client reconnects with a new one.
     */
    private AuthenticationProvider<WebSocket> authentication() {
        TokenClient tokens = config.dittoTokens();
        if (tokens == null) {
            return AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                    .username(config.dittoUser())
                    .password(config.dittoPassword())
                    .build());
        }
        return AuthenticationProviders.accessToken(AccessTokenAuthenticationConfiguration.newBuilder()
                .identifier(tokens.config().clientId())
                .accessTokenSupplier(() -> ImmutableJsonWebToken.fromToken(tokens.token(
                        Duration.ofSeconds(TOKEN_REFRESH_SECONDS + 1)).value()))
                .expiryGracePeriod(Duration.ofSeconds(TOKEN_REFRESH_SECONDS))
                .build());
    }

    /** Counters since start. */
    public IngestionCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /**
     * Stops fetching, writes what was received (waiting up to the drain timeout), lets the consumers commit what is
     * settled and leave their group, then disconnects. Records not settled by then are not committed and are read
     * again by the next start; the deduplication makes that harmless.
     */
    @Override
    public synchronized void close() {
        if (closed || !started) {
            closed = true;
            return;
        }
        closed = true;
        try {
            if (context != null && ingestor != null) {
                await(onContext(() -> {
                    ingestor.drain();
                    return Future.<Void>succeededFuture();
                }), Duration.ofSeconds(10), "stop accepting records");
                waitForSettlement();
            }
            if (hono != null) {
                await(onContext(() -> hono.stop()), Duration.ofSeconds(30), "stop Hono's Kafka client");
            }
        } catch (RuntimeException e) {
            LOG.warn("Twin ingestion did not stop cleanly: {}", e.getMessage());
        } finally {
            if (countersTimer >= 0) {
                vertx.cancelTimer(countersTimer);
            }
            if (deadLetters != null) {
                deadLetters.close();
            }
            if (ditto != null) {
                ditto.destroy();
            }
            if (vertx != null) {
                await(vertx.close().toCompletionStage().toCompletableFuture(), Duration.ofSeconds(10),
                        "close Vert.x");
            }
            LOG.info("Twin ingestion stopped ({} record(s) arrived during shutdown and are left for the next start). "
                    + "Counters: {}", ingestor == null ? 0 : ingestor.leftForNextStart(), counters.snapshot());
        }
    }

    /**
     * Emulates a crash for tests: records stop becoming committable at once while twin writes go on for
     * {@code writesGoOnFor}; then everything stops without draining. The next start reads the uncommitted records
     * again.
     */
    void crash(Duration writesGoOnFor) {
        await(onContext(() -> {
            ingestor.stopSettling();
            return Future.<Void>succeededFuture();
        }), Duration.ofSeconds(5), "stop settling");
        try {
            Thread.sleep(writesGoOnFor.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("Twin ingestion crashing (test)");
        closed = true;
        if (countersTimer >= 0) {
            vertx.cancelTimer(countersTimer);
        }
        ditto.destroy();
        deadLetters.close();
        await(vertx.close().toCompletionStage().toCompletableFuture(), Duration.ofSeconds(30), "close Vert.x");
    }

    private void waitForSettlement() {
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        int unsettled = unsettled();
        while (unsettled > 0 && System.nanoTime() < deadline) {
            LOG.info("Waiting for {} received record(s) to reach the twins before stopping", unsettled);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            unsettled = unsettled();
        }
        if (unsettled > 0) {
            LOG.warn("{} record(s) were not written within {}; they stay uncommitted and are read again on the next "
                    + "start", unsettled, config.drainTimeout());
        }
    }

    private int unsettled() {
        return await(onContext(() -> Future.succeededFuture(ingestor.unsettled())), Duration.ofSeconds(5),
                "count unsettled records");
    }

    private <T> CompletableFuture<T> onContext(java.util.function.Supplier<Future<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.complete(ar.result());
                    } else {
                        result.completeExceptionally(ar.cause());
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause()
                    + ". Check the address, the credentials and that the service is running.", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + timeout
                    + ". Check the address and that the service is running.", e);
        }
    }
}
