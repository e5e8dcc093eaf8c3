package io.plantmesh.erp.bridge;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.posting.Backoff;
import io.plantmesh.erp.bridge.posting.OrderReconciler;
import io.plantmesh.erp.bridge.stock.MaterialReconciler;
import io.plantmesh.erp.bridge.twin.TwinAccess;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.twin.model.InvalidPlantThingIdException;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The ERP bridge: a reconciler that makes the ERP's confirmations, goods movements, stock, requisitions and costs
 * converge to what the work-order and material twins report (see {@code docs/erp-bridge.md}). It subscribes to
 * changes of work-order and material twins (the whole twin as extra fields), re-reads all of them by search at start
 * and every {@code resyncInterval}, reads the ERP stock of every material twin every {@code stockPollInterval}, and
 * reconciles each order and each material on a worker, one at a time per twin and twins in parallel.
 *
 * <p>Lifecycle: {@link #create} returns an unstarted bridge; {@link #start} connects (throws naming the endpoint if it
 * cannot); {@link #close} stops it, also after a failed start.
 */
public final class ErpBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ErpBridge.class);

    private final ErpBridgeConfig config;
    private final Clock clock;
    private final ClientTrust trust;
    private final Set<ThingId> materials = ConcurrentHashMap.newKeySet();
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private TwinAccess twins;
    private KeyedWork orderWork;
    private KeyedWork materialWork;
    private MaterialReconciler materialReconciler;

    private ErpBridge(final ErpBridgeConfig config, final Clock clock, final ClientTrust trust) {
        this.config = config;
        this.clock = clock;
        this.trust = trust;
    }

    /** An unstarted bridge; its caller must {@link #close} it, also after a failed start. */
    public static ErpBridge create(final ErpBridgeConfig config) {
        return create(config, null);
    }

    /**
     * An unstarted bridge whose {@code wss://} twin connection and {@code https://} ERP connection are verified
     * against {@code trust} (null: the JVM's default trust store).
     */
    public static ErpBridge create(final ErpBridgeConfig config, final ClientTrust trust) {
        return new ErpBridge(Objects.requireNonNull(config, "config"), Clock.systemUTC(), trust);
    }

    /**
     * Connects to the twins, subscribes, reconciles everything once, and starts the periodic resync and stock poll.
     *
     * @throws io.plantmesh.erp.bridge.twin.TwinAccessException if the twin server cannot be reached
     */
    public synchronized ErpBridge start() {
        if (twins != null) {
            throw new IllegalStateException("the ERP bridge is already started; create another one to run twice");
        }
        final AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.workers(), r -> {
            final Thread t = new Thread(r, "erp-bridge-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "erp-bridge-timer");
            t.setDaemon(true);
            return t;
        });
        twins = config.twinTokens() != null
                ? TwinAccess.connect(config.twinEndpoint(), config.twinTokens(), config.requestTimeout(), trust)
                : TwinAccess.connect(config.twinEndpoint(), config.twinUser(), config.twinPassword(),
                        config.requestTimeout(), trust);
        final ErpClient erp = config.erpTokens() != null
                ? ErpClient.create(config.erpBase(), ErpClient.bearer(config.erpTokens()), config.requestTimeout(),
                        trust)
                : ErpClient.create(config.erpBase(), config.erpUser(), config.erpPassword(),
                        config.requestTimeout(), trust);
        materialReconciler = new MaterialReconciler(twins, erp, clock,
                new Backoff(config.retryBackoffMin(), config.retryBackoffMax()), config.rejectionBackoff());
        final OrderReconciler orders = new OrderReconciler(twins, erp, clock, config.rejectionBackoff(),
                config.maxRejectionAttempts(), new Backoff(config.retryBackoffMin(), config.retryBackoffMax()),
                this::movementPosted);
        orderWork = new KeyedWork("ERP posting", orders::reconcile, workers, timer, config.retryBackoffMax());
        materialWork = new KeyedWork("Stock update", materialReconciler::reconcile, workers, timer,
                config.retryBackoffMax());

        twins.subscribe(config.namespaces(), filter(), this::onChange);
        resync();
        timer.scheduleWithFixedDelay(this::resyncQuietly, config.resyncInterval().toMillis(),
                config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::pollStock, config.stockPollInterval().toMillis(),
                config.stockPollInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("ERP bridge started: twins {} as {} (namespaces {}), ERP {} as {}, {} workers, stock every {} ms",
                config.twinEndpoint(), config.twinIdentity(),
                config.namespaces().isEmpty() ? "all" : config.namespaces(), config.erpBase(), config.erpIdentity(),
                config.workers(), config.stockPollInterval().toMillis());
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
        if (change.deleted() || change.after() == null) {
            materials.remove(change.thingId());
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
                final boolean needsWork = changed || OrderReconciler.needsWork(WorkOrderTwin.fromThing(thing));
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

    private void resync() {
        final List<Thing> things = twins.search(config.namespaces(), filter());
        for (final Thing thing : things) {
            route(thing, false);
        }
        LOG.debug("ERP bridge resync: {} twins read", things.size());
    }

    private void resyncQuietly() {
        try {
            resync();
        } catch (final RuntimeException e) {
            LOG.warn("ERP bridge resync failed, trying again in {} s: {}", config.resyncInterval().toSeconds(),
                    e.getMessage());
        }
    }

    private void pollStock() {
        for (final ThingId id : materials) {
            materialWork.submit(id);
        }
    }

    private void movementPosted(final ThingId order, final OrderReconciler.MovementNote note) {
        try {
            final ThingId material = PlantThingIds.material(order.getNamespace(), note.material());
            materialReconciler.noteMovement(material, new MaterialTwin.StockMovement(note.document(),
                    note.movementType(), note.signedQuantity(), note.at()));
            if (materials.contains(material)) {
                materialWork.submit(material);
            }
        } catch (final InvalidPlantThingIdException e) {
            LOG.debug("No material twin for {}: {}", note.material(), e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (orderWork != null) {
            orderWork.close();
        }
        if (materialWork != null) {
            materialWork.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                if (!workers.awaitTermination(config.requestTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                    LOG.warn("ERP bridge workers did not stop in time; their last postings are re-planned at the "
                            + "next start");
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (twins != null) {
            twins.close();
        }
        LOG.info("ERP bridge stopped");
    }

}
