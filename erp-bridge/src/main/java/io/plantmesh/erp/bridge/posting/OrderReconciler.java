package io.plantmesh.erp.bridge.posting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpAnswer;
import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.plan.CostPosting;
import io.plantmesh.erp.bridge.plan.PostingPlanner;
import io.plantmesh.erp.bridge.plan.PostingPlanner.Posting;
import io.plantmesh.erp.bridge.twin.TwinAccess;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Future;

/**
 * Brings one work order's ERP postings up to date with its twin: reads the twin, asks the {@link PostingPlanner}
 * what is still to post, posts every posting that may go now (each with its own key, concurrently), records the ERP's
 * answers on the twin's {@code erp} feature in one revision-conditional merge, and repeats on the order as recorded
 * (a conflict, 412, means it moved on: it is read again). The twin is the durable queue: whatever is not recorded is
 * planned again, with the same key, so the ERP answers a posting it already made with the original document.
 *
 * <p>A business rejection is recorded in {@code erp.rejections} (key, kind, ERP message, time, attempts) and tried
 * again after {@code rejectionBackoff x attempts}, at most {@code maxRejectionAttempts} times; the order's other
 * postings go on meanwhile (their keys are independent). An unavailable ERP stops the order's postings until the
 * next attempt (exponential backoff). When nothing is left to post, the order's costs are read from finance into
 * {@code cost}: at completion, and with {@link CostPosting#PER_CONFIRMATION} also after every recorded confirmation.
 *
 * <p>Asynchronous and confined to the bridge's Vert.x context: {@link #reconcile} returns at once and its future
 * completes there; one reconciliation per order at a time (the caller's {@code KeyedWork} sees to that).
 */
