package io.plantmesh.erp.bridge.stock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpAnswer;
import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.posting.Backoff;
import io.plantmesh.erp.bridge.twin.TwinAccess;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.vertx.core.Future;

/**
 * Brings one material twin up to date with the ERP: first the state of its open purchase requisitions (received ones
 * leave {@code procurement.openRequisitions}), then its unrestricted stock into {@code stock} (the embedded ERP keeps
 * no reservations: reserved 0, available = on hand), then, when available stock is at or below the reorder point and
 * nothing is on order, ONE requisition for the reorder quantity with the key {@code <material twin>/reorder/<n>}
 * ({@code n} = {@code procurement.requisitionsCreated}). All of it is one revision-conditional merge; on a conflict
 * it starts again, and a requisition created but not recorded is answered again by the ERP under the same key.
 *
 * <p>Requisitions are read before stock so that a receipt between the two reads cannot look like "received, but
 * stock still low" and order twice.
 *
 * <p>Asynchronous and confined to the bridge's Vert.x context; one reconciliation per material at a time.
 */
public final class MaterialReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(MaterialReconciler.class);
    private static final int MAX_CONFLICTS = 5;

    private final TwinAccess twins;
    private final ErpClient erp;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration rejectionBackoff;
    private final ConcurrentMap<ThingId, MaterialTwin.StockMovement> lastMovements = new ConcurrentHashMap<>();
    /** Until when a refused reorder of a material is not tried again. */
    private final ConcurrentMap<ThingId, Instant> reorderRefusedUntil = new ConcurrentHashMap<>();

    public MaterialReconciler(final TwinAccess twins, final ErpClient erp, final Clock clock, final Backoff backoff,
            final Duration rejectionBackoff) {
        this.twins = twins;
        this.erp = erp;
        this.clock = clock;
        this.backoff = backoff;
        this.rejectionBackoff = rejectionBackoff;
    }

    /** Remembers a movement the bridge posted, shown as {@code stock.lastMovement} with the next stock update. */
    public void noteMovement(final ThingId material, final MaterialTwin.StockMovement movement) {
        lastMovements.put(material, movement);
    }

    /** Reconciles one material; completes with when to look again (null: the periodic stock poll is enough). */
    public Future<Duration> reconcile(final ThingId id) {
        return attempt(id, 0);
    }

    private Future<Duration> attempt(final ThingId id, final int attempt) {
        if (attempt >= MAX_CONFLICTS) {
            return Future.succeededFuture(Duration.ofMillis(1));
        }
        return twins.retrieve(id).compose(thing -> {
            if (thing.isEmpty()) {
                return Future.succeededFuture((Duration) null);
            }
            final long revision = thing.get().getRevision().orElseThrow().toLong();
            final MaterialTwin before = MaterialTwin.fromThing(thing.get());
            // 1. requisitions, one after the other
            return requisitions(id, before.openRequisitions(), 0, new ArrayList<>(), before.requisitionsReceived())
                    .compose(read -> {
                        if (read.unavailable() != null) {
                            return Future.succeededFuture(unavailable(id, read.unavailable()));
                        }
                        return stockAndReorder(id, before, revision, read.open(), read.received(), attempt);
                    });
        });
    }

    /** What reading the open requisitions gave: those still open, the received count, or why the ERP failed. */
    private record RequisitionsRead(List<MaterialTwin.Requisition> open, long received, String unavailable) {
    }

    private Future<RequisitionsRead> requisitions(final ThingId id, final List<MaterialTwin.Requisition> all,
            final int index, final List<MaterialTwin.Requisition> open, final long received) {
        if (index >= all.size()) {
            return Future.succeededFuture(new RequisitionsRead(open, received, null));
        }
        final MaterialTwin.Requisition r = all.get(index);
        return erp.readRequisition(r.requisition()).compose(state -> {
            if (state instanceof ErpAnswer.Unavailable<ErpClient.RequisitionState> u) {
                return Future.succeededFuture(new RequisitionsRead(open, received, u.reason()));
            }
            final boolean isReceived = state instanceof ErpAnswer.Done<ErpClient.RequisitionState> d
                    && d.value().received();
            long count = received;
            if (isReceived) {
                count++;
                LOG.info("Requisition {} of {} received", r.requisition(), id);
            } else {
                if (state instanceof ErpAnswer.Rejected<ErpClient.RequisitionState> rej) {
                    LOG.warn("Reading requisition {} of {} was refused: {}; it stays open on the twin",
                            r.requisition(), id, rej.describe());
                }
                open.add(r);
            }
            return requisitions(id, all, index + 1, open, count);
        });
    }

    private Future<Duration> stockAndReorder(final ThingId id, final MaterialTwin before, final long revision,
            final List<MaterialTwin.Requisition> open, final long received, final int attempt) {
        // 2. stock
        return erp.readStock(before.materialNumber(), id.getNamespace()).compose(stockAnswer -> {
            if (stockAnswer instanceof ErpAnswer.Unavailable<ErpClient.StockLevel> u) {
                return Future.succeededFuture(unavailable(id, u.reason()));
            }
            if (stockAnswer instanceof ErpAnswer.Rejected<ErpClient.StockLevel> r) {
                LOG.warn("The ERP refused the stock read of {} ({} in {}): {}. Check the material master.", id,
                        before.materialNumber(), id.getNamespace(), r.describe());
                return Future.succeededFuture(rejectionBackoff);
            }
            backoff.reset(id);
            final double onHand = stockAnswer.orElseThrow().unrestricted();
            final MaterialTwin.StockMovement last = lastMovements.getOrDefault(id, before.stock().lastMovement());
            final MaterialTwin updated = before.withStock(MaterialTwin.Stock.of(onHand, 0, last))
                    .withOpenRequisitions(open)
                    .withRequisitionCounts(before.requisitionsCreated(), received);

            // 3. reorder
            final boolean refusedRecently = reorderRefusedUntil.getOrDefault(id, Instant.MIN)
                    .isAfter(clock.instant());
            if (!updated.needsReorder() || refusedRecently) {
                return write(id, before, updated, revision, attempt);
            }
            final String key = id + "/reorder/" + before.requisitionsCreated();
            return erp.createRequisition(key, before.materialNumber(), before.reorderQuantity(), before.unit(),
                    id.getNamespace(), before.storageLocation()).compose(created -> {
                        if (created instanceof ErpAnswer.Unavailable<ErpClient.RequisitionState> u) {
                            return Future.succeededFuture(unavailable(id, u.reason()));
                        }
                        MaterialTwin after = updated;
                        if (created instanceof ErpAnswer.Done<ErpClient.RequisitionState> d) {
                            final Instant now = clock.instant();
                            final List<MaterialTwin.Requisition> withNew = new ArrayList<>(open);
                            withNew.add(new MaterialTwin.Requisition(d.value().number(), before.reorderQuantity(),
                                    now, key));
                            after = updated.withOpenRequisitions(withNew)
                                    .withRequisitionCounts(before.requisitionsCreated() + 1, received);
                            LOG.info("Requisition {} created for {} ({} {}; available {} at or below reorder point "
                                    + "{})", d.value().number(), id, before.reorderQuantity(), before.unit(), onHand,
                                    before.reorderPoint());
                        } else if (created instanceof ErpAnswer.Rejected<ErpClient.RequisitionState> r) {
                            LOG.warn("The ERP refused the reorder requisition {} of {}: {}. Trying again in {} s.",
                                    key, id, r.describe(), rejectionBackoff.toSeconds());
                            reorderRefusedUntil.put(id, clock.instant().plus(rejectionBackoff));
                        }
                        return write(id, before, after, revision, attempt);
                    });
        });
    }

    /** Writes the changes as one revision-conditional merge; on a conflict starts over. */
    private Future<Duration> write(final ThingId id, final MaterialTwin before, final MaterialTwin after,
            final long revision, final int attempt) {
        if (after.equals(before)) {
            return Future.succeededFuture((Duration) null);
        }
        return twins.mergeIfRevision(id, patch(after), revision).compose(merged -> merged
                ? Future.succeededFuture((Duration) null) : attempt(id, attempt + 1));
    }

    private Duration unavailable(final ThingId id, final String reason) {
        final Duration wait = backoff.next(id);
        LOG.debug("ERP unavailable for material {} ({}); next try in {} ms", id, reason, wait.toMillis());
        return wait;
    }

    private static JsonObject patch(final MaterialTwin material) {
        return JsonFactory.newObjectBuilder().set("features", JsonFactory.newObjectBuilder()
                .set(MaterialTwin.STOCK, JsonFactory.newObjectBuilder()
                        .set("properties", material.stock().toJson()).build())
                .set(MaterialTwin.PROCUREMENT, JsonFactory.newObjectBuilder()
                        .set("properties", material.procurementJson()).build())
                .build()).build();
    }
}
