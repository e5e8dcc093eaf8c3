package io.plantmesh.erp.bridge.posting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpAnswer;
import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.plan.PostingPlanner;
import io.plantmesh.erp.bridge.plan.PostingPlanner.Posting;
import io.plantmesh.erp.bridge.twin.TwinAccess;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * Brings one work order's ERP postings up to date with its twin: re-reads the twin, asks the {@link PostingPlanner}
 * what is still to post, posts the first posting that may go now, records the ERP's answer on the twin's {@code erp}
 * feature with a revision-conditional merge, and repeats. The twin is the durable queue: whatever is not recorded is
 * planned again, with the same key, so the ERP answers a posting it already made with the original document.
 *
 * <p>A business rejection is recorded in {@code erp.rejections} (key, kind, ERP message, time, attempts) and tried
 * again after {@code rejectionBackoff x attempts}, at most {@code maxRejectionAttempts} times; the order's other
 * postings go on meanwhile (their keys are independent). An unavailable ERP stops the order's postings until the
 * next attempt (exponential backoff). At completion, the order's costs are read from finance into {@code cost}.
 */
public final class OrderReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(OrderReconciler.class);
    /** Postings and records per run before yielding the worker to other orders. */
    private static final int MAX_STEPS = 100;
    private static final String UNIT_PIECES = "PC";

    private final TwinAccess twins;
    private final ErpClient erp;
    private final Clock clock;
    private final Duration rejectionBackoff;
    private final int maxRejectionAttempts;
    private final Backoff backoff;
    private final BiConsumer<ThingId, MovementNote> onMovement;

    /**
     * @param onMovement told after every recorded goods movement (order id, what moved), so that stock is refreshed
     */
    public OrderReconciler(final TwinAccess twins, final ErpClient erp, final Clock clock,
            final Duration rejectionBackoff, final int maxRejectionAttempts, final Backoff backoff,
            final BiConsumer<ThingId, MovementNote> onMovement) {
        this.twins = twins;
        this.erp = erp;
        this.clock = clock;
        this.rejectionBackoff = rejectionBackoff;
        this.maxRejectionAttempts = maxRejectionAttempts;
        this.backoff = backoff;
        this.onMovement = onMovement;
    }

    /** A goods movement the bridge posted: quantity negative for issues. */
    public record MovementNote(String material, String document, String movementType, double signedQuantity,
            Instant at) {
    }

    /** True if a searched twin may need work: postings planned, or costs not yet recorded at completion. */
    public static boolean needsWork(final WorkOrderTwin order) {
        final boolean costMissing = order.status().status() == WorkOrderStatus.COMPLETED && order.cost() == null;
        return costMissing || !PostingPlanner.plan(order).isEmpty();
    }

    /** Reconciles one order; returns when to look again (null: nothing waits). */
    public Duration reconcile(final ThingId id) {
        for (int step = 0; step < MAX_STEPS; step++) {
            final Optional<Thing> thing = twins.retrieve(id);
            if (thing.isEmpty()) {
                return null;
            }
            final long revision = thing.get().getRevision().orElseThrow().toLong();
            final WorkOrderTwin order = WorkOrderTwin.fromThing(thing.get());
            final Instant now = clock.instant();
            Duration wait = null;
            Posting next = null;
            for (final Posting p : PostingPlanner.plan(order)) {
                final Optional<WorkOrderTwin.Rejection> rejection = order.erp().rejection(p.key());
                if (rejection.isEmpty()) {
                    next = p;
                    break;
                }
                final WorkOrderTwin.Rejection r = rejection.get();
                if (r.attempts() >= maxRejectionAttempts) {
                    continue; // given up: stays recorded for a person to act on
                }
                final Instant due = (r.at() == null ? now : r.at()).plus(rejectionBackoff.multipliedBy(r.attempts()));
                if (!due.isAfter(now)) {
                    next = p;
                    break;
                }
                final Duration untilDue = Duration.between(now, due);
                wait = wait == null || untilDue.compareTo(wait) < 0 ? untilDue : wait;
            }
            if (next == null) {
                return recordCost(id, order, revision, wait);
            }
            final StepResult result = post(id, order, revision, next, now);
            if (result.retryAfter != null) {
                return result.retryAfter;
            }
        }
        return Duration.ofMillis(1); // more to do: continue after other work
    }

    private record StepResult(Duration retryAfter) {
        static final StepResult CONTINUE = new StepResult(null);
    }

    private StepResult post(final ThingId id, final WorkOrderTwin order, final long revision, final Posting posting,
            final Instant now) {
        final String orderId = id.toString();
        final String plant = id.getNamespace();
        final ErpAnswer<?> answer;
        final WorkOrderTwin.ErpPostings recorded;
        final String kind;
        MovementNote note = null;
        if (posting instanceof PostingPlanner.Confirm c) {
            kind = "conf";
            // recorded as the ERP posted it: a replayed partial confirmation stays partial, the final one follows
            final ThingId machine = order.status().machine();
            final ErpAnswer<ErpClient.ConfirmationDocument> a = erp.postConfirmation(c.key(), orderId, plant,
                    order.material(), c.yieldQuantity(), c.scrapQuantity(), UNIT_PIECES, c.finalConfirmation(),
                    machine == null ? null : machine.toString(), c.finalConfirmation() ? machineMinutes(order) : 0);
            answer = a;
            recorded = a instanceof ErpAnswer.Done<ErpClient.ConfirmationDocument> d
                    ? order.erp().withConfirmation(new WorkOrderTwin.Confirmation(d.value().document(),
                            d.value().yield(), d.value().scrap(), d.value().finalConfirmation(), now, c.key()))
                    : null;
        } else {
            final PostingPlanner.Move m = (PostingPlanner.Move) posting;
            kind = m.movementType();
            final ErpAnswer<ErpClient.MaterialDocument> a = erp.postGoodsMovement(m.key(), orderId,
                    m.movementType(), m.material(), plant, null, m.quantity(), m.unit());
            answer = a;
            if (a instanceof ErpAnswer.Done<ErpClient.MaterialDocument> d) {
                final String document = d.value().year() + "/" + d.value().number();
                recorded = order.erp().withGoodsMovement(new WorkOrderTwin.GoodsMovement(d.value().number(),
                        m.movementType(), m.material(), d.value().quantity(), m.unit(), now, m.key()));
                final double signed = "261".equals(m.movementType()) ? -d.value().quantity() : d.value().quantity();
                note = new MovementNote(m.material(), document, m.movementType(), signed, now);
            } else {
                recorded = null;
            }
        }
        if (answer instanceof ErpAnswer.Unavailable<?> u) {
            final Duration wait = backoff.next(id);
            LOG.info("ERP unavailable for {} ({}); the posting stays planned on the twin, next try in {} ms", id,
                    u.reason(), wait.toMillis());
            return new StepResult(wait);
        }
        backoff.reset(id);
        if (answer instanceof ErpAnswer.Rejected<?> r) {
            final int attempts = order.erp().rejection(posting.key()).map(WorkOrderTwin.Rejection::attempts)
                    .orElse(0) + 1;
            LOG.warn("ERP rejected {} posting {} of {} (attempt {} of {}): {}", kind, posting.key(), id, attempts,
                    maxRejectionAttempts, r.describe());
            final WorkOrderTwin.ErpPostings withRejection = order.erp().withRejection(new WorkOrderTwin.Rejection(
                    posting.key(), kind, r.describe(), now, attempts));
            twins.mergeIfRevision(id, erpPatch(withRejection), revision); // 412: re-read and decide again
            return StepResult.CONTINUE;
        }
        final boolean merged = twins.mergeIfRevision(id, erpPatch(recorded), revision);
        if (!merged) {
            // the twin moved on: re-read and re-plan; the same key makes the ERP answer with this document again
            LOG.debug("{} changed while posting {}; re-planning", id, posting.key());
            return StepResult.CONTINUE;
        }
        if (note != null) {
            onMovement.accept(id, note);
        }
        return StepResult.CONTINUE;
    }

    /**
     * Machine time confirmed with the final confirmation: from when the order last started RUNNING to COMPLETED, in
     * minutes (0 if either is unknown). Derived from the twin alone, so a replayed decision sends the same value.
     */
    static double machineMinutes(final WorkOrderTwin order) {
        final Instant started = order.status().times().get(WorkOrderStatus.RUNNING);
        final Instant completed = order.status().times().get(WorkOrderStatus.COMPLETED);
        if (started == null || completed == null || !completed.isAfter(started)) {
            return 0;
        }
        return Math.round(Duration.between(started, completed).toMillis() / 60.0) / 1000.0;
    }

    private Duration recordCost(final ThingId id, final WorkOrderTwin order, final long revision,
            final Duration wait) {
        if (order.status().status() != WorkOrderStatus.COMPLETED) {
            return wait;
        }
        final ErpAnswer<ErpClient.OrderCostTotals> answer = erp.readOrderCost(id.toString());
        if (answer instanceof ErpAnswer.Unavailable<ErpClient.OrderCostTotals> u) {
            LOG.info("ERP unavailable reading the costs of {} ({})", id, u.reason());
            return backoff.next(id);
        }
        if (answer instanceof ErpAnswer.Rejected<ErpClient.OrderCostTotals> r) {
            LOG.warn("ERP refused the cost read of {}: {}. Costs are not shown on the twin.", id, r.describe());
            return wait;
        }
        final ErpClient.OrderCostTotals totals = answer.orElseThrow();
        final double materialCost = Math.round((totals.materialCost() + totals.scrapCost()) * 100.0) / 100.0;
        final String currency = totals.currency().isEmpty() ? "EUR" : totals.currency();
        final WorkOrderTwin.OrderCost previous = order.cost();
        final boolean same = previous != null && previous.materialCost() == materialCost
                && previous.machineCost() == totals.machineCost() && previous.total() == totals.total()
                && previous.currency().equals(currency);
        if (same) {
            return wait;
        }
        final WorkOrderTwin.OrderCost cost = new WorkOrderTwin.OrderCost(materialCost, totals.machineCost(),
                totals.total(), currency, clock.instant());
        final JsonObject patch = JsonFactory.newObjectBuilder().set("features", JsonFactory.newObjectBuilder()
                .set(WorkOrderTwin.COST, JsonFactory.newObjectBuilder().set("properties", cost.toJson()).build())
                .build()).build();
        final boolean merged = twins.mergeIfRevision(id, patch, revision);
        return merged ? wait : Duration.ofMillis(1);
    }

    static JsonObject erpPatch(final WorkOrderTwin.ErpPostings erp) {
        return JsonFactory.newObjectBuilder().set("features", JsonFactory.newObjectBuilder()
                .set(WorkOrderTwin.ERP, JsonFactory.newObjectBuilder().set("properties", erp.toJson()).build())
                .build()).build();
    }
}
