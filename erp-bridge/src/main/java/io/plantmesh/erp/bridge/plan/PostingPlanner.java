package io.plantmesh.erp.bridge.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * Decides which ERP postings a work order still needs, from its twin alone: what the order reports
 * ({@code features/progress}, {@code features/status}) against what is recorded as posted ({@code features/erp}).
 * Pure: the same twin gives the same postings with the same keys.
 *
 * <p>Exactly once comes from the keys. Every posting's idempotency key is derived from the order and the cumulative
 * quantity already <em>recorded</em> when it was decided, never from the quantity it posts: the receipt that takes the
 * order from 100 recorded good pieces to 120 has the key {@code <order>/101/100}. If the bridge dies after the ERP
 * posted it but before the twin recorded it, the order meanwhile reports 130, and the next decision is "receive 30
 * with key {@code <order>/101/100}"; the ERP recognises the key and answers with the original document (20 pieces),
 * which is recorded, and the next decision receives the remaining 10 with key {@code <order>/101/120}. Nothing is
 * posted twice and nothing is missed.
 *
 * <p>In order, per order: the yield confirmation (good and scrap since the last one; the final one when the order is
 * COMPLETED), backflushed component issues (movement type 261: the bill of materials per piece times all pieces made,
 * good and scrap), then the goods receipt of the product (101: good pieces). While the order runs, each posting waits
 * until it covers {@link #PARTIAL_STEP_SHARE} of the order (see there); at completion everything left is posted.
 */
public final class PostingPlanner {

    /** Quantities below this are not posted (rounding of per-piece component quantities). */
    static final double EPSILON = 1e-6;
    /**
     * While an order runs, a posting waits until it covers at least this share of the order's quantity (at least one
     * piece): every recorded posting adds to the twin's {@code erp} feature (~0.8 KB per progress step with a bill of
     * three components), and a Ditto thing is limited in size (100 KB by default), so an order of 500 pieces posted
     * piece by piece would outgrow its twin. At completion everything left is posted.
     */
    static final double PARTIAL_STEP_SHARE = 0.05;

    /** A posting the order still needs. */
    public sealed interface Posting {

        /** The idempotency key (the ERP's {@code Repeatability-Request-ID}). */
        String key();

        WorkOrderTwin order();
    }

    /**
     * A production order confirmation of {@code yieldQuantity} good and {@code scrapQuantity} scrap pieces;
     * {@code finalConfirmation} when the order is complete; {@code machineMinutes} of machine time booked with it
     * (see {@link CostPosting}).
     */
    public record Confirm(String key, WorkOrderTwin order, long yieldQuantity, long scrapQuantity,
            boolean finalConfirmation, double machineMinutes) implements Posting {

        /** A confirmation without machine time. */
        public Confirm(final String key, final WorkOrderTwin order, final long yieldQuantity,
                final long scrapQuantity, final boolean finalConfirmation) {
            this(key, order, yieldQuantity, scrapQuantity, finalConfirmation, 0);
        }
    }

    /** A goods movement for the order: 101 receipt of the product, 261 issue of a component. */
    public record Move(String key, WorkOrderTwin order, String movementType, String material, double quantity,
            String unit) implements Posting {
    }

    private PostingPlanner() {
    }

    /** The postings {@code order} still needs, in the order they are to be posted, with costs at completion. */
    public static List<Posting> plan(final WorkOrderTwin order) {
        return plan(order, CostPosting.AT_COMPLETION);
    }

    /** The postings {@code order} still needs, in the order they are to be posted. */
    public static List<Posting> plan(final WorkOrderTwin order, final CostPosting costs) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(costs, "costs");
        final List<Posting> postings = new ArrayList<>();
        final WorkOrderStatus status = order.status().status();
        if (status == WorkOrderStatus.RELEASED || status == WorkOrderStatus.CANCELLED && nothingMade(order)) {
            return postings;
        }
        final long good = order.progress().good();
        final long scrap = order.progress().scrap();
        final WorkOrderTwin.ErpPostings erp = order.erp();

        // confirmation
        long confirmedGood = 0;
        long confirmedScrap = 0;
        boolean finalDone = false;
        for (final WorkOrderTwin.Confirmation c : erp.confirmations()) {
            confirmedGood += c.good();
            confirmedScrap += c.scrap();
            finalDone |= c.finalConfirmation();
        }
        final boolean complete = status == WorkOrderStatus.COMPLETED;
        final long dGood = Math.max(0, good - confirmedGood);
        final long dScrap = Math.max(0, scrap - confirmedScrap);
        final double step = partialStep(order);
        final boolean confirmationDue = complete ? dGood > 0 || dScrap > 0 || !finalDone : dGood + dScrap >= step;
        if (confirmationDue) {
            final boolean withMachineTime = complete || costs == CostPosting.PER_CONFIRMATION;
            final double minutes = withMachineTime ? machineMinutesToConfirm(order) : 0;
            postings.add(new Confirm(key(order, "conf", confirmedGood + "-" + confirmedScrap), order, dGood, dScrap,
                    complete, minutes));
        }

        // backflush: components by the bill of materials per piece, for all pieces made
        final Map<String, Double> issued = new LinkedHashMap<>();
        double received = 0;
        for (final WorkOrderTwin.GoodsMovement m : erp.goodsMovements()) {
            if ("261".equals(m.movementType())) {
                issued.merge(m.material(), m.quantity(), Double::sum);
            } else if ("101".equals(m.movementType())) {
                received += m.quantity();
            }
        }
        final long pieces = good + scrap;
        for (final WorkOrderTwin.BomItem item : order.billOfMaterials()) {
            if (order.quantity() <= 0) {
                break;
            }
            final double perPiece = item.quantity() / order.quantity();
            final double target = round3(perPiece * pieces);
            final double already = issued.getOrDefault(item.material(), 0.0);
            final double delta = round3(target - already);
            // pieces the issue is behind, to the nearest piece (the quantities are rounded to 3 decimals)
            final boolean due = complete || Math.round(delta / perPiece) >= step;
            if (delta > EPSILON && due) {
                postings.add(new Move(key(order, "261", item.material() + "/" + fmt(already)), order, "261",
                        item.material(), delta, item.unit()));
            }
        }

        // goods receipt of the product
        final double dReceive = round3(good - received);
        if (dReceive > EPSILON && (complete || Math.round(dReceive) >= step)) {
            postings.add(new Move(key(order, "101", fmt(received)), order, "101", order.material(), dReceive,
                    null));
        }
        return postings;
    }

    /**
     * Machine time not yet confirmed, in minutes (3 decimals): from when the order last started RUNNING to its
     * completion (or, while it runs, to the progress reading the confirmation reports), less the minutes recorded
     * with earlier confirmations; 0 if a time is unknown. Derived from the twin alone, so a replayed decision sends
     * the same value.
     */
    static double machineMinutesToConfirm(final WorkOrderTwin order) {
        final Instant started = order.status().times().get(WorkOrderStatus.RUNNING);
        final Instant end = order.status().status() == WorkOrderStatus.COMPLETED
                ? order.status().times().get(WorkOrderStatus.COMPLETED) : order.progress().updatedAt();
        if (started == null || end == null || !end.isAfter(started)) {
            return 0;
        }
        final double soFar = Math.round(Duration.between(started, end).toMillis() / 60.0) / 1000.0;
        double recorded = 0;
        for (final WorkOrderTwin.Confirmation c : order.erp().confirmations()) {
            recorded += c.machineMinutes();
        }
        return Math.max(0, round3(soFar - recorded));
    }

    /** Pieces a partial posting must cover at least: {@link #PARTIAL_STEP_SHARE} of the order, at least one. */
    static double partialStep(final WorkOrderTwin order) {
        return Math.max(1, Math.ceil(order.quantity() * PARTIAL_STEP_SHARE));
    }

    private static boolean nothingMade(final WorkOrderTwin order) {
        return order.progress().good() == 0 && order.progress().scrap() == 0;
    }

    /** {@code <order>/<kind>/<recorded cumulative>}: the same decision always has the same key. */
    static String key(final WorkOrderTwin order, final String kind, final String recorded) {
        return order.id() + "/" + kind + "/" + recorded;
    }

    static double round3(final double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static String fmt(final double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
