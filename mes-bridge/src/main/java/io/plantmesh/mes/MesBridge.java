package io.plantmesh.mes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.plantmesh.mes.lease.Lease;
import io.plantmesh.mes.lease.LeaseKeeper;
import io.plantmesh.mes.lease.LeaseListener;
import io.plantmesh.mes.lease.LeaseSettings;
import io.plantmesh.mes.lease.LeaseStore;
import io.plantmesh.mes.oee.OeeConfig;
import io.plantmesh.mes.oee.OeeHistoryStore;
import io.plantmesh.mes.oee.OeeTracker;
import io.plantmesh.mes.plan.LinePlanner;
import io.plantmesh.mes.plan.LineView;
import io.plantmesh.mes.reconcile.MesCounters;
import io.plantmesh.mes.reconcile.OeePublisher;
import io.plantmesh.mes.reconcile.ReconcileEngine;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.PlantDefinitions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One MES bridge instance: owns a set of lines (holding a lease on each in MongoDB), keeps a copy of their twins
 * current from the twin server's change stream, and reconciles each line whenever it changes, on start, and after
 * every periodic re-read. {@link #create} then {@link #start}; {@link #close} stops it.
 */
public final class MesBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MesBridge.class);

    private final MesBridgeConfig config;
    private final MesCounters counters = new MesCounters();
    private Vertx vertx;
    private Context context;
    private TwinAccess twins;
    private MongoClient mongo;
    private ReconcileEngine engine;
    private OeePublisher oee;
    private LeaseKeeper leases;
    private io.plantmesh.mes.api.MesApi api;
    private final String owner;
    private long resyncTimer = -1;
    private long oeeTimer = -1;
    private volatile boolean started;
    private volatile boolean closed;
    private final ListenerTls apiTls;
    private final ClientTrust twinTrust;

    private MesBridge(final MesBridgeConfig config, final ListenerTls apiTls, final ClientTrust twinTrust) {
        this.config = config;
        this.apiTls = apiTls;
        this.twinTrust = twinTrust;
        // unique per process and start: a restarted instance waits for its old leases to expire (or be released)
        this.owner = config.instanceId() + "@" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL);
    }

    public static MesBridge create(final MesBridgeConfig config) {
        return new MesBridge(config, null, null);
    }

    /**
     * A bridge whose MES API serves https with {@code apiTls} (null: http) and whose twin connection verifies a
     * {@code wss://} endpoint against {@code twinTrust} (null: the JVM's default trust store).
     */
    public static MesBridge create(final MesBridgeConfig config, final ListenerTls apiTls,
            final ClientTrust twinTrust) {
        return new MesBridge(config, apiTls, twinTrust);
    }

    /**
     * Connects to the twin server and MongoDB, subscribes to the lines' changes, reads their twins and starts
     * reconciling. Blocks until the first read is done.
     *
     * @throws MesBridgeException naming what could not be reached and what to check
     */
    public synchronized MesBridge start() {
        if (started) {
            return this;
        }
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        try {
            twins = config.twinTokens() != null
                    ? TwinAccess.connect(config.dittoEndpoint(), config.twinTokens(), config.commandTimeout(),
                            twinTrust)
                    : TwinAccess.connect(config.dittoEndpoint(), config.dittoUser(), config.dittoPassword(),
                            config.commandTimeout(), twinTrust);
            final long selectionMs = Math.max(1000, config.leaseTtl().toMillis() / 3);
            mongo = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                    .applyConnectionString(new com.mongodb.ConnectionString(config.mongoUri()))
                    .applyToClusterSettings(b -> b.serverSelectionTimeout(selectionMs, TimeUnit.MILLISECONDS))
                    .applyToSocketSettings(b -> b.connectTimeout((int) selectionMs, TimeUnit.MILLISECONDS)
                            .readTimeout((int) Math.max(5000, selectionMs), TimeUnit.MILLISECONDS))
                    .build());
            final MongoDatabase db = mongo.getDatabase(config.mongoDatabase());
            leases = LeaseKeeper.create(vertx, LeaseStore.create(db), owner,
                    config.lines().stream().map(ThingId::toString).toList(), LeaseSettings.ofTtl(config.leaseTtl()),
                    new LeaseListener() {
                        @Override
                        public void onAcquired(final Lease lease) {
                            // decide with fresh twins: another instance may have acted until now
                            context.runOnContext(v -> {
                                if (closed) {
                                    return;
                                }
                                engine.trigger(ThingId.of(lease.resource()));
                                if (started) {
                                    resync(false);
                                }
                            });
                        }

                        @Override
                        public void onLost(final String resource, final String why) {
                            counters.increment("leases.lost");
                        }
                    });
            final Predicate<ThingId> owns = this::holds;
            engine = new ReconcileEngine(context, twins, new LinePlanner(config.rules()), config.clock(), owns,
                    counters, config.commandTimeout(), config.lines());
            final OeeTracker tracker = new OeeTracker(OeeConfig.defaults());
            oee = new OeePublisher(context, engine, tracker, new OeeHistoryStore(db, tracker), twins,
                    config.clock(), owns, counters, config.lines());
            engine.onMachineChange(oee::machineChanged);
            context.runOnContext(v -> leases.start());
            await(twins.subscribe(config.namespaces(), changeFilter(), change ->
                    context.runOnContext(v -> engine.changed(change))).toCompletableFuture(),
                    "subscribe to twin changes at " + config.dittoEndpoint());
            resync(true).get(config.commandTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
            resyncTimer = vertx.setPeriodic(config.resyncInterval().toMillis(), id -> resync(false));
            if (config.httpPort() >= 0) {
                api = io.plantmesh.mes.api.MesApi.create(vertx, twins, new io.plantmesh.mes.api.MesApiConfig(
                        config.ordersPolicy() == null ? null
                                : org.eclipse.ditto.policies.model.PolicyId.of(config.ordersPolicy()),
                        config.clock(), config.apiAccess()), counters::snapshot);
                api.start(config.httpHost(), config.httpPort(), apiTls);
            }
            oeeTimer = vertx.setPeriodic(config.oeeInterval().toMillis(), id -> oee.publish());
            started = true;
            LOG.info("MES bridge {} started (lease owner {}): lines {}, twins at {} as {}, state in {}/{}{}",
                    config.instanceId(), owner,
                    config.lines().stream().map(ThingId::toString).collect(Collectors.joining(", ")),
                    config.dittoEndpoint(), config.twinIdentity(), redact(config.mongoUri()),
                    config.mongoDatabase(), api == null ? "" : "; MES API " + config.apiAccess());
            return this;
        } catch (final RuntimeException | ExecutionException | TimeoutException e) {
            close();
            throw new MesBridgeException("MES bridge " + config.instanceId() + " could not start: "
                    + TwinAccess.describe(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new MesBridgeException("MES bridge " + config.instanceId() + " was interrupted while starting", e);
        }
    }

    /**
     * Re-reads every twin of the lines by search (off the event loop) and reconciles what it touched; the first time
     * also loads the OEE history of the machines found.
     */
    private CompletableFuture<Void> resync(final boolean first) {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.<List<Thing>>executeBlocking(() -> {
            final List<Thing> things = twins.search(config.namespaces(), resyncFilter());
            if (first) {
                oee.loadHistory(things.stream()
                        .filter(t -> t.getDefinition().map(d -> d.toString()
                                .equals(PlantDefinitions.MACHINE.toString())).orElse(false))
                        .map(t -> t.getEntityId().orElseThrow())
                        .toList());
            }
            return things;
        }, false)
                .onComplete(result -> context.runOnContext(v -> {
                    if (result.succeeded()) {
                        engine.loaded(result.result());
                        if (first) {
                            oee.ready();
                        }
                        engine.triggerAll();
                        done.complete(null);
                    } else {
                        LOG.warn("MES bridge {}: re-reading the twins failed ({}); events keep the copy current "
                                + "and the next re-read tries again", config.instanceId(),
                                TwinAccess.describe(result.cause()));
                        done.completeExceptionally(result.cause());
                    }
                }));
        return done;
    }

    /** Machines and orders of the lines, the lines, and all materials. */
    String changeFilter() {
        return "or(in(attributes/line," + quotedLines() + "),in(thingId," + quotedLines() + "),eq(definition,\""
                + PlantDefinitions.MATERIAL + "\"))";
    }

    /** Like {@link #changeFilter()} but only open work orders. */
    String resyncFilter() {
        return "or(and(eq(definition,\"" + PlantDefinitions.MACHINE + "\"),in(attributes/line," + quotedLines()
                + ")),and(eq(definition,\"" + PlantDefinitions.WORK_ORDER + "\"),in(attributes/line,"
                + quotedLines() + "),in(features/status/properties/status,\"RELEASED\",\"DISPATCHED\",\"RUNNING\","
                + "\"HELD\")),in(thingId," + quotedLines() + "),eq(definition,\"" + PlantDefinitions.MATERIAL
                + "\"))";
    }

    private String quotedLines() {
        return config.lines().stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(","));
    }

    /** Computes and writes OEE and line KPIs now (as the periodic timer does); completes when written. */
    public void publishOee() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> oee.publish().onComplete(r -> done.complete(null)));
        done.orTimeout(30, TimeUnit.SECONDS).join();
    }

    public MesBridgeConfig config() {
        return config;
    }

    /** The MES API's base URI, if this instance serves it. */
    public java.util.Optional<java.net.URI> apiUri() {
        return api == null ? java.util.Optional.empty() : java.util.Optional.of(api.baseUri());
    }

    /** True if this instance holds the line's lease now. */
    public boolean holds(final ThingId line) {
        final LeaseKeeper keeper = leases;
        return keeper != null && !closed && keeper.holds(line.toString());
    }

    /** The lease owner id of this instance (instance id, process id and a random part). */
    public String owner() {
        return owner;
    }

    public MesCounters counters() {
        return counters;
    }

    /** The bridge's current copy of a line (read on the bridge's context). */
    public LineView view(final ThingId line) {
        return onContext(() -> engine.view(line));
    }

    private <T> T onContext(final java.util.function.Supplier<T> supplier) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(supplier.get());
            } catch (final RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * Test hook: stops acting like a crashed process would, without releasing its leases (they expire), then closes
     * the rest.
     */
    synchronized void crash() {
        if (leases != null) {
            leases.crash();
            leases = null;
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (vertx != null && resyncTimer >= 0) {
            vertx.cancelTimer(resyncTimer);
            vertx.cancelTimer(oeeTimer);
        }
        if (api != null) {
            api.close();
        }
        if (leases != null) {
            leases.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        if (twins != null) {
            twins.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        if (started) {
            LOG.info("MES bridge {} stopped", config.instanceId());
        }
    }

    private static void await(final CompletableFuture<?> future, final String what)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new MesBridgeException("Could not " + what + ": " + TwinAccess.describe(e), e);
        }
    }

    private static String redact(final String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