public final class OrderReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(OrderReconciler.class);
    /** Postings and records per run before yielding to other orders. */
    private static final int MAX_STEPS = 100;
    private static final String UNIT_PIECES = "PC";
    /** Retry at once (after other work): the order has more to do. */
    private static final Duration MORE = Duration.ofMillis(1);

    private final TwinAccess twins;
    private final ErpClient erp;
    private final Clock clock;
    private final Duration rejectionBackoff;
    private final int maxRejectionAttempts;
    private final Backoff backoff;
    private final CostPosting costs;
    private final BiConsumer<ThingId, MovementNote> onMovement;

    /**
     * @param costs when machine time is confirmed and costs are shown on the twin
     * @param onMovement told after every recorded goods movement (order id, what moved), so that stock is refreshed
     */
    public OrderReconciler(final TwinAccess twins, final ErpClient erp, final Clock clock,
            final Duration rejectionBackoff, final int maxRejectionAttempts, final Backoff backoff,
            final CostPosting costs, final BiConsumer<ThingId, MovementNote> onMovement) {
        this.twins = twins;
        this.erp = erp;
        this.clock = clock;
        this.rejectionBackoff = rejectionBackoff;
        this.maxRejectionAttempts = maxRejectionAttempts;
        this.backoff = backoff;
        this.costs = costs;
        this.onMovement = onMovement;
    }

    /** A goods movement the bridge posted: quantity negative for issues. */
    public record MovementNote(String material, String document, String movementType, double signedQuantity,
            Instant at) {
    }

    /** True if a searched twin may need work: postings planned, or costs not yet recorded as they should be. */
    public static boolean needsWork(final WorkOrderTwin order, final CostPosting costs) {
        return costsDue(order, costs) || !PostingPlanner.plan(order, costs).isEmpty();
    }

    /** Whether the twin's {@code cost} feature lags behind what the twin says was posted. */
    static boolean costsDue(final WorkOrderTwin order, final CostPosting costs) {
        final boolean completed = order.status().status() == WorkOrderStatus.COMPLETED;
        final WorkOrderTwin.OrderCost cost = order.cost();
        if (completed) {
            return cost == null || !cost.complete();
        }
        final int confirmations = order.erp().confirmations().size();
        return costs == CostPosting.PER_CONFIRMATION && confirmations > 0
                && (cost == null || cost.confirmations() != confirmations);
    }

    /** Reconciles one order; completes with when to look again (null: nothing waits). */
    public Future<Duration> reconcile(final ThingId id) {
        return step(id, 0, null);
    }

    /** The order as this reconciliation last knew it: what it read, plus what it merged since. */
    private record Known(WorkOrderTwin order, long revision) {
    }

    /**
     * One decision: plans on the order as last known (read it first if unknown), posts and records the first posting
     * due, and goes on with the order as recorded (a merge conditional on revision n that succeeded produced exactly
     * that at n + 1, so there is nothing to read again) until nothing is due.
     */
    private Future<Duration> step(final ThingId id, final int step, final Known known) {
        if (step >= MAX_STEPS) {
            return Future.succeededFuture(MORE);
        }
        final Future<Known> current = known != null ? Future.succeededFuture(known)
                : twins.retrieve(id).map(thing -> thing.map(t -> new Known(WorkOrderTwin.fromThing(t),
                        t.getRevision().orElseThrow().toLong())).orElse(null));
        return current.compose(k -> {
            if (k == null) {
                return Future.succeededFuture((Duration) null);
            }
            final WorkOrderTwin order = k.order();
            final long revision = k.revision();
            final Instant now = clock.instant();
            Duration wait = null;
            final List<Posting> due = new ArrayList<>();
            for (final Posting p : PostingPlanner.plan(order, costs)) {
                final WorkOrderTwin.Rejection r = order.erp().rejection(p.key()).orElse(null);
                if (r == null) {
                    due.add(p);
                    continue;
                }
                if (r.attempts() >= maxRejectionAttempts) {
                    continue; // given up: stays recorded for a person to act on
                }
                final Instant dueAt = (r.at() == null ? now : r.at()).plus(rejectionBackoff.multipliedBy(
                        r.attempts()));
                if (!dueAt.isAfter(now)) {
                    due.add(p);
                    continue;
                }
                final Duration untilDue = Duration.between(now, dueAt);
                wait = wait == null || untilDue.compareTo(wait) < 0 ? untilDue : wait;
            }
            if (due.isEmpty()) {
                return recordCost(id, order, revision, wait);
            }
            final List<Future<Answer>> answers = new ArrayList<>(due.size());
            for (final Posting p : due) {
                answers.add(post(id, order, p, now));
            }
            return Future.join(answers).compose(all -> record(id, order, revision, answers, now))
                    .compose(outcome -> outcome.retryAfter() != null
                            ? Future.succeededFuture(outcome.retryAfter())
                            : step(id, step + 1, outcome.recorded()));
        });
    }

    /**
     * What recording came to: a wait to stop at (the ERP was unavailable for a posting), or go on with the order as
     * recorded (null: it moved on meanwhile, read it again).
     */
    private record Outcome(Duration retryAfter, Known recorded) {
    }

    /** The ERP's answer to one posting, with what to record for it if it was done. */
    private record Answer(Posting posting, String kind, ErpAnswer<?> answer, WorkOrderTwin.Confirmation confirmation,
            WorkOrderTwin.GoodsMovement movement, MovementNote note) {
    }

    /** Posts one posting; the future never fails (a failure is an {@link ErpAnswer}). */
    private Future<Answer> post(final ThingId id, final WorkOrderTwin order, final Posting posting,
            final Instant now) {
        final String orderId = id.toString();
        final String plant = id.getNamespace();
        if (posting instanceof PostingPlanner.Confirm c) {
            // recorded as the ERP posted it: a replayed partial confirmation stays partial, the final one follows
            final ThingId machine = order.status().machine();
            return erp.postConfirmation(c.key(), orderId, plant, order.material(), c.yieldQuantity(),
                    c.scrapQuantity(), UNIT_PIECES, c.finalConfirmation(), machine == null ? null : machine.toString(),
                    c.machineMinutes()).map(a -> {
                        final WorkOrderTwin.Confirmation done = a instanceof ErpAnswer.Done<ErpClient.ConfirmationDocument> d
                                ? new WorkOrderTwin.Confirmation(d.value().document(), d.value().yield(),
                                        d.value().scrap(), d.value().finalConfirmation(), now, c.key(),
                                        d.value().machineMinutes())
                                : null;
                        return new Answer(posting, "conf", a, done, null, null);
                    });
        }
        final PostingPlanner.Move m = (PostingPlanner.Move) posting;
        return erp.postGoodsMovement(m.key(), orderId, m.movementType(), m.material(), plant, null, m.quantity(),
                m.unit()).map(a -> {
                    if (!(a instanceof ErpAnswer.Done<ErpClient.MaterialDocument> d)) {
                        return new Answer(posting, m.movementType(), a, null, null, null);
                    }
                    final String document = d.value().year() + "/" + d.value().number();
                    final double signed = "261".equals(m.movementType()) ? -d.value().quantity()
                            : d.value().quantity();
                    return new Answer(posting, m.movementType(), a, null, new WorkOrderTwin.GoodsMovement(
                            d.value().number(), m.movementType(), m.material(), d.value().quantity(), m.unit(), now,
                            m.key()), new MovementNote(m.material(), document, m.movementType(), signed, now));
                });
    }

    /**
     * Records what the ERP did and refused, in one revision-conditional merge: documents posted, rejections with the
     * ERP's message. A posting the ERP could not take (unavailable) stays planned: after the record the order waits
     * (exponential backoff).
     */
    private Future<Outcome> record(final ThingId id, final WorkOrderTwin order, final long revision,
            final List<Future<Answer>> answers, final Instant now) {
        WorkOrderTwin.ErpPostings recorded = order.erp();
        Duration wait = null;
        final List<MovementNote> notes = new ArrayList<>();
        for (final Future<Answer> f : answers) {
            if (f.failed()) {
                // a defect reading the answer: treated like an unavailable ERP, the posting stays planned
                LOG.warn("Posting for {} failed: {}", id, f.cause().toString());
                wait = wait == null ? backoff.next(id) : wait;
                continue;
            }
            final Answer a = f.result();
            if (a.answer() instanceof ErpAnswer.Unavailable<?> u) {
                if (wait == null) {
                    wait = backoff.next(id);
                    LOG.info("ERP unavailable for {} ({}); the posting stays planned on the twin, next try in {} ms",
                            id, u.reason(), wait.toMillis());
                }
            } else if (a.answer() instanceof ErpAnswer.Rejected<?> r) {
                final int attempts = order.erp().rejection(a.posting().key()).map(WorkOrderTwin.Rejection::attempts)
                        .orElse(0) + 1;
                LOG.warn("ERP rejected {} posting {} of {} (attempt {} of {}): {}", a.kind(), a.posting().key(), id,
                        attempts, maxRejectionAttempts, r.describe());
                recorded = recorded.withRejection(new WorkOrderTwin.Rejection(a.posting().key(), a.kind(),
                        r.describe(), now, attempts));
            } else if (a.confirmation() != null) {
                recorded = recorded.withConfirmation(a.confirmation());
            } else if (a.movement() != null) {
                recorded = recorded.withGoodsMovement(a.movement());
                notes.add(a.note());
            }
        }
        if (wait == null) {
            backoff.reset(id);
        }
        final Duration retryAfter = wait;
        if (recorded.equals(order.erp())) {
            return Future.succeededFuture(new Outcome(retryAfter, new Known(order, revision)));
        }
        final WorkOrderTwin.ErpPostings toRecord = recorded;
        return twins.mergeIfRevision(id, erpPatch(toRecord), revision).map(merged -> {
            if (!merged) {
                // the twin moved on: read and plan again; the same keys make the ERP answer with these documents again
                LOG.debug("{} changed while posting; re-planning", id);
                return new Outcome(retryAfter, null);
            }
            notes.forEach(note -> onMovement.accept(id, note));
            return new Outcome(retryAfter, new Known(order.withErp(toRecord), revision + 1));
        });
    }

    /** With nothing left to post: writes the order's costs if they are due; completes with {@code wait}. */
    private Future<Duration> recordCost(final ThingId id, final WorkOrderTwin order, final long revision,
            final Duration wait) {
        if (!costsDue(order, costs)) {
            return Future.succeededFuture(wait);
        }
        final boolean completed = order.status().status() == WorkOrderStatus.COMPLETED;
        return erp.readOrderCost(id.toString()).compose(answer -> {
            if (answer instanceof ErpAnswer.Unavailable<ErpClient.OrderCostTotals> u) {
                LOG.info("ERP unavailable reading the costs of {} ({})", id, u.reason());
                return Future.succeededFuture(backoff.next(id));
            }
            if (answer instanceof ErpAnswer.Rejected<ErpClient.OrderCostTotals> r) {
                LOG.warn("ERP refused the cost read of {}: {}. Costs are not shown on the twin.", id, r.describe());
                return Future.succeededFuture(wait);
            }
            final ErpClient.OrderCostTotals totals = answer.orElseThrow();
            final double materialCost = Math.round((totals.materialCost() + totals.scrapCost()) * 100.0) / 100.0;
            final String currency = totals.currency().isEmpty() ? "EUR" : totals.currency();
            final int confirmations = order.erp().confirmations().size();
            final WorkOrderTwin.OrderCost previous = order.cost();
            final boolean same = previous != null && previous.materialCost() == materialCost
                    && previous.machineCost() == totals.machineCost() && previous.total() == totals.total()
                    && previous.currency().equals(currency) && previous.complete() == completed
                    && previous.confirmations() == confirmations;
            if (same) {
                return Future.succeededFuture(wait);
            }
            final WorkOrderTwin.OrderCost cost = new WorkOrderTwin.OrderCost(materialCost, totals.machineCost(),
                    totals.total(), currency, clock.instant(), totals.postings(), confirmations, completed);
            final JsonObject patch = JsonFactory.newObjectBuilder().set("features", JsonFactory.newObjectBuilder()
                    .set(WorkOrderTwin.COST, JsonFactory.newObjectBuilder().set("properties", cost.toJson()).build())
                    .build()).build();
            return twins.mergeIfRevision(id, patch, revision).map(merged -> merged ? wait : MORE);
        });
    }

    static JsonObject erpPatch(final WorkOrderTwin.ErpPostings erp) {
        return JsonFactory.newObjectBuilder().set("features", JsonFactory.newObjectBuilder()
                .set(WorkOrderTwin.ERP, JsonFactory.newObjectBuilder().set("properties", erp.toJson()).build())
                .build()).build();
    }
}
