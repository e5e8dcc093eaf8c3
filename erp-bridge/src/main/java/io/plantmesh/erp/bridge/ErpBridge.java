package io.plantmesh.erp.bridge;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.posting.Backoff;
import io.plantmesh.erp.bridge.posting.OrderReconciler;
import io.plantmesh.erp.bridge.stock.MaterialReconciler;
import io.plantmesh.erp.bridge.twin.TwinAccess;
import io.plantmesh.erp.bridge.twin.TwinAccessException;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.twin.model.InvalidPlantThingIdException;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The ERP bridge: a Vert.x reconciler that makes the ERP's confirmations, goods movements, stock, requisitions and
 * costs converge to what the work-order and material twins report (see {@code docs/erp-bridge.md}). It subscribes to
 * changes of work-order and material twins (the whole twin as extra fields), re-reads all of them by search at start
 * and every {@code resyncInterval}, reads the ERP stock of every material twin every {@code stockPollInterval}, and
 * reconciles each order and each material one at a time per twin, up to {@code workers} twins at a time. Everything
 * runs on one Vert.x context: the twins through the Ditto Java client's asynchronous API, the ERP through the Vert.x
 * WebClient, timers on the context; only the search by the periodic re-read runs on a worker thread. Towards both it
 * authenticates with a user and password or with the access tokens of its service account
 * ({@link ErpBridgeConfig#withTwinTokens}, {@link ErpBridgeConfig#withErpTokens}), and verifies {@code wss://} and
 * {@code https://} endpoints against the {@link ClientTrust} it was created with.
 *
 * <p>Lifecycle: {@link #create} returns an unstarted bridge; {@link #start} connects (throws naming the endpoint if it
 * cannot); {@link #close} stops it, also after a failed start.
 */
public final class ErpBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErpBridge.class);
    /**
     * A material twin's stock is refreshed this long after a movement the bridge posted, once for all movements in
     * that time (well within the "within one second"), rather than once per movement.
     */
    private static final long STOCK_REFRESH_DELAY_MS = 200;

    private final ErpBridgeConfig config;
    private final Clock clock;
    private final Vertx givenVertx;
    private final ClientTrust trust;
    /** Material twins known to the bridge (polled for stock); confined to the context. */
    private final Set<ThingId> materials = new HashSet<>();
    /** Material twins with a stock refresh scheduled after a movement; confined to the context. */
    private final Set<ThingId> refreshScheduled = new HashSet<>();
    private Vertx vertx;
    private Context context;
    private TwinAccess twins;
    private ErpClient erp;
    private KeyedWork orderWork;
    private KeyedWork materialWork;
    private MaterialReconciler materialReconciler;
    private long resyncTimer = -1;
    private long stockTimer = -1;
    private boolean started;
    private boolean closed;

    private ErpBridge(final ErpBridgeConfig config, final Clock clock, final ClientTrust trust, final Vertx vertx) {
        this.config = config;
        this.clock = clock;
        this.trust = trust;
        this.givenVertx = vertx;
    }

    /**
     * An unstarted bridge on a Vert.x instance of its own; its caller must {@link #close} it, also after a failed
     * start.
     */
    public static ErpBridge create(final ErpBridgeConfig config) {
        return new ErpBridge(Objects.requireNonNull(config, "config"), Clock.systemUTC(), null, null);
    }

    /** An unstarted bridge on the caller's Vert.x instance (the caller closes it after the bridge). */
    public static ErpBridge create(final ErpBridgeConfig config, final Vertx vertx) {
        return new ErpBridge(Objects.requireNonNull(config, "config"), Clock.systemUTC(), null,
                Objects.requireNonNull(vertx, "vertx"));
    }

    /**
     * An unstarted bridge on a Vert.x instance of its own whose {@code wss://} twin connection and {@code https://}
     * ERP connection are verified against {@code trust} (null: the JVM's default trust store).
     */
    public static ErpBridge create(final ErpBridgeConfig config, final ClientTrust trust) {
        return new ErpBridge(Objects.requireNonNull(config, "config"), Clock.systemUTC(), trust, null);
    }

    /**
     * An unstarted bridge on the caller's Vert.x instance whose connections are verified against {@code trust} (null:
     * the JVM's default trust store).
     */
    public static ErpBridge create(final ErpBridgeConfig config, final ClientTrust trust, final Vertx vertx) {
        return new ErpBridge(Objects.requireNonNull(config, "config"), Clock.systemUTC(), trust,
                Objects.requireNonNull(vertx, "vertx"));
    }

    /**
     * Connects to the twins, subscribes, reads every work order and material once and reconciles what needs it,
     * and starts the periodic resync and stock poll. Blocks until the first read is done; call it off any event
     * loop.
     *
     * @throws TwinAccessException if the twin server cannot be reached
     */
    public synchronized ErpBridge start() {
        if (closed) {
            throw new IllegalStateException("this ERP bridge was closed; create a new one");
        }
        if (started) {
            throw new IllegalStateException("the ERP bridge is already started; create another one to run twice");
        }
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("ErpBridge.start blocks until the twins are read; call it off the event "
                    + "loop (e.g. from the launcher's thread or executeBlocking)");
        }
        started = true;
        vertx = givenVertx == null ? Vertx.vertx() : givenVertx;
        context = vertx.getOrCreateContext();
        twins = config.twinTokens() != null
                ? TwinAccess.connect(config.twinEndpoint(), config.twinTokens(), config.requestTimeout(), trust,
                        context)
                : TwinAccess.connect(config.twinEndpoint(), config.twinUser(), config.twinPassword(),
                        config.requestTimeout(), trust, context);
        erp = config.erpTokens() != null
                ? ErpClient.create(vertx, config.erpBase(), ErpClient.bearer(config.erpTokens()),
                        config.requestTimeout(), trust)
                : ErpClient.create(vertx, config.erpBase(), config.erpUser(), config.erpPassword(),
                        config.requestTimeout(), trust);
        materialReconciler = new MaterialReconciler(twins, erp, clock,
                new Backoff(config.retryBackoffMin(), config.retryBackoffMax()), config.rejectionBackoff());
        final OrderReconciler orders = new OrderReconciler(twins, erp, clock, config.rejectionBackoff(),
                config.maxRejectionAttempts(), new Backoff(config.retryBackoffMin(), config.retryBackoffMax()),
                config.costPosting(), this::movementPosted);
        orderWork = new KeyedWork("ERP posting", orders::reconcile, context, config.workers(),
                config.retryBackoffMax());
        materialWork = new KeyedWork("Stock update", materialReconciler::reconcile, context, config.workers(),
                config.retryBackoffMax());

        twins.subscribe(config.namespaces(), filter(), this::onChange);
        try {
            resync().toCompletionStage().toCompletableFuture()
                    .get(config.requestTimeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof TwinAccessException t ? t : new TwinAccessException("Reading the work orders and "
                    + "materials at " + config.twinEndpoint() + " failed: " + TwinAccess.describe(cause), cause);
        } catch (final TimeoutException e) {
            throw new TwinAccessException("Reading the work orders and materials at " + config.twinEndpoint()
                    + " took longer than " + (config.requestTimeout().toSeconds() + 30) + " s; check the twin server",
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while reading the twins", e);
        }
        final CompletableFuture<Void> timers = new CompletableFuture<>();
        context.runOnContext(v -> {
            resyncTimer = vertx.setPeriodic(config.resyncInterval().toMillis(), t -> resync());
            stockTimer = vertx.setPeriodic(config.stockPollInterval().toMillis(), t -> pollStock());
            timers.complete(null);
        });
        timers.join();
        LOG.info("ERP bridge started: twins {} as {} (namespaces {}), ERP {} as {}{}, {} twins at a time, stock "
                + "every {} ms, costs {}", config.twinEndpoint(), config.twinIdentity(),
                config.namespaces().isEmpty() ? "all" : config.namespaces(), config.erpBase(), config.erpIdentity(),
                trust == null ? "" : " (TLS trust " + trust + ")", config.workers(),
                config.stockPollInterval().toMillis(), config.costPosting().describe());
        return this;
    }

    public ErpBridgeConfig config() {
        return config;
    }

    /** Work orders and materials. */
    static String filter() {
        return "or(eq(definition,\"" + PlantDefinitions.WORK_ORDER + "\"),eq(definition,\""
                + PlantDefinitions.MATERIAL + "\"))";
    }

    private void onChange(final TwinAccess.TwinChange change) {
        if (closed) {
            return;
        }
        if (change.deleted() || change.after() == null) {
            materials.remove(change.thingId());
            return;
        }
        if (twins.isOwnWrite(change.thingId(), change.revision())) {
            // the bridge's own record: the reconciliation that wrote it has already moved on from this state
            return;
        }
        route(change.after(), true);
    }

    private void route(final Thing thing, final boolean changed) {
        final String definition = thing.getDefinition().map(Object::toString).orElse("");
        final ThingId id = thing.getEntityId().orElse(null);
        if (id == null) {
            return;
        }
        try {
            if (definition.equals(PlantDefinitions.WORK_ORDER.toString())) {
                final boolean needsWork = changed
                        || OrderReconciler.needsWork(WorkOrderTwin.fromThing(thing), config.costPosting());
                if (needsWork) {
                    orderWork.submit(id);
                }
            } else if (definition.equals(PlantDefinitions.MATERIAL.toString())) {
                final boolean known = !materials.add(id);
                if (changed || !known) {
                    materialWork.submit(id);
                }
            }
        } catch (final RuntimeException e) {
            LOG.warn("Twin {} is not a readable {}: {}; it is left alone until it changes", id, definition,
                    e.getMessage());
        }
    }

    /** Re-reads every work order and material by search (on a worker thread) and routes them on the context. */
    private Future<Void> resync() {
        return vertx.<List<Thing>>executeBlocking(() -> twins.search(config.namespaces(), filter()), false)
                .transform(read -> {
                    final io.vertx.core.Promise<Void> routed = io.vertx.core.Promise.promise();
                    context.runOnContext(v -> {
                        if (read.failed()) {
                            LOG.warn("ERP bridge resync failed, trying again in {} s: {}",
                                    config.resyncInterval().toSeconds(), TwinAccess.describe(read.cause()));
                            routed.fail(read.cause());
                            return;
                        }
                        if (!closed) {
                            read.result().forEach(thing -> route(thing, false));
                        }
                        LOG.debug("ERP bridge resync: {} twins read", read.result().size());
                        routed.complete();
                    });
                    return routed.future();
                });
    }

    private void pollStock() {
        if (closed) {
            return;
        }
        for (final ThingId id : materials) {
            materialWork.submit(id);
        }
    }

    private void movementPosted(final ThingId order, final OrderReconciler.MovementNote note) {
        try {
            final ThingId material = PlantThingIds.material(order.getNamespace(), note.material());
            materialReconciler.noteMovement(material, new MaterialTwin.StockMovement(note.document(),
                    note.movementType(), note.signedQuantity(), note.at()));
            if (materials.contains(material) && refreshScheduled.add(material)) {
                vertx.setTimer(STOCK_REFRESH_DELAY_MS, t -> {
                    refreshScheduled.remove(material);
                    materialWork.submit(material);
                });
            }
        } catch (final InvalidPlantThingIdException e) {
            LOG.debug("No material twin for {}: {}", note.material(), e.getMessage());
        }
    }

    /**
     * Stops the bridge: no new postings are started; a posting under way may be made by the ERP without being
     * recorded, which the next start plans again under the same key (the ERP answers with the original document).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (context != null) {
            final CompletableFuture<Void> stopped = new CompletableFuture<>();
            context.runOnContext(v -> {
                if (resyncTimer >= 0) {
                    vertx.cancelTimer(resyncTimer);
                }
                if (stockTimer >= 0) {
                    vertx.cancelTimer(stockTimer);
                }
                if (orderWork != null) {
                    orderWork.close();
                }
                if (materialWork != null) {
                    materialWork.close();
                }
                stopped.complete(null);
            });
            try {
                stopped.get(5, TimeUnit.SECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                LOG.warn("ERP bridge timers did not stop in time: {}", e.toString());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (twins != null) {
            twins.close();
        }
        if (erp != null) {
            erp.close();
        }
        if (givenVertx == null && vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                LOG.warn("ERP bridge's Vert.x did not close in time: {}", e.toString());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("ERP bridge stopped");
    }
}
